"""Nearest eligible facilities across the border for a place, plus the domestic comparison.

``nearest(place, care_type=None)`` accepts what the user typed (a string), a
``Resolution`` or a ``Candidate`` and returns a ``NearestResult``: the three closest
hospitals that a scheme makes available to a resident of that place, the
nearest general hospital at home, and, when no scheme applies, the general EU
routes (EHIC for unforeseen care, S2 or Directive 2011/24 for planned care).
Only hospitals with ``status: listed`` in a zone are offered as eligible; pilot-era
or predecessor partners and "possible" zones become notes, never options.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple, Union

from assistant.geo.distance import haversine_km
from assistant.geo.gazetteer import AMBIGUOUS, FOUND, NOT_FOUND, Candidate, Resolution, resolve
from assistant.geo.hospitals import Hospital, load_hospitals, nearest_main
from assistant.geo.zones import (
    APPROXIMATION,
    EXCLUDED,
    NOT_COVERED,
    PENDING,
    POSSIBLE,
    RESTRICTED,
    SOURCE,
    UNKNOWN,
    Zone,
    ZoneHospital,
    ZoneMatch,
    normalise_care,
    zones_containing,
)

TOP_N = 3
_CONFIDENCE_RANK = {"solid": 0, "single_source": 1, "uncertain": 2}


@dataclass(frozen=True)
class FacilityOption:
    hospital: Hospital
    distance_km: float
    zone: Zone
    basis: str                     # source | approximation: how sure we are the place is in the zone
    care_status: str               # covered | restricted (only some care, e.g. MOSAR)
    care_only: Tuple[str, ...]     # the care types this option is limited to ("" = all care of the zone)
    bring: Tuple[str, ...]
    conditions: Tuple[str, ...]
    note: str
    confidence: str                # solid | single_source | uncertain
    current_name: str = ""         # the site's name after a merger, when a source gives it

    def as_dict(self) -> dict:
        h = self.hospital
        return {"id": h.id, "name": self.current_name or h.label, "source_name": h.name, "site": h.site,
                "address": h.full_address, "country": h.country, "lat": h.lat, "lon": h.lon,
                "distance_km": round(self.distance_km, 1),
                "emergency_in_source": h.emergency, "scheme": self.zone.id, "scheme_name": self.zone.name,
                "access": self.zone.access, "membership": self.basis, "care_status": self.care_status,
                "care_only": list(self.care_only), "bring": list(self.bring), "conditions": list(self.conditions),
                "note": self.note, "confidence": self.confidence}


@dataclass(frozen=True)
class NearestResult:
    status: str                                    # found | ambiguous | not_found (of the place)
    resolution: Resolution
    place: Optional[Candidate] = None
    care_type: Optional[str] = None
    options: Tuple[FacilityOption, ...] = ()
    domestic: Optional[Tuple[Hospital, float]] = None
    zones: Tuple[ZoneMatch, ...] = ()              # every zone touching the place, possible ones included
    care_excluded: Tuple[Tuple[Zone, str], ...] = ()   # (zone, care status) where the care asked for is not covered
    unconfirmed: Tuple[Tuple[Zone, ZoneHospital, Hospital, float], ...] = ()  # pilot-era / predecessor partners
    general_routes: bool = False
    unknowns: Tuple[str, ...] = field(default=())

    @property
    def schemes(self) -> Tuple[Zone, ...]:
        seen, out = set(), []
        for option in self.options:
            if option.zone.id not in seen:
                seen.add(option.zone.id)
                out.append(option.zone)
        return tuple(out)

    def as_dict(self) -> dict:
        place = self.place
        domestic = None
        if self.domestic:
            hospital, distance = self.domestic
            domestic = {"id": hospital.id, "name": hospital.label, "address": hospital.full_address,
                        "country": hospital.country, "distance_km": round(distance, 1)}
        return {
            "status": self.status, "resolution": self.resolution.as_dict(),
            "place": place.as_dict() if place else None, "care_type": self.care_type,
            "options": [o.as_dict() for o in self.options], "domestic": domestic,
            "zones": [{"id": m.zone.id, "name": m.zone.name, "membership": m.basis, "matched": m.label,
                       "confidence": m.zone.confidence, "access": m.zone.access} for m in self.zones],
            "care_excluded": [{"zone": z.id, "care_status": s} for z, s in self.care_excluded],
            "unconfirmed_partners": [{"zone": z.id, "id": h.id, "name": h.label, "status": zh.status,
                                      "distance_km": round(d, 1)} for z, zh, h, d in self.unconfirmed],
            "general_routes": self.general_routes, "unknowns": list(self.unknowns)}


PlaceInput = Union[str, Resolution, Candidate]


def option_groups(options) -> List[Tuple[Optional[Zone], List[FacilityOption]]]:
    """How answers present the options: free access first (zone None), then the regulated ones zone
    by zone. The reply's text and the map number them in this one order."""
    options = list(options)
    free = [o for o in options if o.zone.access == "free"]
    regulated = [o for o in options if o.zone.access != "free"]
    groups: List[Tuple[Optional[Zone], List[FacilityOption]]] = [(None, free)] if free else []
    for zone_id in dict.fromkeys(o.zone.id for o in regulated):
        zone_options = [o for o in regulated if o.zone.id == zone_id]
        groups.append((zone_options[0].zone, zone_options))
    return groups


