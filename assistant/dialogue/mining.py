"""Which slot values a user message gives, from the rules-based extractor and the NLU's entities together.

Why both: the extractor (assistant/insurance/extract.py) reads roles from explicit cue words ("I live in",
"je travaille au", "meng Pensioun kënnt vu") and knows exonyms and typos; the NLU's entity extractor
(CRFEntityExtractor, config.yml) recognises phrasings and places the lexicon lacks, and the gazetteer
names the town right after "I live in". The extractor is trusted first, the others fill the gaps.

While a form asks a question, the question gives the role of a bare answer ("Belgique" to "which country
pays your pension?"), so the NLU's guessed roles are ignored then and only explicit cue words can say
otherwise. A message that does not answer the active form (an emergency, a question about something
else) must leave the form's slots alone: the form then rejects, and the rules for that message (112
first) apply.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional

from assistant.dialogue.slots import (
    COUNTRY_SLOTS,
    DETAIL_FIELDS,
    DETAIL_SLOTS,
    INSURER_FORM_SLOTS,
    LIST_SLOTS,
    normalise_share,
    normalise_slot,
)
from assistant.geo.gazetteer import FOUND, resolve
from assistant.geo.normalise import fold
from assistant.geo.zones import CARE_ALIASES, CARE_TYPES
from assistant.insurance import COUNTRIES
from assistant.insurance.extract import extract
from assistant.insurance.lexicon import lexicon, phrase_of
from assistant.insurance.reference_data import load

# Messages that never describe the user's situation (or must not touch it: an emergency interrupts forms).
# "out of scope" too: off-topic messages name places and people that are not the user's situation ("restaurants
# in Arlon?", "is it better to live in Belgium or France for taxes?", "my friend lives in Metz"); mining them
# filled and cleared the form's slots (tried 2026-12-03 and reverted).
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
# A postcode inside a sentence ("un hôpital pas loin du 6460", "near L-4001"), for facility questions.
_POSTCODE_IN_TEXT = re.compile(r"(?<![\w-])(?:(?:NL|BE|FR|DE|LU|B|F|D|L)-)?\d{4,5}(?![\w-])")
# A capitalised name right after "near / from / de / bei / vun..." ("... proche de Trucmuche-les-Bains ?"); only
# there, because German capitalises every noun ("Welches Krankenhaus ...").
_CAPITALISED = re.compile(r"\b(?i:de|du|d'|à|a|près|pres|autour|near|from|around|in|to|bei|von|vun|zu|aus|nabij|"
                          r"bij|vanuit|te|rond|op)\s+([A-ZÀ-Ý][a-zà-ÿ][\w'’-]*(?:\s[A-ZÀ-Ý][a-zà-ÿ][\w'’-]*)*)")
# Intents whose message may correct earlier facts (a question that denies something does not).
_CORRECTING_INTENTS = frozenset({"inform", "deny", "affirm", "change_situation"})
# The slot each role of the extractor fills.
_ROLE_SLOTS = {"residence": "residence_country", "work": "work_country", "pension": "pension_country",
               "sending": "sending_country", "insured": "insured_person_country"}
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
    words = re.findall(r"[^\W_]+", fold(text or ""))
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


@functools.lru_cache(maxsize=1)
def _not_places() -> frozenset:
    return frozenset(fold(word) for word in load("lexicon").get("not_places") or ())


@functools.lru_cache(maxsize=1)
def _past_work_words() -> frozenset:
    return frozenset(phrase_of(str(phrase)) for phrase in load("lexicon").get("past_work") or ())


_CUE_REACH = 2       # words between a role word and "its" place ("wunnen zu Lëtzebuerg", "habite à Arlon")
_FILLER_REACH = 2    # words of time between a role word and its preposition ("depuis peu", "seit 2019")


def _distance(a, b) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def _unknown_name(text: str) -> Optional[str]:
    """The last capitalised name of a facility question that is no word of the lexicon, if any: the form
    looks it up and asks back when the gazetteer does not know it, instead of asking from scratch."""
    for name in reversed(_CAPITALISED.findall(text or "")):
        key = phrase_of(name)
        if key and key.split()[0] not in _not_places() and not lexicon().entries.get(key):
            return name
    return None


def _gazetteer_place_after_cues(extraction) -> Dict[str, str]:
    """Towns the extractor's short town list lacks, found in the gazetteer right after a role word:
    "j'habite à Halluin", "ech wunnen zu Klierf", "je bosse à Bertrange" -> {role: place name}.
    Only exact names or exonyms count (no typo matching): the words after a cue may be anything."""
    tokens, mentions = extraction.tokens, extraction.mentions
    covered = {i for m in mentions for i in range(m.start, m.end)}
    found: Dict[str, str] = {}
    for index, mention in enumerate(mentions):
        roles = [e.value for e in mention.of_kind("role") if e.value in ("residence", "work")]
        if not roles or mention.negated or roles[0] in found:
            continue
        if any(m.location is not None and roles[0] in m.roles and _distance(m, mention) <= _CUE_REACH
               for m in mentions):
            continue                # the extractor knows the place next to the cue already
        position = mention.end
        for m in mentions[index + 1:index + 3]:     # skip "à", "zu", "in de"...
            # ... and a short filler before them: "wunnen zënter kuerzem zu Rëmeleng", "seit 2019 in Perl"
            reachable = m.start == position or position == mention.end and m.start - position <= _FILLER_REACH \
                and not covered.intersection(range(position, m.start))
            if reachable and m.of_kind("grammar", "to"):
                position = m.end
        gap = []
        while position < len(tokens) and position not in covered and len(gap) < 3:
            gap.append(tokens[position].text)
            position += 1
        candidates = [" ".join(gap[:size]) for size in range(len(gap), 0, -1)]
        # Verb last ("wann ech zu Klierf wunnen", "wenn ich in Prüm wohne"): the words before the cue.
        before = mentions[index - 1] if index else None
        if before is None or before.end < mention.start:
            start = mention.start
            while start > 0 and start - 1 not in covered and mention.start - start < 3:
                start -= 1
            if start < mention.start and start > 0 and any(m.end == start and m.of_kind("grammar", "to")
                                                          for m in mentions):
                words = [t.text for t in tokens[start:mention.start]]
                candidates += [" ".join(words[-size:]) for size in range(len(words), 0, -1)]
        for candidate in candidates:
            if len(candidate) < 3 or candidate.isdigit() or fold(candidate).split()[0] in _not_places():
                continue
            resolution = resolve(candidate)
            best = resolution.best
            if best is not None and best.matched_by in ("name", "alternate_name"):
                found[roles[0]] = best.place.name
                break
    return found


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
        # Telework, the employer's seat, a posting's length...: only the extractor reads them (no NLU entity).
        **{slot: normalise_slot(slot, getattr(situation, field)) for field, slot in zip(DETAIL_FIELDS, DETAIL_SLOTS)},
    }
    values = {k: v for k, v in values.items() if v is not None}
    looked_up = _gazetteer_place_after_cues(extraction)
    if "residence" in looked_up and not values.get("residence_place"):
        # A town right next to "I live" says more than a country named elsewhere in the sentence.
        values["residence_place"] = looked_up["residence"]
        values["residence_country"] = place_country(looked_up["residence"]) or values.get("residence_country")
    if "work" in looked_up and not values.get("work_country"):
        country = place_country(looked_up["work"])
        if country:
            values["work_country"] = [country]
    values["_bare_countries"] = list(extraction.unassigned)
    values["_roled_countries"] = _unique(e.value for m in extraction.mentions if m.roles
                                         for e in m.of_kind("place", "country", "adjective"))
    values["_bare_places"] = _unique(e.display for m in extraction.mentions if not m.roles and not m.negated
                                     for e in m.of_kind("place"))
    # The words the cue words already gave a role to (or denied): the NLU's guessed role for the same words
    # must not override them ("ich arbeite doch in Trier": Trier is not where the user lives).
    values["_recognised"] = [fold(m.text) for m in extraction.mentions
                             if (m.roles or m.negated) and (m.location or m.adjective)]
    # What a question denies ("Warum bin ich nicht in Luxemburg versichert?") corrects nothing.
    asked = any(m.negated and m.question for m in extraction.mentions)
    values["_negated"] = {} if asked else {role: list(codes) for role, codes in extraction.negated.items()}
    values["_correction"] = extraction.correction and not asked
    values["_past_work"] = _past_work(extraction)
    values["_work_only_as_employer"] = _work_only_as_employer(extraction)
    return values


def _work_only_as_employer(extraction) -> bool:
    """"My employer is based in Luxembourg" (the answer to "tell me where your employer is based"): the work
    countries come from the employer's seat alone. With none known they are the best guess; known ones stay."""
    work = [m for m in extraction.mentions if "work" in m.roles and not m.negated and (m.location or m.adjective)]
    return bool(work) and all(m.via_employer for m in work)


