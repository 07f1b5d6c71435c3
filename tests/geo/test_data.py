"""The committed data: small, fast to load, consistent with the zones, reproducible."""
import csv
import os
import time
from pathlib import Path

import pytest

from assistant.geo import GEO_DATA_DIR, ROOT, ZONES_DIR
from assistant.geo.gazetteer import Gazetteer
from assistant.geo.hospitals import load_hospitals
from assistant.geo.zones import load_zone, load_zones

# The research data the committed files are built from (8 MB, not in the repository): beside the
# checkout on every machine of this project. Elsewhere set GEO_SHARED_DIR, or SKIP_GEO_REBUILD=1 to
# say on purpose that the rebuild is not checked; a missing folder is a failure, never a quiet skip.
SHARED_GEO = Path(os.environ.get("GEO_SHARED_DIR", ROOT.parent / "shared" / "geo"))


def test_loading_all_data_takes_less_than_a_second():
    start = time.perf_counter()
    Gazetteer.load()
    load_hospitals.__wrapped__()
    tuple(load_zone(path) for path in sorted(ZONES_DIR.glob("*.yml")))
    assert time.perf_counter() - start < 1.0


def test_data_stays_lean():
    total = sum(p.stat().st_size for p in GEO_DATA_DIR.rglob("*") if p.is_file())
    assert total < 3 * 1024 * 1024


def test_attribution_names_every_source_and_licence():
    text = (GEO_DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for needle in ("GeoNames", "CC BY 4.0", "La Poste", "ODbL", "share-alike", "Licence Ouverte", "INSEE",
                   "GISCO", "HELORA", "Vivalia", "HUmani", "CEDEX", "2017"):
        assert needle in text


def test_suspect_coordinates_are_dropped_and_sites_are_in_the_study_area():
    hospitals = load_hospitals()
    assert not any("JURY" in h.name.upper() for h in hospitals.values())
    for hospital in hospitals.values():
        assert 48.0 < hospital.lat < 52.0 and 1.4 < hospital.lon < 8.7, hospital.id   # 1.5: Pas-de-Calais coast


def test_every_served_country_has_places_postcodes_and_hospitals():
    places = list(csv.DictReader(open(GEO_DATA_DIR / "places.tsv", encoding="utf-8"), delimiter="\t"))
    postcodes = list(csv.DictReader(open(GEO_DATA_DIR / "postcodes.tsv", encoding="utf-8"), delimiter="\t"))
    hospitals = load_hospitals()
    for country in ("BE", "DE", "FR", "LU", "NL"):
        assert sum(p["country"] == country and p["kind"] != "outside_region" for p in places) > 100
        assert sum(p["country"] == country for p in postcodes) > 100
        assert sum(h.country == country and h.main for h in hospitals.values()) >= 5


def test_french_addresses_use_the_commune_postcode_not_cedex():
    charleville = load_hospitals()["FR-80000425"]
    assert charleville.postcode == "08011"               # CEDEX code in FINESS
    assert charleville.full_address.endswith("08000 Charleville-Mézières")


VALID_CONFIDENCE = {"solid", "single_source", "uncertain"}
VALID_LEVELS = {"fr_commune", "fr_arrondissement", "fr_department", "fr_epci", "be_postcode", "be_arrondissement",
                "be_province", "de_kreis", "de_place", "lu_canton", "lu_commune", "nl_gemeente"}


@pytest.mark.parametrize("zone", load_zones(), ids=lambda z: z.id)
def test_zone_file_is_complete_and_points_at_real_hospitals(zone):
    hospitals = load_hospitals()
    assert zone.confidence in VALID_CONFIDENCE
    assert zone.access in ("free", "medical_regulation")
    assert zone.sources and all(s["title"] and s["url"].startswith("http") for s in zone.sources)
    assert set(zone.sides) <= set(zone.countries) and len(zone.countries) == 2
    assert zone.unknown, "every zone says what is not known"
    for country, side in zone.sides.items():
        assert side.bring
        for selector in side.territory + side.possible_territory:
            assert selector["level"] in VALID_LEVELS
            assert selector["codes"] and selector.get("labels")
            if selector in side.territory:
                assert selector["basis"] in ("source", "approximation")
                if selector["basis"] == "approximation":
                    assert selector.get("note"), "an approximation says why"
        for hospital in side.hospitals:
            row = hospitals[hospital.id]
            assert row.country == country
            assert hospital.name in (row.name, f"{row.name} | {row.site}"), hospital.id
            assert hospital.status in ("listed", "pilot_era", "predecessor")


@pytest.mark.skipif(os.environ.get("SKIP_GEO_REBUILD") == "1", reason="SKIP_GEO_REBUILD=1")
def test_build_script_reproduces_the_committed_data(tmp_path):
    assert SHARED_GEO.is_dir(), f"{SHARED_GEO} is missing: set GEO_SHARED_DIR (or SKIP_GEO_REBUILD=1)"
    from assistant.geo.build_data import build
    counts = build(SHARED_GEO, out_dir=tmp_path)
    assert counts["hospitals"] > 400
    for name in ("places.tsv", "postcodes.tsv", "hospitals.csv"):
        assert (tmp_path / name).read_bytes() == (GEO_DATA_DIR / name).read_bytes(), name
