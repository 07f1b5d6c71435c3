"""Regenerate data/geo from the research data in shared/geo.

    python -m assistant.geo.build_data --shared ../shared/geo
    python -m assistant.geo.build_data --shared ../shared/geo --decoupage etalab-decoupage-administratif-6.0.0.tgz

The committed data/geo is what runs; this script only documents and repeats
how it was made. The French arrondissement/EPCI table
(data/geo/sources/fr_commune_admin.tsv) is not in shared/geo: it comes from the
npm package @etalab/decoupage-administratif 6.0.0 (INSEE COG, Licence Ouverte)
and is only rewritten when ``--decoupage`` points at that package's tarball.
Hospital ids referenced by data/zones/*.yml are always kept, whatever their
category, so that a zone can never point at a missing row.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tarfile
from collections import defaultdict
from pathlib import Path
from typing import Optional

import numpy as np
import yaml

from assistant.geo import GEO_DATA_DIR, ZONES_DIR
from assistant.geo.normalise import fold

FR_DEPARTMENTS = ("02", "08", "54", "55", "57", "59", "62", "67")
FR_ADMIN_FILE = GEO_DATA_DIR / "sources" / "fr_commune_admin.tsv"
FR_ADMIN_COLUMNS = ["insee", "name", "dept", "arrondissement", "epci", "population", "postcodes"]
PLACE_COLUMNS = ["place_id", "country", "name", "kind", "admin1", "admin2", "admin3", "code",
                 "lat", "lon", "population", "postcodes", "alt_names"]
POSTCODE_COLUMNS = ["country", "postcode", "place", "place_id", "lat", "lon"]
HOSPITAL_COLUMNS = ["id", "label", "name", "site", "address", "postcode", "postcode_commune", "city",
                    "country", "region", "lat", "lon", "emergency", "main", "category", "facility_type",
                    "source_id", "ref_date"]

# Same rules as shared/geo/scripts/build_hospitals.py, applied to the regions that
# script left out (BE Limburg, FR Pas-de-Calais).
FR_ACUTE_TYPES = {
    "Centre Hospitalier (C.H.)", "Centre Hospitalier Régional (C.H.R.)", "Centre hospitalier, ex Hôpital local",
    "Etablissement de Soins Pluridisciplinaire", "Etablissement de Soins Chirurgicaux",
    "Etablissement de Soins Médicaux", "Centre de Lutte Contre Cancer",
    "Etablissement Soins Obstétriques Chirurgico-Gynécologiques"}
NON_ACUTE_NAME = re.compile(
    r"\b(CMP|CATTP|HJ|HDJ|USLD|SSR|HAD|CPEF|SMUR|PLANIFICATION|HOP(ITAL)?\.? ?DE JOUR|LONG(UE)? ?(SEJOUR|DUREE)|"
    r"READAPTATION|REEDUCATION|CONVALESCENCE|CURE|GERIATRI|EXAMENS|EDUCATION|PSYCH|PEDOPSY|ADDICTO|ALCOOLO|"
    r"DIALYSE|CRECHE|ENDOSCOPIE|RADIOLOG|TAGESKLINIK|PSYCHIATRIE|REHA|SUCHT|GERONTO|MOYEN SEJOUR|RESIDENCE|CTRE|CAT )",
    re.I)
# Sites that are acute by type but are no place to send someone "to the nearest hospital".
NOT_A_MAIN_SITE = re.compile(
    r"APPARTEMENT|PALLIATIF|EVEIL|ANTENNE|NUCLEAIRE|\bADOS\b|\bUHA\b|PLANIFICATION|\bHAD\b|DIALYSE|"
    r"\bSIAP\b|Tagesklinik|Psych", re.I)
FR_MAIN_TYPES = {"Centre Hospitalier (C.H.)", "Centre Hospitalier Régional (C.H.R.)",
                 "Etablissement de Soins Pluridisciplinaire"}
MAX_POSTCODES_PER_PLACE = 12
STUDY_BOX = (48.1, 51.9, 1.4, 8.6)   # lat min, lat max, lon min, lon max
OUTSIDE_KIND = "outside_region"
OUTSIDE_MIN_POPULATION = 15000
LATIN = re.compile(r"^[\u0020-\u024F\u1E00-\u1EFF’]+$")


def _read_csv(path: Path, delimiter: str = ",") -> list:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _write(path: Path, columns: list, rows: list, delimiter: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter=delimiter, lineterminator="\n",
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _coord(value) -> str:
    return f"{float(value):.5f}"


# --------------------------------------------------------------------------- French admin table
def write_fr_admin_from_decoupage(tarball: Path) -> None:
    """Arrondissement and EPCI of every current commune of the served departments."""
    with tarfile.open(tarball) as archive:
        communes = json.load(archive.extractfile("package/data/communes.json"))
        epcis = json.load(archive.extractfile("package/data/epci.json"))
    epci_of = {member["code"]: epci["code"] for epci in epcis for member in epci["membres"]}
    rows = []
    for commune in communes:
        if commune["type"] != "commune-actuelle" or commune["departement"] not in FR_DEPARTMENTS:
            continue
        rows.append({"insee": commune["code"], "name": commune["nom"], "dept": commune["departement"],
                     "arrondissement": commune.get("arrondissement", ""), "epci": epci_of.get(commune["code"], ""),
                     "population": commune.get("population", ""),
                     "postcodes": " ".join(sorted(commune.get("codesPostaux", []))),
                     "former_codes": " ".join(commune.get("anciensCodes", []))})
    _write(FR_ADMIN_FILE, FR_ADMIN_COLUMNS + ["former_codes"], rows, "\t")


# --------------------------------------------------------------------------- helpers
def _clean_alternates(name: str, alternates) -> list:
    """Latin-script exonyms only; GeoNames also carries lower-case romanisations and codes."""
    seen, out = {fold(name)}, []
    for alt in alternates:
        alt = alt.strip()
        if not alt or len(alt) > 60 or not LATIN.match(alt) or not any(ch.isupper() for ch in alt):
            continue
        if alt.isupper() and len(alt) <= 4:
            continue
        key = fold(alt)
        if key and key not in seen:
            seen.add(key)
            out.append(alt)
    return out


def _haversine_many(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    p = np.pi / 180.0
    a = (np.sin((lats - lat) * p / 2) ** 2
         + np.cos(lat * p) * np.cos(lats * p) * np.sin((lons - lon) * p / 2) ** 2)
    return 12742.0 * np.arcsin(np.sqrt(a))


def _title(text: str) -> str:
    """FINESS names are upper case; keep acronyms (CH, CHU, CHR) and lower-case particles."""
    if not text or not text.isupper():
        return text
    small = {"de", "du", "des", "la", "le", "les", "et", "a", "à", "sur", "en", "d", "l", "au", "aux"}
    words = []
    for i, word in enumerate(re.split(r"(\s+|-|')", text.lower())):
        if word in small and i:
            words.append(word)
        elif re.fullmatch(r"(?:[a-z]\.)+", word):   # "c.h." -> "C.H."
            words.append(word.upper())
        elif word.upper() in {"CH", "CHU", "CHR", "CHI", "CHS", "CHIC", "AZ", "SOS", "GCS", "EPSM", "CHRU", "UCL",
                              "HELORA", "SSR", "USLD", "CS", "BP"}:
            words.append(word.upper())
        else:
            words.append(word[:1].upper() + word[1:])
    return "".join(words)


# --------------------------------------------------------------------------- places
def _postal_rows(shared: Path, country: str) -> list:
    rows = []
    with open(shared / "geonames_postal" / f"{country}.txt", encoding="utf-8") as handle:
        for rec in csv.reader(handle, delimiter="\t"):
            rows.append({"country": rec[0], "postcode": rec[1].strip(), "place": rec[2].strip(),
                         "admin1_name": rec[3], "admin1": rec[4], "admin2_name": rec[5], "admin2": rec[6],
                         "admin3_name": rec[7], "admin3": rec[8], "lat": float(rec[9]), "lon": float(rec[10])})
    return rows


def _in_region(row: dict) -> bool:
    country = row["country"]
    if country == "BE":
        return row["admin1"] == "WAL" or row["admin2"] in ("VWV", "VLI")
    if country == "DE":
        return row["admin1"] in ("SL", "RP") or (row["admin1"] == "NW" and row["postcode"].startswith("52"))
    if country == "NL":
        return row["admin1_name"] == "Limburg"
    return country == "LU"


def _admin_of(row: dict) -> dict:
    """Which administrative codes the zones can select on, per country."""
    country = row["country"]
    if country == "BE":   # region, province, arrondissement (NIS code)
        return {"admin1": row["admin1"], "admin2": row["admin2"], "admin3": row["admin3"], "code": ""}
    if country == "DE":   # Land, -, Kreis (AGS)
        return {"admin1": row["admin1"], "admin2": "", "admin3": row["admin3"], "code": ""}
    if country == "LU":   # canton, commune
        return {"admin1": row["admin1"], "admin2": row["admin2_name"], "admin3": "", "code": ""}
    # NL: province, gemeente (CBS code)
    return {"admin1": row["admin1"], "admin2": row["admin3"] or row["admin2"], "admin3": "", "code": ""}


def _base_name(name: str) -> str:
    """ "Neunkirchen/Saar" -> "Neunkirchen": postal names often carry a river or district."""
    return re.split(r"\s*[/,(]", name, maxsplit=1)[0].strip() or name


def _slug(text: str) -> str:
    return fold(text).replace(" ", "-")


def build_foreign_places(shared: Path, cities: list) -> tuple:
    """BE/DE/LU/NL places: postal localities merged with GeoNames cities500 (population, exonyms)."""
    places, postcodes, outside = [], [], []
    for country in ("BE", "DE", "LU", "NL"):
        every = _postal_rows(shared, country)
        groups = defaultdict(list)
        for row in every:
            if _in_region(row):
                admin = _admin_of(row)
                groups[(fold(row["place"]), admin["admin1"], admin["admin2"], admin["admin3"])].append(row)
        country_places = []
        for rows in groups.values():
            codes = sorted({r["postcode"] for r in rows})
            place = {"place_id": f"{country}-{codes[0].replace(' ', '')}-{_slug(rows[0]['place'])}", "country": country,
                     "name": rows[0]["place"], "kind": "postal_locality",
                     "lat": sum(r["lat"] for r in rows) / len(rows), "lon": sum(r["lon"] for r in rows) / len(rows),
                     "population": 0, "postcodes": codes, "alt": [], **_admin_of(rows[0])}
            country_places.append(place)
            seen = set()
            for r in rows:
                if (r["postcode"], r["place"]) not in seen:
                    seen.add((r["postcode"], r["place"]))
                    postcodes.append({"country": country, "postcode": r["postcode"], "place": r["place"],
                                      "place_id": place["place_id"], "lat": r["lat"], "lon": r["lon"]})
        by_key = defaultdict(list)
        for place in country_places:
            by_key[fold(place["name"])].append(place)
            base = _base_name(place["name"])
            if base != place["name"]:
                by_key[fold(base)].append(place)
        all_lat = np.array([r["lat"] for r in every])
        all_lon = np.array([r["lon"] for r in every])
        for city in (c for c in cities if c["countrycode"] == country):
            lat, lon = float(city["latitude"]), float(city["longitude"])
            alternates = city["alternatenames"].split("|") if city["alternatenames"] else []
            match = None
            for name in [city["name"], *alternates]:
                near = [p for p in by_key.get(fold(name), ())
                        if _haversine_many(lat, lon, np.array([p["lat"]]), np.array([p["lon"]]))[0] < 12]
                if near:
                    match = near[0]
                    break
            if match is None:
                nearest = every[int(np.argmin(_haversine_many(lat, lon, all_lat, all_lon)))]
                if not _in_region(nearest):
                    _add_outside(outside, city)
                    continue
                if _haversine_many(lat, lon, np.array([nearest["lat"]]), np.array([nearest["lon"]]))[0] > 10:
                    continue
                match = {"place_id": f"{country}-gn{city['geonameid']}", "country": country, "name": city["name"],
                         "kind": "geonames_place", "population": 0, "postcodes": [], "alt": [], **_admin_of(nearest),
                         "admin_from": "nearest_postcode"}
                country_places.append(match)
                by_key[fold(city["name"])].append(match)
            else:
                if fold(match["name"]) != fold(city["name"]):
                    match["alt"].append(match["name"])
                    match["name"] = city["name"]
            match["lat"], match["lon"] = lat, lon
            match["population"] = max(int(match["population"] or 0), int(city["population"] or 0))
            match["alt"].extend(alternates)
        places.extend(country_places)
    return places + outside, postcodes


def _laposte(shared: Path) -> dict:
    by_insee = defaultdict(list)
    for row in _read_csv(shared / "fr_laposte" / "laposte_hexasmal_2020.csv", ";"):
        by_insee[row["Code_commune_INSEE"]].append(row)
    return by_insee


def build_french_places(shared: Path, cities: list, laposte: dict) -> tuple:
    """French communes: INSEE names/arrondissements, La Poste coordinates, GeoNames exonyms."""
    admin = {row["insee"]: row for row in _read_csv(FR_ADMIN_FILE, "\t")}
    coords = {row["insee"]: row for row in _read_csv(shared / "fr_communes_border_depts.csv")}
    places, postcodes = [], []
    for insee, row in admin.items():
        lat = lon = None
        if coords.get(insee, {}).get("lat"):
            lat, lon = float(coords[insee]["lat"]), float(coords[insee]["lon"])
        lp_rows = list(laposte.get(insee, []))
        for former in row.get("former_codes", "").split():
            lp_rows += laposte.get(former, [])
        if lat is None:
            gps = [r["coordonnees_gps"] for r in lp_rows if r["coordonnees_gps"]]
            if not gps:
                continue   # no coordinates anywhere (Culey, 55138): cannot measure a distance
            lat, lon = (float(x) for x in gps[0].split(","))
        codes = sorted(set(row["postcodes"].split()) | {r["Code_postal"] for r in lp_rows})
        # La Poste's Ligne_5 holds former communes and hamlets ("MOHON" in Charleville-Mézières).
        alternates = sorted({r["Ligne_5"].title() for r in lp_rows if r["Ligne_5"]}
                            | {r["Nom_commune"].title() for r in lp_rows})
        place = {"place_id": f"FR-{insee}", "country": "FR", "name": row["name"], "kind": "commune",
                 "admin1": row["dept"], "admin2": row["arrondissement"], "admin3": row["epci"], "code": insee,
                 "lat": lat, "lon": lon, "population": int(row["population"] or 0), "postcodes": codes,
                 "alt": alternates}
        places.append(place)
        for code in codes:
            postcodes.append({"country": "FR", "postcode": code, "place": row["name"], "place_id": place["place_id"],
                              "lat": lat, "lon": lon})
    by_key = defaultdict(list)
    for place in places:
        by_key[fold(place["name"])].append(place)
    for city in (c for c in cities if c["countrycode"] == "FR"):
        lat, lon = float(city["latitude"]), float(city["longitude"])
        alternates = city["alternatenames"].split("|") if city["alternatenames"] else []
        for name in [city["name"], *alternates]:
            near = [p for p in by_key.get(fold(name), ())
                    if _haversine_many(lat, lon, np.array([p["lat"]]), np.array([p["lon"]]))[0] < 15]
            if near:
                near[0]["alt"].extend([city["name"], *alternates])
                break
        else:
            _add_outside(places, city)
    return places, postcodes


def _add_outside(places: list, city: dict) -> None:
    """Big towns outside the served regions, so that "Paris" is recognised as out of
    scope instead of being fuzzy-matched to a hamlet called Parois."""
    if int(city["population"] or 0) < OUTSIDE_MIN_POPULATION:
        return
    places.append({"place_id": f"{city['countrycode']}-out{city['geonameid']}", "country": city["countrycode"],
                   "name": city["name"], "kind": OUTSIDE_KIND, "admin1": "", "admin2": "", "admin3": "",
                   "code": "", "lat": float(city["latitude"]), "lon": float(city["longitude"]),
                   "population": int(city["population"]), "postcodes": [],
                   "alt": city["alternatenames"].split("|") if city["alternatenames"] else []})


def _place_rows(places: list) -> list:
    rows = []
    for place in places:
        rows.append({**place, "lat": _coord(place["lat"]), "lon": _coord(place["lon"]),
                     "population": int(place["population"] or 0),
                     # Luxembourg City alone has hundreds of street codes: postcodes.tsv keeps them all.
                     "postcodes": " ".join(place["postcodes"][:MAX_POSTCODES_PER_PLACE]),
                     "alt_names": "|".join(_clean_alternates(place["name"], place["alt"]))})
    rows.sort(key=lambda r: (r["country"], r["place_id"]))
    return rows


# --------------------------------------------------------------------------- hospitals
def _zone_hospital_ids() -> set:
    ids = set()
    for path in sorted(ZONES_DIR.glob("*.yml")):
        zone = yaml.safe_load(path.read_text(encoding="utf-8"))
        for side in (zone.get("sides") or {}).values():
            ids.update(h["id"] for h in side.get("hospitals") or [] if h.get("id"))
    return ids


def _fr_acute(row: dict) -> bool:
    return row["facility_type"] in FR_ACUTE_TYPES and not NON_ACUTE_NAME.search(
        f"{row['hospital_name']} {row['site_name']}")


def _extra_region_rows(shared: Path) -> list:
    """GISCO sites that shared/geo did not pre-filter: Belgian Limburg and Pas-de-Calais."""
    rows = []
    for row in _read_csv(shared / "eurostat_healthcare" / "BE.csv"):
        code = row["postcode"].strip()
        if code.isdigit() and 3500 <= int(code) <= 3999 and "sychiatr" not in row["facility_type"] and (
                row["emergency"] == "yes" or "algemeen" in row["facility_type"].lower()):
            rows.append({**row, "source_id": row["id"], "cc": "BE", "region": "Limburg (BE)",
                         "category": "acute_candidate", "coord_suspect": ""})
    for row in _read_csv(shared / "eurostat_healthcare" / "FR.csv"):
        if row["postcode"].strip().startswith("62") and _fr_acute(row):
            rows.append({**row, "source_id": row["id"], "cc": "FR", "region": "62",
                         "category": "acute_candidate", "coord_suspect": ""})
    for row in rows:
        row["city"] = re.sub(r"\s+\d+$", "", row["city"].strip())
        lat, lon = float(row["lat"]), float(row["lon"])
        if not (STUDY_BOX[0] <= lat <= STUDY_BOX[1] and STUDY_BOX[2] <= lon <= STUDY_BOX[3]):
            row["coord_suspect"] = "outside_study_box"   # same rule as shared/geo, widened to the 62 coast
    return rows


# (department, folded commune name) -> the commune's ordinary postcodes. FINESS gives
# CEDEX codes (08011) that mean nothing to a patient looking for the commune (08000).
_COMMUNE_POSTCODES: dict = {}


def _index_commune_postcodes(laposte: dict) -> None:
    found = defaultdict(set)
    for insee, rows in laposte.items():
        for row in rows:
            for name in (row["Nom_commune"], row["Ligne_5"]):
                if name:
                    found[(insee[:2], fold(name))].add(row["Code_postal"])
    _COMMUNE_POSTCODES.update({key: " ".join(sorted(codes)) for key, codes in found.items()})


def _address(street: str, number: str, country: str) -> str:
    street = re.sub(r"\s+(CS|BP)\s*\d+\b", "", street or "").strip()
    street = _title(street)
    if not number:
        return street
    return f"{number} {street}" if country == "FR" else f"{street} {number}"


def _label(row: dict, key: dict | None) -> str:
    """A readable name: the hand-made label of the key list, else the site's own name."""
    if key:
        return key["label"]
    hospital, site = _title(row["hospital_name"].strip()), _title(row["site_name"].strip())
    if site and fold(site) not in fold(hospital) and row["cc"] in ("BE", "NL", "LU"):
        return f"{hospital} – {site}"
    if row["cc"] == "DE" and site and site != "Hauptstandort":
        return site
    return hospital


