"""What the latest user message told, read from the tracker's events, and what to do with a message
that gives facts without a question (or corrects them)."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Sequence

from assistant.dialogue.slots import DETAIL_SLOTS, situation_from_slots
from assistant.insurance import resolve

# The facts of the user's situation (what "my situation" means to both lookups).
FACT_SLOTS = ("residence_country", "work_country", "pension_country", "employment_status", "sending_country",
              "insured_person_country", "administration_country", "residence_work_share", *DETAIL_SLOTS,
              "residence_place", "postcode")
# Facts that only the insurer question needs: a message with one of these is about insurance ("I telework
# 2 days a week" after the answer gives it again with the telework).
_INSURANCE_FACTS = {"work_country", "pension_country", "employment_status", "sending_country",
                    "insured_person_country", "administration_country", "residence_work_share", *DETAIL_SLOTS}
_PLACE_FACTS = {"residence_place", "postcode"}

INSURER, FACILITY, ASK_GOAL, ANYTHING_ELSE = "insurer", "facility", "ask_goal", "anything_else"


def slots_set_this_turn(events: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
    """The slots set since the latest user message (by the slot mappings of that message)."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return {e["name"]: e.get("value") for e in events[last_user + 1:] if e.get("event") == "slot"}


def facts_told(events: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
    """The situation facts the latest message gave or corrected."""
    return {slot: value for slot, value in slots_set_this_turn(events).items() if slot in FACT_SLOTS}


def after_facts(intent: Optional[str], told: Mapping[str, Any], slots: Mapping[str, Any],
                last_lookup: Optional[str]) -> str:
    """What answers a message that states facts without asking anything ("I live in Arlon", "no, I work
    in Trier"): the lookup the facts are for, or asking what the user wants to know."""
    if not told:
        return ANYTHING_ELSE if intent == "deny" else ASK_GOAL
    if last_lookup == "nearest_facility" and set(told) & (_PLACE_FACTS | {"residence_country"}):
        return FACILITY
    if resolve(situation_from_slots(slots)).answerable or last_lookup == "competent_insurer":
        return INSURER
    if set(told) & _INSURANCE_FACTS:
        return INSURER
    return ASK_GOAL
