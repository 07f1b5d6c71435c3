"""The patients' zone page (/zones) and its map data (/zones/map/<id>.json).

A patient picks a zone or types a town (typos tolerated: the gazetteer's resolve, as the
assistant uses it) and reads the zone's territory, hospitals on both sides, care covered,
what to bring and the sources, in fr/de/nl/lb/en. The page is complete as HTML; the map
(static/zones.js + static/map.js) only adds a picture of the same lists.
"""
from __future__ import annotations

from typing import List, Optional

from sanic import Blueprint, response

from assistant.geo.gazetteer import AMBIGUOUS, FOUND, resolve
from assistant.geo.map_data import zone_map
from assistant.geo.zones import load_zones, zones_containing
from assistant.i18n import LANGUAGES, catalogue, t
from assistant.web.texts import LANGUAGE_NAMES, page_language, texts

zones_page = Blueprint("zones_page")
MAX_QUERY = 120


def _geo(key: str, language: str, **values) -> str:
    return t("geo", key, language, **values)


def _care(care: str, language: str) -> str:
    return _geo(f"care_{care}", language) if f"care_{care}" in catalogue("geo") else care.replace("_", " ")


def _territory_labels(selectors) -> List[dict]:
    return [{"labels": ", ".join(str(x) for x in s.get("labels") or s.get("codes") or ()),
             "basis": s.get("basis", "approximation")} for s in selectors]


def zone_view(zone, language: str) -> dict:
    """What the template shows of a zone, in ``language`` (notes in the YAML are English: left out)."""
    sites = {h["id"]: h for h in zone_map(zone)["hospitals"]}
    sides = []
    for country, side in zone.sides.items():
        others = [(c, s) for c, s in zone.sides.items() if c != country]
        hospitals = [dict(sites[h.id], only=", ".join(_care(c, language) for c in h.care))
                     for _, other in others for h in other.hospitals if h.id in sites]
        conditions = [_geo(f"condition_{c}", language) for c in side.conditions
                      if f"condition_{c}" in catalogue("geo")]
        sides.append({"country": _geo(f"country_{country}", language), "code": country,
                      "territory": _territory_labels(side.territory),
                      "possible": _territory_labels(side.possible_territory),
                      "bring": [_geo(f"bring_{b}", language) for b in side.bring],
                      "conditions": conditions, "hospitals": hospitals})
    return {"id": zone.id, "name": zone.name, "access": zone.access, "confidence": zone.confidence,
            "countries": [_geo(f"country_{c}", language) for c in zone.countries],
            "covers": [_care(c, language) for c in zone.covers + zone.added_by_protocols],
            "excludes": [_care(c, language) for c in zone.excludes],
            "sources": list(zone.sources), "sides": sides}


def place_lookup(query: str, language: str) -> Optional[dict]:
    """The zones of a typed town: found (with its zones), ambiguous (the choices) or not found."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return None
    resolution = resolve(query)
    if resolution.status == AMBIGUOUS:
        return {"status": AMBIGUOUS, "query": query,
                "choices": [f"{c.name}, {c.postcode}" if c.postcode else c.name for c in resolution.candidates]}
    if resolution.status != FOUND or resolution.best is None:
        return {"status": "not_found", "query": query}
    candidate = resolution.best
    typed_postcode = resolution.postcode if candidate.country == "BE" else ""
    matches = zones_containing(candidate.place, typed_postcode)
    return {"status": FOUND, "query": query, "name": candidate.name, "country": _geo(f"country_{candidate.country}", language),
            "understood": candidate.name.lower() != query.lower(), "lat": candidate.lat, "lon": candidate.lon,
            "zones": [{"id": m.zone.id, "name": m.zone.name, "membership": m.basis} for m in matches]}


@zones_page.get("/zones")
async def zones(request):
    config = request.app.ctx.config
    language = page_language(request.args.get("lang"), request.headers.get("accept-language"),
                             config.settings.default_language)
    every = load_zones()
    place = place_lookup(request.args.get("place", ""), language)
    chosen = request.args.get("zone", "")
    if place and place["status"] == FOUND and place["zones"] and chosen not in {z["id"] for z in place["zones"]}:
        chosen = place["zones"][0]["id"]        # the strongest membership first (zones_containing's order)
    zone = next((z for z in every if z.id == chosen), None)
    view = zone_view(zone, language) if zone else None
    page = request.app.ctx.templates.get_template("zones.html").render(
        lang=language, t=texts(language), languages=[(c, LANGUAGE_NAMES[c]) for c in LANGUAGES],
        zones=[{"id": z.id, "name": z.name, "countries": [_geo(f"country_{c}", language) for c in z.countries],
                "sources": list(z.sources)} for z in every],
        zone=view, place=place, chosen=chosen,
        # Read by zones.js from a JSON block (not executed, escaped by |tojson).
        map_config={"zone": zone.id if zone else None,
                    "place": {"name": place["name"], "lat": place["lat"], "lon": place["lon"]}
                    if place and place["status"] == FOUND else None,
                    "title": texts(language)["zones_map_title"].format(zone=zone.name) if zone else "",
                    "description": texts(language)["zones_map_desc"]})
    return response.html(page)


@zones_page.get("/zones/map/<zone_id:str>")
async def zone_map_json(_request, zone_id: str):
    zone = next((z for z in load_zones() if z.id == zone_id), None)
    if zone is None:
        return response.json({"error": "unknown_zone"}, status=404)
    return response.json(zone_map(zone), headers={"Cache-Control": "public, max-age=3600"})