def _is_main(row: dict, key: bool) -> bool:
    if key:
        return True
    if row["category"] != "acute_candidate" or NOT_A_MAIN_SITE.search(f"{row['hospital_name']} {row['site_name']}"):
        return False
    if row["cc"] == "FR":
        return row["facility_type"] in FR_MAIN_TYPES
    if row["cc"] == "BE":
        return row["emergency"] == "yes"
    return True


def _fr_commune_names() -> dict:
    """(department, folded name) -> the INSEE spelling: FINESS writes "CHARLEVILLE MEZIERES"."""
    return {(row["dept"], fold(row["name"])): row["name"] for row in _read_csv(FR_ADMIN_FILE, "\t")}


def build_hospitals(shared: Path, laposte: dict) -> list:
    _index_commune_postcodes(laposte)
    commune_names = _fr_commune_names()
    key_rows = _read_csv(shared / "hospitals_border_key.csv")
    key_by_source = {}
    for row in key_rows:
        source_id = row["source"].rsplit("id=", 1)[1]
        key_by_source[(row["cc"], source_id)] = row
    wanted = _zone_hospital_ids()
    candidates = _read_csv(shared / "hospitals_border_all.csv") + _extra_region_rows(shared)
    out, seen = [], set()
    for row in candidates:
        hid = f"{row['cc']}-{row['source_id']}"
        key = key_by_source.get((row["cc"], row["source_id"]))
        if hid in seen or row.get("coord_suspect"):
            continue
        if not (key or hid in wanted or row["category"] == "acute_candidate"):
            continue
        if row["cc"] == "NL" and row["category"] == "outpatient_only" and hid not in wanted:
            continue
        seen.add(hid)
        postcode = row["postcode"].strip()
        commune_postcode = (key or {}).get("postcode_commune") or postcode
        if row["cc"] == "FR" and not key:
            commune_postcode = _COMMUNE_POSTCODES.get((postcode[:2], fold(row["city"])), postcode)
        out.append({
            "id": hid, "label": _label(row, key),
            "name": row["hospital_name"].strip(), "site": row["site_name"].strip(),
            "address": _address(row["street"], row["house_number"], row["cc"]),
            "postcode": postcode, "postcode_commune": commune_postcode.split()[0] if commune_postcode else "",
            "city": commune_names.get((postcode[:2], fold(row["city"])), _title(row["city"]))
            if row["cc"] == "FR" else _title(row["city"]), "country": row["cc"], "region": row["region"],
            "lat": _coord(row["lat"]), "lon": _coord(row["lon"]), "emergency": row["emergency"],
            "main": int(_is_main(row, bool(key))), "category": row["category"],
            "facility_type": row["facility_type"], "source_id": row["source_id"], "ref_date": row["ref_date"]})
    missing = wanted - seen
    if missing:
        raise SystemExit(f"data/zones reference hospital ids absent from shared/geo: {sorted(missing)}")
    out.sort(key=lambda r: (r["country"], r["id"]))
    return out


