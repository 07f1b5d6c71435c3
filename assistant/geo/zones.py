"""The cross-border schemes of data/zones/*.yml, and which of them contain a place.

A zone has one side per country. ``sides[X].territory`` says who lives in the zone
on side X; ``sides[X].hospitals`` are the establishments located in X, which the
residents of the *other* side may use. Each territory selector carries a
``basis``: ``source`` (the source names this unit) or ``approximation`` (a loosely
described area mapped onto administrative units). ``possible_territory`` only
flags "there may be a scheme here" and never makes anyone eligible.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from assistant.geo import ZONES_DIR
from assistant.geo.gazetteer import Place
from assistant.geo.normalise import fold

SOURCE, APPROXIMATION, POSSIBLE = "source", "approximation", "possible"
_BASIS_RANK = {SOURCE: 0, APPROXIMATION: 1, POSSIBLE: 2}

# Care vocabulary used by data/zones and by callers of facilities.nearest().
CARE_TYPES = (
    "all_care", "emergency", "cardiology_emergency", "neurosurgical_emergency", "polytrauma", "neurosurgery",
    "cardiac_surgery", "nuclear_medicine", "stroke", "obstetrics", "gynaecology", "paediatrics",
    "medically_assisted_procreation", "cosmetic_surgery", "dialysis", "rehabilitation")
CARE_ALIASES = {
    "maternity": "obstetrics", "birth": "obstetrics", "childbirth": "obstetrics", "accouchement": "obstetrics",
    "maternite": "obstetrics", "geburt": "obstetrics", "bevalling": "obstetrics", "pediatrics": "paediatrics",
    "ivf": "medically_assisted_procreation", "pma": "medically_assisted_procreation",
    "art": "medically_assisted_procreation", "cosmetic": "cosmetic_surgery", "aesthetic_surgery": "cosmetic_surgery",
    "heart_attack": "cardiology_emergency", "infarction": "cardiology_emergency", "infarctus": "cardiology_emergency",
    "pet": "nuclear_medicine", "pet_scan": "nuclear_medicine", "urgence": "emergency", "notfall": "emergency",
    "spoed": "emergency", "any": None, "all": None, "general": None,
    # Words people use in the five languages (folded: no accents, lower case).
    "materniteit": "obstetrics", "maternitat": "obstetrics", "gebuert": "obstetrics", "entbannen": "obstetrics",
    "geburtsstation": "obstetrics", "kreisssaal": "obstetrics", "entbindung": "obstetrics",
    "kraamafdeling": "obstetrics", "verloskunde": "obstetrics", "bevallen": "obstetrics", "accoucher": "obstetrics",
    "delivery": "obstetrics", "pediatre": "paediatrics", "pediatrie": "paediatrics", "kinderarzt": "paediatrics",
    "kinderarztin": "paediatrics", "kinderklinik": "paediatrics", "kinderarts": "paediatrics",
    "kannerdokter": "paediatrics", "paediatrician": "paediatrics", "pediatrician": "paediatrics",
    "dialyse": "dialysis", "dialysezentrum": "dialysis", "dialysecentrum": "dialysis",
    "urgences": "emergency", "notaufnahme": "emergency", "spoedeisende": "emergency",
}

# Care status of a scheme for one care type.
COVERED, RESTRICTED, EXCLUDED, PENDING, NOT_COVERED, UNKNOWN = (
    "covered", "restricted", "excluded", "pending", "not_covered", "unknown")


@dataclass(frozen=True)
class ZoneHospital:
    id: str
    name: str                      # as in the source data (GISCO/FINESS), for traceability
    status: str                    # listed | pilot_era | predecessor
    note: str = ""
    care: Tuple[str, ...] = ()     # only these care types at this hospital, when set
    confidence: str = ""           # overrides the zone's confidence when set
    current_name: str = ""         # name after a merger (e.g. HELORA), when a source gives it


@dataclass(frozen=True)
class Side:
    country: str
    residents: str
    bring: Tuple[str, ...]
    conditions: Tuple[str, ...]
    territory: Tuple[dict, ...]
    possible_territory: Tuple[dict, ...]
    hospitals: Tuple[ZoneHospital, ...]
    not_in_data: Tuple[str, ...]


@dataclass(frozen=True)
class Zone:
    id: str
    name: str
    kind: str                      # zoast | regulated_convention
    access: str                    # free | medical_regulation
    countries: Tuple[str, ...]
    created: str
    confidence: str                # solid | single_source | uncertain
    sources: Tuple[dict, ...]      # {title, url}
    covers: Tuple[str, ...]
    excludes: Tuple[str, ...]
    added_by_protocols: Tuple[str, ...]
    pending: Tuple[str, ...]
    excluded_people: Tuple[str, ...]
    sides: Dict[str, Side]
    unknown: Tuple[str, ...]

    def hospitals_for_residents_of(self, country: str) -> List[Tuple[str, ZoneHospital]]:
        """(hospital country, hospital) pairs that residents of ``country`` may use."""
        return [(c, h) for c, side in self.sides.items() if c != country for h in side.hospitals]

    def care_status(self, care_type: Optional[str]) -> str:
        care_type = normalise_care(care_type)
        if care_type is not None and care_type in self.excludes:
            return EXCLUDED
        if not self.covers:
            return UNKNOWN
        if "all_care" in self.covers:
            return COVERED
        if care_type is None:
            return RESTRICTED
        if care_type in self.covers or care_type in self.added_by_protocols:
            return COVERED
        if care_type in self.pending:
            return PENDING
        return NOT_COVERED

    @property
    def restricted_to(self) -> Tuple[str, ...]:
        return () if "all_care" in self.covers else self.covers + self.added_by_protocols


@dataclass(frozen=True)
class ZoneMatch:
    zone: Zone
    side: Side            # the resident's side
    basis: str            # source | approximation | possible
    label: str            # the territory unit that matched ("Sedan", "Regionalverband Saarbrücken")
    note: str


def normalise_care(care_type: Optional[str]) -> Optional[str]:
    if not care_type:
        return None
    key = fold(care_type).replace(" ", "_")
    if key in CARE_ALIASES:
        return CARE_ALIASES[key]
    return key


def _side(country: str, raw: dict) -> Side:
    return Side(
        country=country, residents=raw.get("residents", ""), bring=tuple(raw.get("bring") or ()),
        conditions=tuple(raw.get("conditions") or ()), territory=tuple(raw.get("territory") or ()),
        possible_territory=tuple(raw.get("possible_territory") or ()),
        hospitals=tuple(ZoneHospital(id=h["id"], name=h.get("name", ""), status=h.get("status", "listed"),
                                     note=h.get("note", ""), care=tuple(h.get("care") or ()),
                                     confidence=h.get("confidence", ""), current_name=h.get("current_name", ""))
                        for h in raw.get("hospitals") or ()),
        not_in_data=tuple(raw.get("not_in_data") or ()))


def load_zone(path: Path) -> Zone:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    care = raw.get("care") or {}
    return Zone(
        id=raw["id"], name=raw["name"], kind=raw["kind"], access=raw["access"],
        countries=tuple(raw["countries"]), created=str(raw.get("created", "")), confidence=raw["confidence"],
        sources=tuple(raw.get("sources") or ()), covers=tuple(care.get("covers") or ()),
        excludes=tuple(care.get("excludes") or ()), added_by_protocols=tuple(care.get("added_by_protocols") or ()),
        pending=tuple(care.get("pending") or ()), excluded_people=tuple(raw.get("excluded_people") or ()),
        sides={country: _side(country, side) for country, side in (raw.get("sides") or {}).items()},
        unknown=tuple(raw.get("unknown") or ()))


@functools.lru_cache(maxsize=None)
def load_zones(zones_dir: Path = ZONES_DIR) -> Tuple[Zone, ...]:
    return tuple(load_zone(path) for path in sorted(zones_dir.glob("*.yml")))


def zone_by_id(zone_id: str) -> Zone:
    for zone in load_zones():
        if zone.id == zone_id:
            return zone
    raise KeyError(zone_id)


# ---------------------------------------------------------------------- membership
_LEVEL_COUNTRY = {"fr_commune": "FR", "fr_arrondissement": "FR", "fr_department": "FR", "fr_epci": "FR",
                  "be_postcode": "BE", "be_arrondissement": "BE", "be_province": "BE",
                  "de_kreis": "DE", "de_place": "DE", "lu_canton": "LU", "lu_commune": "LU", "nl_gemeente": "NL"}


def selector_matches(selector: dict, place: Place, postcode: str = "") -> bool:
    level = selector["level"]
    if _LEVEL_COUNTRY.get(level) != place.country:
        return False
    codes = {str(c) for c in selector.get("codes") or ()}
    if level == "fr_commune":
        return place.code in codes
    if level == "fr_arrondissement":
        return place.admin2 in codes
    if level == "fr_department":
        return place.admin1 in codes
    if level == "fr_epci":
        return place.admin3 in codes
    if level == "be_postcode":
        typed = {postcode} if postcode else set()
        return bool((typed or set(place.postcodes)) & codes)
    if level == "be_arrondissement":
        return place.admin3 in codes
    if level == "be_province":
        return place.admin2 in codes
    if level == "de_kreis":
        return place.admin3 in codes
    if level == "de_place":
        return any(code.split(":", 1)[0] == place.admin3 and fold(code.split(":", 1)[1]) == fold(place.name)
                   for code in codes)
    if level == "lu_canton":
        return place.admin1 in codes
    if level == "lu_commune":
        return fold(place.admin2) in {fold(c) for c in codes}
    if level == "nl_gemeente":
        return place.admin2 in codes
    return False


def _label(selector: dict, place: Place) -> str:
    labels = [str(x) for x in selector.get("labels") or ()]
    codes = [str(c) for c in selector.get("codes") or ()]
    if len(labels) == len(codes) and len(labels) > 1:
        for code, label in zip(codes, labels):
            if selector_matches({**selector, "codes": [code]}, place):
                return label
    return ", ".join(labels)


def zones_containing(place: Place, postcode: str = "", zones=None) -> List[ZoneMatch]:
    """Every zone whose territory (or possible territory) holds ``place``, strongest basis first."""
    matches = []
    for zone in zones if zones is not None else load_zones():
        side = zone.sides.get(place.country)
        if side is None:
            continue
        found = None
        for selector in side.territory:
            if selector_matches(selector, place, postcode):
                basis = selector.get("basis", APPROXIMATION)
                if found is None or _BASIS_RANK[basis] < _BASIS_RANK[found.basis]:
                    found = ZoneMatch(zone, side, basis, _label(selector, place), selector.get("note", ""))
        if found is None:
            for selector in side.possible_territory:
                if selector_matches(selector, place, postcode):
                    found = ZoneMatch(zone, side, POSSIBLE, _label(selector, place), selector.get("note", ""))
                    break
        if found is not None:
            matches.append(found)
    matches.sort(key=lambda m: (_BASIS_RANK[m.basis], m.zone.id))
    return matches
