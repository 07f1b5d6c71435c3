"""Which slot values a user message gives, from the rules-based extractor and DIET's entities together.

Why both: the extractor (assistant/insurance/extract.py) reads roles from explicit cue words ("I live in",
"je travaille au", "meng Pensioun kënnt vu") and knows exonyms and typos; DIET recognises phrasings and
places the lexicon lacks. The extractor is trusted first, DIET fills the gaps.

While a form asks a question, the question gives the role of a bare answer ("Belgique" to "which country
pays your pension?"), so DIET's guessed roles are ignored then and only explicit cue words can say
otherwise. A message that does not answer the active form (an emergency, a question about something
else) must leave the form's slots alone: the form then rejects, and the rules for that message (112
first) apply.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, Optional

from assistant.geo.gazetteer import FOUND, resolve
from assistant.geo.normalise import fold
from assistant.geo.zones import CARE_ALIASES, CARE_TYPES
from assistant.insurance import COUNTRIES
from assistant.insurance.extract import extract
from actions.slot_values import COUNTRY_SLOTS, INSURER_FORM_SLOTS, LIST_SLOTS, normalise_share

# Messages that never describe the user's situation (or must not touch it: an emergency interrupts forms).
NEVER_MINED = frozenset({"emergency", "ask_medical_advice", "change_language", "bot_challenge", "ask_human",
                         "goodbye", "thank", "out_of_scope"})
_ANSWERS = frozenset({"inform", "affirm", "deny", "nlu_fallback", "greet"})
# The intents that answer each form; any other intent leaves that form's slots alone so the form rejects.
FORM_ANSWER_INTENTS = {
    "insurer_form": _ANSWERS | {"ask_competent_insurer"},
    "facility_form": _ANSWERS | {"ask_nearest_facility"},
}
FORM_SLOTS = {"insurer_form": INSURER_FORM_SLOTS, "facility_form": ("residence_place",)}

_POSTCODE = re.compile(r"^(?:(?:NL|BE|FR|DE|LU|B|F|D|L)\s?-?\s?)?\d{4,5}(?:\s?[A-Z]{2})?$", re.IGNORECASE)
_TRAILING_PUNCTUATION = re.compile(r"[\s.!?;:,]+$")
# Care words shorter than this are too often ordinary words ("art", "pet", "any").
_MIN_CARE_WORD = 5


def place_country(place: Optional[str]) -> Optional[str]:
    """The country of a place name or postcode, when the gazetteer finds exactly one place."""
    if not place:
        return None
    resolution = resolve(place)
    return resolution.best.country if resolution.status == FOUND and resolution.best else None


def _entities(message: Mapping[str, Any], entity: str) -> List[Mapping[str, Any]]:
    return [e for e in message.get("entities") or [] if e.get("entity") == entity and e.get("value")]


def _unique(values: Iterable[Any]) -> List[Any]:
    out: List[Any] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return out


def _postcodes(message: Mapping[str, Any]) -> List[str]:
    return [str(e["value"]) for e in _entities(message, "postcode") if _POSTCODE.match(str(e["value"]).strip())]


def care_type_in(text: str) -> Optional[str]:
    """A care type named in the message ("maternité", "dialysis", "Geburt"), in the geo module's vocabulary."""
    words = fold(text or "").split()
    for word in words:
        for candidate in (word, word[:-1] if word.endswith("s") else word):
            if len(candidate) < _MIN_CARE_WORD:
                continue
            if candidate in CARE_TYPES:
                return candidate
            if CARE_ALIASES.get(candidate):
                return CARE_ALIASES[candidate]
    return None


def countries_in_answer(message: Mapping[str, Any]) -> List[str]:
    """The countries a message names, with or without a role ("Belgique", "in Belgium", a button)."""
    text = message.get("text") or ""
    named = [str(e["value"]) for e in _entities(message, "country")]
    if text and not text.startswith("/"):
        extraction = extract(text)
        named += [*extraction.unassigned, *([extraction.situation.residence_country]
                                            if extraction.situation.residence_country else [])]
    return _unique(code for code in named if code in COUNTRIES)


def _from_extractor(text: str) -> Dict[str, Any]:
    """Slot values the rules-based extractor finds with a role, plus what it found without one."""
    if not text or text.startswith("/"):       # a button payload carries its values as entities
        return {}
    extraction = extract(text)
    situation = extraction.situation
    values: Dict[str, Any] = {
        "residence_country": situation.residence_country,
        "work_country": list(situation.work_countries) or None,
        "pension_country": list(situation.pension_countries) or None,
        "employment_status": situation.status,
        "sending_country": situation.sending_country,
        "insured_person_country": situation.insured_person_country,
        "residence_work_share": situation.residence_work_share,
        "residence_place": situation.residence_place,
        "current_insurer": situation.current_insurer,
    }
    values = {k: v for k, v in values.items() if v is not None}
    values["_bare_countries"] = list(extraction.unassigned)
    values["_roled_countries"] = _unique(e.value for m in extraction.mentions if m.roles
                                         for e in m.of_kind("place", "country", "adjective"))
    values["_bare_places"] = _unique(e.display for m in extraction.mentions if not m.roles
                                     for e in m.of_kind("place"))
    return values


