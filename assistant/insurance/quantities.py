"""Amounts a message gives in words or figures: the share of telework, percentages, the length of a posting.

"telework 40% from home", "je télétravaille deux jours par semaine", "2 Tage pro Woche im Homeoffice",
"ik werk 2 dagen per week thuis", "eng Kéier d'Woch vun doheem" -> a share of the working time in %. Days a week
count against a five-day week (1 day = 20 %, 2 days = 40 %), as the Luxembourg CCSS counts them; "2 days out of 4"
counts against the 4. Vocabulary: data/insurance/lexicon.yml (telework, telework_home, still_working, numbers, units).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from assistant.insurance.lexicon import Token, phrase_of
from assistant.insurance.reference_data import load

_PERCENT_SIGN = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s?%")
_WORK_DAYS_A_WEEK = 5
_UNIT_REACH = 4           # words between a number of days and "a week" / "out of 5": "jours de télétravail par semaine"
_HOME_REACH = 4           # words between "at home" and the share that makes it telework
_SHARE_REACH = 8          # words between a telework word and its share


@dataclass(frozen=True)
class Amount:
    start: int            # token index of the first word
    end: int              # token index after the last word
    value: float


@functools.lru_cache(maxsize=None)
def _vocabulary() -> Dict[str, object]:
    data = load("lexicon")

    def phrases(words) -> FrozenSet[Tuple[str, ...]]:
        return frozenset(tuple(phrase_of(str(w)).split()) for w in words if phrase_of(str(w)))

    def all_languages(block) -> FrozenSet[Tuple[str, ...]]:
        return phrases(w for words in (block or {}).values() for w in words or ())

    units = data["units"]
    return {
        "telework": all_languages(data["telework"]),
        "home": all_languages(data["telework_home"]),
        "still_working": all_languages(data["still_working"]),
        "numbers": {phrase_of(str(word)): float(value) for word, value in data["numbers"].items()},
        **{unit: phrases(units[unit]) for unit in ("day", "week", "out_of", "month", "year", "percent")},
    }


def _occurrences(norms: Sequence[str], phrases: FrozenSet[Tuple[str, ...]]) -> List[Tuple[int, int]]:
    """(start, end) token spans where one of ``phrases`` occurs."""
    found = []
    for start in range(len(norms)):
        for phrase in phrases:
            if tuple(norms[start:start + len(phrase)]) == phrase:
                found.append((start, start + len(phrase)))
    return found


def _phrase_at(norms: Sequence[str], index: int, phrases: FrozenSet[Tuple[str, ...]]) -> int:
    """The length of the longest of ``phrases`` starting at ``index`` (0 when none does)."""
    lengths = [len(p) for p in phrases if tuple(norms[index:index + len(p)]) == p]
    return max(lengths, default=0)


def _number(norm: str) -> Optional[float]:
    if norm.isdigit():
        return float(norm)
    return _vocabulary()["numbers"].get(norm)


def _token_at(tokens: Sequence[Token], offset: int) -> int:
    return next((k for k, token in enumerate(tokens) if token.start >= offset), len(tokens))


def percentages(text: str, tokens: Sequence[Token]) -> List[Amount]:
    """"40 %", "40%", "40 Prozent", "30 pour cent": each with the tokens it covers."""
    found = []
    for match in _PERCENT_SIGN.finditer(text):
        start = _token_at(tokens, match.start())
        found.append(Amount(start, start + 1, float(match.group(1).replace(",", "."))))
    norms = [t.norm for t in tokens]
    for index, norm in enumerate(norms):
        size = _phrase_at(norms, index + 1, _vocabulary()["percent"])
        if norm.isdigit() and size:
            found.append(Amount(index, index + 1 + size, float(norm)))
    return [a for a in found if 0 <= a.value <= 100]


def _days_share(norms: Sequence[str], index: int) -> Optional[Amount]:
    """"2 jours par semaine" -> 40 %, "2 days out of 4" -> 50 %, starting at the number at ``index``."""
    count = _number(norms[index])
    days = _phrase_at(norms, index + 1, _vocabulary()["day"])
    if count is None or not days:
        return None
    after = index + 1 + days
    for k in range(after, min(after + _UNIT_REACH, len(norms))):
        if _phrase_at(norms, k, _vocabulary()["week"]):
            return Amount(index, k + 1, 100.0 * count / _WORK_DAYS_A_WEEK)
        size = _phrase_at(norms, k, _vocabulary()["out_of"])
        total = _number(norms[k + size]) if size and k + size < len(norms) else None
        if total:
            return Amount(index, k + size + 1, 100.0 * count / total)
    return None


def shares(text: str, tokens: Sequence[Token]) -> List[Amount]:
    """Every share of the working time the message gives, as a percentage."""
    norms = [t.norm for t in tokens]
    days = [a for a in (_days_share(norms, k) for k in range(len(norms))) if a is not None]
    return [a for a in percentages(text, tokens) + days if 0 <= a.value <= 100]


def _distance(span: Tuple[int, int], amount: Amount) -> int:
    return max(amount.start - span[1], span[0] - amount.end, 0)


def telework(text: str, tokens: Sequence[Token]) -> Tuple[bool, Optional[float]]:
    """Whether the message speaks of telework from home, and its share of the working time when it gives one."""
    norms = [t.norm for t in tokens]
    found = shares(text, tokens)
    spans = _occurrences(norms, _vocabulary()["telework"])
    spans += [span for span in _occurrences(norms, _vocabulary()["home"])
              if any(_distance(span, a) <= _HOME_REACH for a in found)]
    if not spans:
        return False, None
    near = [(_distance(span, a), a.start, a.value) for span in spans for a in found
            if _distance(span, a) <= _SHARE_REACH]
    return True, (min(near)[2] if near else None)


def still_working(tokens: Sequence[Token]) -> bool:
    """"je travaille encore", "ich arbeite noch", "still working": a pensioner with a job today."""
    return bool(_occurrences([t.norm for t in tokens], _vocabulary()["still_working"]))


def duration_months(tokens: Sequence[Token]) -> Optional[float]:
    """The first length of time the message gives, in months: "30 mois", "3 Jahre", "two years"."""
    norms = [t.norm for t in tokens]
    for index, norm in enumerate(norms[:-1]):
        count = _number(norm)
        if count is None:
            continue
        if _phrase_at(norms, index + 1, _vocabulary()["month"]):
            return count
        if _phrase_at(norms, index + 1, _vocabulary()["year"]):
            return 12 * count
    return None
