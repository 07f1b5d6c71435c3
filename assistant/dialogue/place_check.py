"""Turns the user's answer to "where do you live?" into a place the facility lookup can use, or a question.

Pure Python (no Rasa imports). The form keeps two facts between turns: ``pending`` (what the user typed
that is ambiguous or unknown, so the question can be rendered again) and the number of failed tries.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional

from assistant.geo.gazetteer import AMBIGUOUS, FOUND, resolve

FOUND_PLACE, ASK_WHICH, NOT_FOUND_PLACE, OUTSIDE = "found", "ambiguous", "not_found", "outside"
# Failed answers before the assistant stops asking and gives the general routes and a contact.
MAX_FAILED_ANSWERS = 3


@dataclass(frozen=True)
class PlaceCheck:
    status: str                      # found | ambiguous | not_found | outside
    text: str                        # what to store (found, outside) or to ask about (ambiguous, not_found)
    country: Optional[str] = None    # country of the place found


def _candidates(text: str) -> List[str]:
    """The whole answer, then its last words ("J'habite à Givett" -> "Givett"): names end sentences."""
    words = text.split()
    out = [text]
    for size in (3, 2, 1):
        if len(words) > size:
            out.append(" ".join(words[-size:]))
    return out


def check_place(text: str, country_hint: Optional[str] = None) -> PlaceCheck:
    """Resolve a place name or postcode (any of the five languages, exonyms, typos)."""
    first_question: Optional[PlaceCheck] = None
    for candidate in _candidates(text.strip()):
        resolution = resolve(candidate, country_hint)
        if resolution.status == FOUND and resolution.best:
            return PlaceCheck(FOUND_PLACE, candidate, resolution.best.country)
        if resolution.status == AMBIGUOUS:
            first_question = first_question or PlaceCheck(ASK_WHICH, candidate)
        elif resolution.reason == "outside_served_area":
            first_question = first_question or PlaceCheck(OUTSIDE, candidate)
        elif resolution.reason == "unknown_postcode" and candidate == text.strip():
            first_question = first_question or PlaceCheck(NOT_FOUND_PLACE, candidate)
    return first_question or PlaceCheck(NOT_FOUND_PLACE, text.strip())


def answer_to_question(answer: str, pending: str, answer_countries: Iterable[str],
                       country_hint: Optional[str] = None) -> PlaceCheck:
    """The user's answer after we asked back about ``pending`` ("6460 exists in Belgium and
    Luxembourg: which country?"): a country settles it; otherwise the answer is a place of its own."""
    for country in answer_countries:
        resolution = resolve(pending, country)
        if resolution.status == FOUND and resolution.best:
            return PlaceCheck(FOUND_PLACE, pending, resolution.best.country)
    check = check_place(answer, country_hint)
    if check.status == NOT_FOUND_PLACE and list(answer_countries):
        # A country that does not settle the question: ask the same question again.
        return PlaceCheck(ASK_WHICH if resolve(pending, country_hint).status == AMBIGUOUS else NOT_FOUND_PLACE,
                          pending)
    if check.status == NOT_FOUND_PLACE:
        combined = check_place(f"{pending} {answer}", country_hint)   # "Esch" + "sur-Sûre"; "Arlon" + "6700"
        if combined.status == FOUND_PLACE:
            return combined
    return check