def _past_work(extraction) -> bool:
    """"J'ai travaillé 20 ans au Luxembourg", "ich habe früher in Luxemburg gearbeitet": the work is over."""
    text = " " + " ".join(token.norm for token in extraction.tokens) + " "
    return any(f" {phrase} " in text for phrase in _past_work_words())


def _covered(entity: Mapping[str, Any], text: str, recognised: Iterable[str]) -> bool:
    """True when the extractor already read these words (the NLU's role for them is then ignored)."""
    start, end = entity.get("start"), entity.get("end")
    words = fold(text[start:end]) if isinstance(start, int) and isinstance(end, int) else fold(str(entity["value"]))
    return bool(words) and any(words in seen or seen in words for seen in recognised if seen)


def _from_entities(message: Mapping[str, Any], use_roles: bool, recognised: Iterable[str] = ()) -> Dict[str, Any]:
    """Slot values from the NLU's entities; with ``use_roles`` False every country and place counts as bare.
    Entities over words the extractor already gave a role to are skipped."""
    values: Dict[str, Any] = {}
    bare_countries: List[str] = []
    bare_places: List[str] = []
    text = message.get("text") or ""
    recognised = list(recognised)
    for entity in _entities(message, "country"):
        if _covered(entity, text, recognised):
            continue
        role = entity.get("role") if use_roles else None
        slot = {"residence": "residence_country", "work": "work_country", "pension": "pension_country"}.get(role)
        if slot in LIST_SLOTS:
            values[slot] = _unique([*(values.get(slot) or []), entity["value"]])
        elif slot:
            values.setdefault(slot, entity["value"])
        else:
            bare_countries.append(entity["value"])
    for entity in _entities(message, "place"):
        if _covered(entity, text, recognised):
            continue
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


