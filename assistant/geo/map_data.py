"""What a map needs, as small JSON-ready dicts: the widget's facility map and the /zones page.

    numbered_options(options) -> [(n, FacilityOption)]   the numbers the reply text uses (option_groups)
    facility_map(result) -> dict | None                   attached to the facility reply (tracker-sized)
    zone_map(zone) -> dict                                territory points and hospitals of a zone

There are no commune outlines in data/geo (only the gazetteer's points), so a zone's territory
is drawn as the gazetteer places its selectors match, each with the selector's basis
(``source`` or ``approximation``); ``possible_territory`` comes separately and never counts as
the zone. Coordinates are rounded to ~100 m: enough for a map, and it keeps the payload small.
"""
from __future__ import annotations

import functools
from typing import Iterable, List, Optional, Tuple

from assistant.geo.facilities import FacilityOption, NearestResult, option_groups
from assistant.geo.gazetteer import OUTSIDE_KIND, default_gazetteer
from assistant.geo.hospitals import load_hospitals
from assistant.geo.zones import Zone, selector_matches, zone_by_id

_DIGITS = 3


def _xy(lat: float, lon: float) -> dict:
    return {"lat": round(lat, _DIGITS), "lon": round(lon, _DIGITS)}


def numbered_options(options: Iterable[FacilityOption]) -> List[Tuple[int, FacilityOption]]:
    """The numbers the patient reads in the reply's text, which a marker must carry."""
    return list(enumerate((o for _zone, group in option_groups(options) for o in group), start=1))


def facility_map(result: NearestResult) -> Optional[dict]:
    """The points of a facility answer; None when there is no place to show."""
    if result.place is None:
        return None
    place = result.place
    payload = {
        "place": {"name": place.name, "country": place.country, **_xy(place.lat, place.lon)},
        "options": [{"n": n, "name": o.current_name or o.hospital.label, "country": o.hospital.country,
                     "km": round(o.distance_km, 1), "zone": o.zone.id, **_xy(o.hospital.lat, o.hospital.lon)}
                    for n, o in numbered_options(result.options)],
        "domestic": None,
        # The zones touching the place, with how sure we are of the place's membership and of the zone.
        "zones": [{"id": m.zone.id, "name": m.zone.name, "membership": m.basis, "confidence": m.zone.confidence}
                  for m in result.zones],
    }
    if result.domestic:
        hospital, distance = result.domestic
        payload["domestic"] = {"name": hospital.label, "country": hospital.country, "km": round(distance, 1),
                               **_xy(hospital.lat, hospital.lon)}
    return payload


def _territory(selectors: Iterable[dict], country: str) -> List[dict]:
    selectors = list(selectors)
    points = []
    for place in default_gazetteer().places:
        if place.country != country or place.kind == OUTSIDE_KIND:
            continue
        bases = [s.get("basis", "approximation") for s in selectors if selector_matches(s, place)]
        if bases:
            basis = "source" if "source" in bases else bases[0]
            points.append({"name": place.name, "country": country, "basis": basis, **_xy(place.lat, place.lon)})
    return points


def zone_map(zone: Zone) -> dict:
    """Territory points (both sides) and the listed hospitals of ``zone``, numbered per zone."""
    return _zone_map(zone.id)


@functools.lru_cache(maxsize=None)      # by id: a Zone holds dicts and is not hashable
def _zone_map(zone_id: str) -> dict:
    zone = zone_by_id(zone_id)
    hospitals = load_hospitals()
    territory, possible, sites = [], [], []
    for country, side in zone.sides.items():
        territory += _territory(side.territory, country)
        possible += [dict(p, basis="possible") for p in _territory(side.possible_territory, country)]
        for zone_hospital in side.hospitals:
            hospital = hospitals.get(zone_hospital.id)
            if hospital is None:
                continue
            sites.append({"id": hospital.id, "name": zone_hospital.current_name or hospital.label,
                          "country": country, "address": hospital.full_address, "status": zone_hospital.status,
                          "care": list(zone_hospital.care), **_xy(hospital.lat, hospital.lon)})
    for n, site in enumerate(sites, start=1):
        site["n"] = n
    return {"id": zone.id, "name": zone.name, "confidence": zone.confidence,
            "territory": territory, "possible": possible, "hospitals": sites}