# --------------------------------------------------------------------------- main
def build(shared: Path, decoupage: Optional[Path] = None, out_dir: Path = GEO_DATA_DIR) -> dict:
    """Write places.tsv, postcodes.tsv and hospitals.csv into ``out_dir``; return row counts."""
    if decoupage:
        write_fr_admin_from_decoupage(decoupage)
    if not FR_ADMIN_FILE.exists():
        raise SystemExit(f"{FR_ADMIN_FILE} is missing: run once with --decoupage <tarball>")
    cities = _read_csv(shared / "geonames_cities500_border_region.tsv", "\t")
    laposte = _laposte(shared)
    fr_places, fr_postcodes = build_french_places(shared, cities, laposte)
    other_places, other_postcodes = build_foreign_places(shared, cities)
    places = _place_rows(fr_places + other_places)
    postcodes = [{**p, "lat": _coord(p["lat"]), "lon": _coord(p["lon"])} for p in fr_postcodes + other_postcodes]
    postcodes.sort(key=lambda r: (r["country"], r["postcode"], r["place"]))
    hospitals = build_hospitals(shared, laposte)
    _write(out_dir / "places.tsv", PLACE_COLUMNS, places, "\t")
    _write(out_dir / "postcodes.tsv", POSTCODE_COLUMNS, postcodes, "\t")
    _write(out_dir / "hospitals.csv", HOSPITAL_COLUMNS, hospitals, ",")
    return {"places": len(places), "postcodes": len(postcodes), "hospitals": len(hospitals)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/geo"), help="the shared/geo folder")
    parser.add_argument("--decoupage", type=Path, default=None,
                        help="tarball of npm @etalab/decoupage-administratif 6.0.0 (refreshes the FR admin table)")
    parser.add_argument("--out", type=Path, default=GEO_DATA_DIR, help="where to write (default: data/geo)")
    args = parser.parse_args(argv)
    counts = build(args.shared.resolve(), args.decoupage, args.out)
    print(", ".join(f"{n} {what}" for what, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
