"""Insurer and facility lookups for the console, from a conversation or typed by the agent.

The same pure-Python engines as the actions (assistant.insurance, assistant.geo), so
the agent sees what the assistant would say, rendered in the agent's language, plus
the raw facts (competent country, distances, coordinates for the map).
"""
from __future__ import annotations

from typing import Iterable, Optional

from assistant.geo.facilities import nearest
from assistant.geo.render import render as render_facilities
from assistant.insurance import Situation, extract_situation, resolve
from assistant.insurance import render as render_insurer
from assistant.insurance.render import render_partial


def situation_from(slots: dict, user_texts: Iterable[str] = ()) -> Situation:
    """What the patient said, overridden by what the form confirmed in the slots."""
    said = extract_situation(" ".join(t for t in user_texts if t)[-2000:])
    try:
        confirmed = Situation.from_mapping(slots or {})
    except ValueError:
        confirmed = Situation()
    return said.merged_with(confirmed)


def insurer_lookup(situation: Situation, language: str) -> dict:
    # Answer first, as the assistant does: what would not change the answer is assumed and said.
    resolution = resolve(situation)
    decision = resolution.decision()
    return {
        "situation": {k: v for k, v in situation.to_dict().items() if v not in (None, [], "")},
        "missing": list(resolution.ask),
        "assumed": [note.key for note in resolution.assumptions],
        "determined": decision.determined,
        "competent_country": decision.competent_country,
        "institutions": list(decision.institution_ids),
        "forms": list(decision.forms),
        "confidence": decision.confidence,
        "sources": [{"title": s.title, "url": s.url} for s in decision.sources],
        "reply": render_insurer(decision, language, resolution.assumptions) if resolution.answerable
        else render_partial(resolution, language),
    }


def facility_lookup(place: str, language: str, country_hint: Optional[str] = None,
                    care_type: Optional[str] = None) -> Optional[dict]:
    if not (place or "").strip():
        return None
    result = nearest(place.strip()[:120], care_type=care_type, country_hint=country_hint)
    data = result.as_dict()
    sources = []
    for zone in result.schemes:
        for source in zone.sources[:1]:
            sources.append({"title": source.get("title"), "url": source.get("url")})
    domestic = data["domestic"]
    if domestic and result.domestic:
        hospital = result.domestic[0]
        domestic = dict(domestic, lat=hospital.lat, lon=hospital.lon)
    return {
        "status": data["status"],
        "place": data["place"],
        "options": data["options"],
        "domestic": domestic,
        "zones": data["zones"],
        "sources": sources,
        "reply": render_facilities(result, language),
    }


def place_of(slots: dict, user_texts: Iterable[str] = ()) -> Optional[str]:
    """The patient's place: the slot, else the postcode, else a place the insurer extractor found."""
    if slots.get("residence_place"):
        return str(slots["residence_place"])
    if slots.get("postcode"):
        return str(slots["postcode"])
    return situation_from({}, user_texts).residence_place
