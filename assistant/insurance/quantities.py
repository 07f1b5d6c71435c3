"""Amounts a message gives in words or figures: the share of telework, percentages, the length of a posting.

"telework 40% from home", "je télétravaille deux jours par semaine", "2 Tage pro Woche im Homeoffice",
"ik werk 2 dagen per week thuis", "eng Kéier d'Woch vun doheem" -> a share of the working time in %. Days a week
count against a five-day week (1 day = 20 %, 2 days = 40 %), as the Luxembourg CCSS counts them; "2 days out of 4"
counts against the 4. "je ne télétravaille plus", "Ich mache kein Homeoffice mehr", "I don't telework at all",
"ik werk niet meer thuis", "ech maachen keen Teletravail méi" deny telework: the extractor (extract.py) tells which
negation words count, this module where they sit. Vocabulary: data/insurance/lexicon.yml (telework, telework_home,
still_working, numbers, units, roles.work, negation.cancelled_by).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from assistant.insurance.lexicon import Token, phrase_of
from assistant.insurance.numbers import number_in
from assistant.insurance.reference_data import load

_PERCENT_SIGN = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s?%")
_CLAUSE_PUNCTUATION = re.compile(r"[.,;:!?()\n]")
_WORK_DAYS_A_WEEK = 5
_UNIT_REACH = 4           # words between a number of days and "a week" / "out of 5": "jours de télétravail par semaine"
_HOME_REACH = 4           # words between "at home" and the share that makes it telework
_SHARE_REACH = 8          # words between a telework word and its share
_NEGATION_REACH = 3       # words between a negation and what it denies: "ne télétravaille", "not for 30 months"
_WORK_REACH = 2           # words between a work verb and the negation of "at home": "werk niet meer thuis"

# A negation word the extractor found in the message: its token span, and the languages of the phrases it may deny
# (None: any; Luxembourgish "keen" only denies a Luxembourgish word, else it is the English "keen").
Negation = Tuple[int, int, Optional[FrozenSet[str]]]


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

    def languages_of(*blocks) -> Dict[Tuple[str, ...], FrozenSet[str]]:
        found: Dict[Tuple[str, ...], set] = {}
        for block in blocks:
            for language, words in (block or {}).items():
                for word in words or ():
                    found.setdefault(tuple(phrase_of(str(word)).split()), set()).add(language)
        return {phrase: frozenset(languages) for phrase, languages in found.items()}

    units = data["units"]
    return {
        "telework": all_languages(data["telework"]),
        "home": all_languages(data["telework_home"]),
        "languages": languages_of(data["telework"], data["telework_home"]),
        "work": all_languages(data["roles"]["work"]),
        "cancel": frozenset(phrase_of(str(w)) for w in data["negation"]["cancelled_by"]),
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
    """A word as a number: "30", "deux", "zwee" (number words only here, next to their unit)."""
    return number_in(norm) if norm.isdigit() else _vocabulary()["numbers"].get(norm)


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


def telework_spans(tokens: Sequence[Token]) -> List[Tuple[int, int]]:
    """Where a telework or "at home" phrase stands ("I don't work from home": the extractor then reads the
    not-working phrase before it as a denial of telework, not of work)."""
    norms = [t.norm for t in tokens]
    return _occurrences(norms, _vocabulary()["telework"]) + _occurrences(norms, _vocabulary()["home"])


def _denial(span: Tuple[int, int], negations: Sequence[Negation], text: str, tokens: Sequence[Token],
            languages: FrozenSet[str] = frozenset()) -> Optional[int]:
    """Where the negation of ``span`` starts: one at most _NEGATION_REACH words before it, in the same clause, that
    may deny a phrase of ``languages``, with no "only"/"whether" word cancelling it ("ne télétravaille que",
    "nicht nur", "if I"). None when the phrase is not denied."""
    cancel = _vocabulary()["cancel"]
    for start, end, denies in negations:
        if end > span[0] or span[0] - end > _NEGATION_REACH or denies is not None and not denies & languages:
            continue
        if _CLAUSE_PUNCTUATION.search(text[tokens[end - 1].end:tokens[span[0]].start]):
            continue
        if any(t.norm in cancel for t in tokens[end:span[1] + 1]):
            continue
        return start
    return None


def _work_before(negation: int, span: Tuple[int, int], norms: Sequence[str]) -> bool:
    """"ik werk niet meer thuis", "ich arbeite nicht zu Hause": a work verb before the denied "at home"."""
    return bool(_occurrences(norms[max(0, negation - _WORK_REACH):span[0]], _vocabulary()["work"]))


def telework(text: str, tokens: Sequence[Token],
             negations: Sequence[Negation] = ()) -> Tuple[Optional[bool], Optional[float]]:
    """Whether the message speaks of telework from home (True), denies it (False) or says nothing of it (None), and
    its share of the working time when it gives one. A denied phrase is no telework, and its share no share."""
    norms = [t.norm for t in tokens]
    vocabulary = _vocabulary()
    found = shares(text, tokens)
    said, denied = [], False
    for span in _occurrences(norms, vocabulary["telework"]):
        if _denial(span, negations, text, tokens, vocabulary["languages"][tuple(norms[span[0]:span[1]])]) is None:
            said.append(span)
        else:
            denied = True
    for span in _occurrences(norms, vocabulary["home"]):
        # "Home" alone is telework only next to a share, and denied telework only after a work verb.
        negation = _denial(span, negations, text, tokens, vocabulary["languages"][tuple(norms[span[0]:span[1]])])
        if negation is not None:
            denied = denied or _work_before(negation, span, norms)
        elif any(_distance(span, a) <= _HOME_REACH for a in found):
            said.append(span)
    if not said:
        return (False if denied else None), None
    near = [(_distance(span, a), a.start, a.value) for span in said for a in found
            if _distance(span, a) <= _SHARE_REACH]
    return True, (min(near)[2] if near else None)


def still_working(tokens: Sequence[Token]) -> bool:
    """"je travaille encore", "ich arbeite noch", "still working": a pensioner with a job today."""
    return bool(_occurrences([t.norm for t in tokens], _vocabulary()["still_working"]))


def duration_months(text: str, tokens: Sequence[Token], negations: Sequence[Negation] = ()) -> Optional[float]:
    """The first length of time the message gives, in months: "30 mois", "3 Jahre", "two years"; not a denied one
    ("nicht für 30 Monate, sondern für 18": 18)."""
    norms = [t.norm for t in tokens]
    for index, norm in enumerate(norms[:-1]):
        count = _number(norm)
        if count is None or _denial((index, index + 1), negations, text, tokens) is not None:
            continue
        if _phrase_at(norms, index + 1, _vocabulary()["month"]):
            return count
        if _phrase_at(norms, index + 1, _vocabulary()["year"]):
            return 12 * count
    return None
