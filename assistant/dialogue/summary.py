"""The "what I understood" line shown with the insurer answer, so a misread fact can be corrected."""
from __future__ import annotations

from typing import Any, Optional

from assistant.dialogue.slots import known_facts
from assistant.i18n import normalise_language, t
from assistant.insurance import Situation

CATALOGUE = "lookups"


def _country(code: str, language: str) -> str:
    return t("geo", f"country_{code}", language)


# Facts shown as a number (the label gives the unit: "%", "months").
_NUMBER_SLOTS = ("residence_work_share", "telework_share", "posting_months")


def _value(slot: str, value: Any, situation: Situation, language: str) -> str:
    if slot == "employment_status":
        return t(CATALOGUE, f"status_{value}", language)
    if slot in _NUMBER_SLOTS:
        return f"{value:g}"
    if slot == "current_insurer" or isinstance(value, bool):
        return str(value)       # a yes/no fact: its label says it all and does not use the value
    if isinstance(value, (list, tuple)):
        return " + ".join(_country(code, language) for code in value)
    text = _country(value, language)
    if slot == "residence_country" and situation.residence_place:
        text = f"{text} ({situation.residence_place})"
    return text


def understood_line(situation: Situation, language: Optional[str]) -> str:
    """"Your situation as I understood it — residence: Belgium (Arlon) · work: Luxembourg · status: employee."
    followed by how to correct it; empty when nothing is known."""
    language = normalise_language(language)
    facts = [t(CATALOGUE, f"fact_{slot}", language, value=_value(slot, value, situation, language))
             for slot, value in known_facts(situation)]
    if not facts:
        return ""
    return t(CATALOGUE, "understood", language, facts=" · ".join(facts)) + " " + t(CATALOGUE, "correct_me", language)