def _without(value: Any, denied: Iterable[str]) -> Any:
    denied = set(denied)
    if isinstance(value, list):
        return [code for code in value if code not in denied]
    return None if value in denied else value


def _corrections(values: Dict[str, Any], negated: Mapping[str, List[str]], current: Mapping[str, Any],
                 bare: List[str]) -> Dict[str, Any]:
    """Slot values that what the message denies changes: "nicht in Luxemburg" removes LU from the work
    countries; a country denied without a role is removed where it was, and a single country the message
    names without a role takes its place ("nicht Luxemburg, sondern Trier"). Other slots stay as they were."""
    changes: Dict[str, Any] = {}
    for role, slot in _ROLE_SLOTS.items():
        denied = [*negated.get(role, []), *negated.get("unknown", [])]
        if not denied:
            continue
        known = values.get(slot) if values.get(slot) not in (None, []) else current.get(slot)
        if known in (None, []):
            continue
        kept = _without(known, denied)
        if kept == known:
            continue
        if not kept and len(bare) == 1:
            kept = bare if slot in LIST_SLOTS else bare[0]
        changes[slot] = kept if kept not in (None, []) else None
        if slot == "residence_country" and changes[slot] is None:
            changes["residence_place"] = None
    return changes


def mine_slots(message: Mapping[str, Any], active_loop: Optional[str] = None,
               requested_slot: Optional[str] = None, current: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The slot values that ``message`` (a Rasa parse: text, intent, entities) gives.

    ``active_loop`` / ``requested_slot``: the form and the question it asked, if any. ``current``: the
    slots before this message, so that a correction ("not in Luxembourg") can remove what it denies; a
    value set to None in the result clears that slot.
    """
    intent = (message.get("intent") or {}).get("name")
    if intent in NEVER_MINED:
        return {}
    if not active_loop:
        requested_slot = None
    text = message.get("text") or ""
    extracted = _from_extractor(text)
    diet = _from_entities(message, use_roles=requested_slot is None, recognised=extracted.get("_recognised", ()))
    cleared: Dict[str, Any] = {}        # slots this message empties (a correction, a stale town)

    # A country the cue words gave a role keeps it: the NLU's other guess for it is ignored
    # ("retraité, j'ai travaillé en Belgique": Belgium is the work country, the pension is still asked).
    roled = set(extracted.get("_roled_countries", ()))
    values: Dict[str, Any] = {}
    for slot in (*INSURER_FORM_SLOTS, *DETAIL_SLOTS, "residence_place", "current_insurer"):
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
        # "the nearest hospital from Esch": in a facility question, the one place named is the starting point;
        # else a postcode, else a name the gazetteer may not know (the form then asks back about it).
        postcodes = _postcodes(message) or _POSTCODE_IN_TEXT.findall(text)
        places = [*extracted.get("_bare_places", []), *diet["_bare_places"]]
        values["residence_place"] = postcodes[0] if postcodes else (
            places[0] if len(set(places)) == 1 else _unknown_name(text))
    if extracted.get("_past_work") and not values.get("employment_status") and not active_loop:
        # Work that is over says nothing about today's status: the form asks it instead of assuming a job.
        values["work_country"] = None
    if current and values.get("residence_country") and not values.get("residence_place") \
            and current.get("residence_place") and place_country(current["residence_place"]) != values["residence_country"]:
        # "non, j'habite en Belgique" after "Givet": the old town no longer fits the new country.
        cleared["residence_place"] = None
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

    negated = extracted.get("_negated") or {}
    if negated and current is not None and (intent in _CORRECTING_INTENTS or extracted.get("_correction")):
        bare = _unique([*bare_countries, *(place_country(p) for p in diet["_bare_places"])])
        cleared = _corrections(values, negated, current, bare)
        values.update({slot: value for slot, value in cleared.items() if value is not None})
    if values.get("teleworks") is False:
        cleared["telework_share"] = None        # "I don't telework any more": no share of it either
    if extracted.get("_work_only_as_employer") and current and current.get("work_country"):
        values["work_country"] = None           # the employer's seat is not a place of work told

    if active_loop in FORM_SLOTS and intent not in FORM_ANSWER_INTENTS[active_loop]:
        for slot in FORM_SLOTS[active_loop]:
            values.pop(slot, None)
            cleared.pop(slot, None)
    found = {slot: value for slot, value in values.items()
             if value not in (None, []) or slot == "care_type" and "care_type" in values}
    found.update({slot: None for slot, value in cleared.items() if value is None})
    return found