def _from_entities(message: Mapping[str, Any], use_roles: bool) -> Dict[str, Any]:
    """Slot values from DIET's entities; with ``use_roles`` False every country and place counts as bare."""
    values: Dict[str, Any] = {}
    bare_countries: List[str] = []
    bare_places: List[str] = []
    for entity in _entities(message, "country"):
        role = entity.get("role") if use_roles else None
        slot = {"residence": "residence_country", "work": "work_country", "pension": "pension_country"}.get(role)
        if slot in LIST_SLOTS:
            values[slot] = _unique([*(values.get(slot) or []), entity["value"]])
        elif slot:
            values.setdefault(slot, entity["value"])
        else:
            bare_countries.append(entity["value"])
    for entity in _entities(message, "place"):
        role = entity.get("role") if use_roles else None
        if role == "residence":
            values.setdefault("residence_place", str(entity["value"]))
        elif role == "work":
            country = place_country(str(entity["value"]))
            if country:
                values["work_country"] = _unique([*(values.get("work_country") or []), country])
        else:
            bare_places.append(str(entity["value"]))
    statuses = _entities(message, "employment_status")
    if statuses:
        values["employment_status"] = statuses[0]["value"]
    insurers = _entities(message, "insurer")
    if insurers:
        values["current_insurer"] = str(insurers[0]["value"])
    values["_bare_countries"] = _unique(bare_countries)
    values["_bare_places"] = _unique(bare_places)
    return values


def _place_answer(message: Mapping[str, Any], extracted: Dict[str, Any], diet: Dict[str, Any]) -> Optional[str]:
    """What the user gave as their town when asked for it: a place, a postcode (with its town), or the text."""
    places = [*([extracted["residence_place"]] if extracted.get("residence_place") else []),
              *([diet["residence_place"]] if diet.get("residence_place") else []),
              *diet["_bare_places"], *extracted.get("_bare_places", [])]
    postcodes = _postcodes(message)
    if postcodes and places:
        return f"{postcodes[0]} {places[0]}"
    if postcodes or places:
        return (postcodes or places)[0]
    text = _TRAILING_PUNCTUATION.sub("", (message.get("text") or "").strip())
    return text if text and not text.startswith("/") else None


def mine_slots(message: Mapping[str, Any], active_loop: Optional[str] = None,
               requested_slot: Optional[str] = None) -> Dict[str, Any]:
    """The slot values that ``message`` (a Rasa parse: text, intent, entities) gives.

    ``active_loop`` / ``requested_slot``: the form and the question it asked, if any.
    """
    intent = (message.get("intent") or {}).get("name")
    if intent in NEVER_MINED:
        return {}
    if not active_loop:
        requested_slot = None
    text = message.get("text") or ""
    extracted = _from_extractor(text)
    diet = _from_entities(message, use_roles=requested_slot is None)

    # A country the cue words gave a role keeps it: DIET's other guess for it is ignored
    # ("retraité, j'ai travaillé en Belgique": Belgium is the work country, the pension is still asked).
    roled = set(extracted.get("_roled_countries", ()))
    values: Dict[str, Any] = {}
    for slot in (*INSURER_FORM_SLOTS, "residence_place", "current_insurer"):
        value = extracted.get(slot)
        if value in (None, []):
            value = diet.get(slot)
            if slot in COUNTRY_SLOTS and value:
                value = [c for c in value if c not in roled] if isinstance(value, list) else \
                    (None if value in roled else value)
        values[slot] = value

    bare_countries = _unique([*extracted.get("_bare_countries", []), *diet["_bare_countries"]])
    if requested_slot in COUNTRY_SLOTS and not values.get(requested_slot):
        countries = bare_countries or _unique(place_country(p) for p in diet["_bare_places"])
        if countries:
            values[requested_slot] = countries if requested_slot in LIST_SLOTS else countries[0]
        if requested_slot == "residence_country" and not values.get("residence_place"):
            places = [*extracted.get("_bare_places", []), *diet["_bare_places"]]
            values["residence_place"] = places[0] if places else None
    elif requested_slot == "residence_work_share" and values.get("residence_work_share") is None:
        values["residence_work_share"] = normalise_share(text)
    elif requested_slot == "residence_place" and intent in FORM_ANSWER_INTENTS["facility_form"]:
        values["residence_place"] = _place_answer(message, extracted, diet)

    if not values.get("residence_place") and intent == "ask_nearest_facility":
        postcodes = _postcodes(message)
        values["residence_place"] = postcodes[0] if postcodes else None
    if values.get("residence_place") and not values.get("residence_country") and requested_slot != "residence_place":
        # "J'habite à Givet": the town tells the country (the facility form settles its own answers).
        values["residence_country"] = place_country(values["residence_place"])
    postcodes = _postcodes(message)
    if postcodes:
        values["postcode"] = postcodes[0]
    if intent == "ask_nearest_facility" or requested_slot == "residence_place":
        care = care_type_in(text)
        if care or intent == "ask_nearest_facility":
            values["care_type"] = care

    if active_loop in FORM_SLOTS and intent not in FORM_ANSWER_INTENTS[active_loop]:
        for slot in FORM_SLOTS[active_loop]:
            values.pop(slot, None)
    return {slot: value for slot, value in values.items()
            if value not in (None, []) or slot == "care_type" and "care_type" in values}
