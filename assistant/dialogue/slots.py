"""Slot values of the two lookups: their names, their normal form, and the Situation they describe.

Pure Python (no Rasa imports) so that the extraction, the form validation and the answer all
normalise values the same way, and tests can check it without a tracker.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from assistant.insurance import COUNTRIES, FIELD_TO_SLOT, STATUSES, Situation, resolve
from assistant.insurance.lexicon import lexicon, phrase_of
from assistant.insurance.numbers import number_in

# The facts the insurer form may ask for, in the order Situation.missing() asks them.
INSURER_FIELDS = ("residence_country", "status", "work_countries", "pension_countries", "sending_country",
                  "insured_person_country", "administration_country", "residence_work_share")
INSURER_FORM_SLOTS = tuple(FIELD_TO_SLOT[field] for field in INSURER_FIELDS)
# Facts that refine the answer but are never asked (resolve() only asks INSURER_FIELDS): telework from the
# residence state (framework agreement), the employer's seat (Art. 13(1)(b)(i)), self-employment besides a job
# (Art. 13(3)), the length of a posting (Art. 12), an insured family member's pension (Art. 23-26) and a
# pensioner's work (Art. 31). The message gives them or they stay unknown.
DETAIL_FIELDS = ("teleworks", "telework_share", "employer_country", "self_employment_countries", "posting_months",
                 "insured_person_pensioner", "still_working")
DETAIL_SLOTS = tuple(FIELD_TO_SLOT[field] for field in DETAIL_FIELDS)
# Yes/no facts. A message that does not mention one must not erase what an earlier message said ("my situation has
# changed" does): None is "not said". A "no" is stored only where a message can say it: "I don't telework (any more)"
# sets teleworks back to False. For the others the extractor reads no denial, and their False means "not said".
FLAG_SLOTS = ("teleworks", "insured_person_pensioner", "still_working")
DENIABLE_FLAG_SLOTS = ("teleworks",)
COUNTRY_SLOTS = ("residence_country", "work_country", "pension_country", "sending_country",
                 "insured_person_country", "administration_country")
# Several countries can pay a pension or share a person's work (Reg. 883/2004 Art. 13, 24).
LIST_SLOTS = ("work_country", "pension_country")
# Everything a "my situation has changed" forgets.
SITUATION_SLOTS = INSURER_FORM_SLOTS + DETAIL_SLOTS + ("residence_place", "current_insurer", "postcode")
FACILITY_STATE_SLOTS = ("place_query", "place_attempts", "care_type")


def empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def normalise_country(value: Any) -> Optional[str]:
    """An ISO code of the five countries from a code or a country name in any of the five languages."""
    if empty(value):
        return None
    text = str(value).strip()
    if text.upper() in COUNTRIES:
        return text.upper()
    for entry in lexicon().entries.get(phrase_of(text), ()):
        if entry.kind == "country":
            return entry.value
    return None


def normalise_countries(value: Any) -> Optional[List[str]]:
    """A list of unique country codes (None when there is none), from one value or several."""
    if empty(value):
        return None
    values = value if isinstance(value, (list, tuple)) else re.split(r"[,;]", str(value))
    codes: List[str] = []
    for item in values:
        code = normalise_country(item)
        if code and code not in codes:
            codes.append(code)
    return codes or None


def normalise_status(value: Any) -> Optional[str]:
    if empty(value):
        return None
    status = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    return status if status in STATUSES else None


def normalise_share(value: Any) -> Optional[float]:
    """A percentage between 0 and 100 from a number or a text such as "30 %" or "environ 12,5"."""
    number = number_in(value)
    return number if number is not None and 0 <= number <= 100 else None


def normalise_months(value: Any) -> Optional[float]:
    """A duration in months (not negative) from a number or a text such as "18 mois"."""
    number = number_in(value)
    return number if number is not None and number >= 0 else None


def normalise_flag(value: Any) -> Optional[bool]:
    """True for a yes (True, "true"), None otherwise: see FLAG_SLOTS."""
    return True if value is True or str(value).strip().lower() == "true" else None


def normalise_deniable_flag(value: Any) -> Optional[bool]:
    """True for a yes, False for a no (False, "false"), None when not said: see DENIABLE_FLAG_SLOTS."""
    return False if value is False or str(value).strip().lower() == "false" else normalise_flag(value)


_NORMALISERS = {
    "employment_status": normalise_status,
    "residence_work_share": normalise_share,
    "telework_share": normalise_share,
    "posting_months": normalise_months,
    "employer_country": normalise_country,
    "self_employment_country": normalise_countries,
    **{slot: normalise_deniable_flag if slot in DENIABLE_FLAG_SLOTS else normalise_flag for slot in FLAG_SLOTS},
    **{slot: normalise_countries for slot in LIST_SLOTS},
    **{slot: normalise_country for slot in COUNTRY_SLOTS if slot not in LIST_SLOTS},
}


def normalise_slot(slot: str, value: Any) -> Any:
    """The value in the form the slot stores, or None when it is not a valid value for it."""
    normaliser = _NORMALISERS.get(slot)
    if normaliser is None:
        return None if empty(value) else value
    return normaliser(value)


def situation_from_slots(slots: Mapping[str, Any]) -> Situation:
    """The Situation the slots describe; an invalid slot value counts as unknown rather than failing."""
    values: Dict[str, Any] = {}
    for slot in INSURER_FORM_SLOTS + DETAIL_SLOTS:
        value = normalise_slot(slot, slots.get(slot))
        if value is not None:
            values[slot] = value
    for slot in ("residence_place", "current_insurer"):
        if not empty(slots.get(slot)):
            values[slot] = str(slots[slot])
    return Situation.from_mapping(values)


def insurer_required_slots(slots: Mapping[str, Any]) -> List[str]:
    """The form's slots for this situation: those already known (so they are validated) then the
    ones that still change the answer, in the order resolve() asks for them (a status that would not
    change the answer is assumed, never asked)."""
    missing = [FIELD_TO_SLOT[field] for field in resolve(situation_from_slots(slots)).ask]
    known = [slot for slot in INSURER_FORM_SLOTS if normalise_slot(slot, slots.get(slot)) is not None]
    return known + [slot for slot in missing if slot not in known]


def _said_by_another_fact(field: str, value: Any, situation: Situation) -> bool:
    """The share of telework says that there is telework; a posted worker's employer is the sending country."""
    return field == "teleworks" and situation.telework_share is not None \
        or field == "employer_country" and value == situation.sending_country


def known_facts(situation: Situation) -> List[Tuple[str, Any]]:
    """Every fact the user gave, as (slot, value) pairs, for the "what I understood" line: what was
    read wrongly, or is out of date, can only be corrected if it is shown."""
    facts: List[Tuple[str, Any]] = []
    for field in INSURER_FIELDS + DETAIL_FIELDS:
        value = getattr(situation, field)
        # A denied or unsaid yes/no fact is not shown (FLAG_SLOTS).
        if not (empty(value) or value is False or _said_by_another_fact(field, value, situation)):
            facts.append((FIELD_TO_SLOT[field], value))
    if situation.current_insurer:
        facts.append(("current_insurer", situation.current_insurer))
    return facts


def countries_of(*values: Any) -> List[str]:
    """Country codes from slot values of any shape (a code, a list of codes, None), unique, in order.
    The one place where list-valued slots (work_country) meet code that wants plain codes."""
    codes: List[str] = []
    for value in values:
        for code in (normalise_countries(value) or []):
            if code not in codes:
                codes.append(code)
    return codes