def _as_resolution(place: PlaceInput, country_hint: Optional[str]) -> Resolution:
    if isinstance(place, Resolution):
        return place
    if isinstance(place, Candidate):
        return Resolution(place.name, FOUND, (place,), (place.country,), postcode=place.postcode)
    return resolve(str(place), country_hint)


def _hospital_allows(zone_hospital: ZoneHospital, care_type: Optional[str]) -> bool:
    return not zone_hospital.care or care_type is None or care_type in zone_hospital.care


def nearest(place: PlaceInput, care_type: Optional[str] = None, country_hint: Optional[str] = None,
            top_n: int = TOP_N) -> NearestResult:
    care_type = normalise_care(care_type)
    resolution = _as_resolution(place, country_hint)
    if resolution.status != FOUND or resolution.best is None:
        status = AMBIGUOUS if resolution.status == AMBIGUOUS else NOT_FOUND
        return NearestResult(status, resolution, care_type=care_type,
                             general_routes=resolution.reason == "outside_served_area")
    candidate = resolution.best
    typed_postcode = resolution.postcode if candidate.country == "BE" else ""
    matches = zones_containing(candidate.place, typed_postcode)
    hospitals = load_hospitals()
    options: dict = {}
    care_excluded, unconfirmed, unknowns = [], [], []
    for match in matches:
        zone = match.zone
        for line in zone.unknown:
            if line not in unknowns:
                unknowns.append(line)
        if match.basis == POSSIBLE:
            continue
        status = zone.care_status(care_type)
        if status in (EXCLUDED, NOT_COVERED, PENDING, UNKNOWN):
            care_excluded.append((zone, status))
            continue
        for _country, zone_hospital in zone.hospitals_for_residents_of(candidate.country):
            hospital = hospitals.get(zone_hospital.id)
            if hospital is None:
                continue
            distance = haversine_km(candidate.lat, candidate.lon, hospital.lat, hospital.lon)
            if zone_hospital.status != "listed":
                unconfirmed.append((zone, zone_hospital, hospital, distance))
                continue
            if not _hospital_allows(zone_hospital, care_type):
                continue
            option = FacilityOption(
                hospital=hospital, distance_km=distance, zone=zone, basis=match.basis,
                care_status=RESTRICTED if (zone_hospital.care and care_type is None) else status,
                care_only=zone_hospital.care or zone.restricted_to, bring=match.side.bring,
                conditions=match.side.conditions, note=zone_hospital.note,
                confidence=zone_hospital.confidence or zone.confidence, current_name=zone_hospital.current_name)
            previous = options.get(hospital.id)
            if previous is None or _strength(option) < _strength(previous):
                options[hospital.id] = option
    # Hospitals open for every care come before those limited to some (rehabilitation centres,
    # a maternity convention), unless a care type was asked for and both offer it.
    ranked = sorted(options.values(), key=lambda o: (bool(o.care_only) and care_type is None, o.distance_km))[:top_n]
    free_access = any(o.zone.access == "free" and (not o.care_only or care_type in o.care_only) for o in ranked)
    unconfirmed.sort(key=lambda item: item[3])
    return NearestResult(
        status=FOUND, resolution=resolution, place=candidate, care_type=care_type, options=tuple(ranked),
        domestic=nearest_main(candidate.lat, candidate.lon, candidate.country, hospitals),
        zones=tuple(matches), care_excluded=tuple(care_excluded), unconfirmed=tuple(unconfirmed[:top_n]),
        general_routes=not free_access, unknowns=tuple(unknowns))


def _strength(option: FacilityOption) -> tuple:
    """Prefer the scheme we are surest about when two zones offer the same hospital."""
    return ({SOURCE: 0, APPROXIMATION: 1}.get(option.basis, 2), _CONFIDENCE_RANK.get(option.confidence, 3),
            len(option.care_only))

