"""The facts of a message beyond where one lives, works and draws a pension (used by extract.py).

- telework from home and its share ("télétravail 2 jours par semaine"), or its denial ("je ne télétravaille plus"),
  via quantities.py;
- the state of the employer's seat ("un employeur luxembourgeois", Art. 13(1)(b)(i));
- employed in one state and self-employed in another ("salarié au Luxembourg et indépendant en France", Art. 13(3));
- a pensioner who still works ("retraité, je travaille encore au Luxembourg", Art. 31);
- a family member's pension ("mon mari est retraité", Art. 23-26 for the family);
- how long a posting lasts ("détaché pour 30 mois", Art. 12).

Works on the mentions extract.py found (duck-typed, to keep the two modules free of an import cycle).
"""
from __future__ import annotations

import functools
from typing import Any, Dict, List, Optional, Sequence, Tuple

from assistant.insurance import quantities
from assistant.insurance.lexicon import Token, phrase_of
from assistant.insurance.reference_data import load
from assistant.insurance.situation import WORKER_STATUSES

_STATUS_REACH = 3         # words between a status and the place it qualifies: "indépendant en France"
_FAMILY_STATUS_REACH = 2  # "mon mari est retraité", "my husband is retired"


@functools.lru_cache(maxsize=None)
def _earlier_work_words() -> frozenset:
    """Phrases that put a job in the past ("j'ai travaillé", "ancien frontalier")."""
    data = load("lexicon")
    return frozenset(phrase_of(str(w)) for w in [*(data.get("past_work") or ()), *(data.get("former") or ())])


_PLAN_REACH = 6          # words before a place of work in which "wenn ich", "if I" make it a plan


@functools.lru_cache(maxsize=None)
def _plan_words() -> frozenset:
    return frozenset(phrase_of(str(w)) for w in load("lexicon").get("planned_work") or ())


def planned(mention: Any, tokens: Sequence[Token]) -> bool:
    """A place named in a question or after "wenn ich", "if I", "wanneer ik": a plan, not the situation."""
    before = " " + " ".join(t.norm for t in tokens[max(0, mention.start - _PLAN_REACH):mention.start]) + " "
    return mention.question or any(f" {phrase} " in before for phrase in _plan_words())


def _says_earlier_work(tokens: Sequence[Token]) -> bool:
    text = " " + " ".join(t.norm for t in tokens) + " "
    return any(f" {phrase} " in text for phrase in _earlier_work_words())


def _statuses(mention) -> List[str]:
    return [] if mention.negated or mention.family else [e.value for e in mention.of_kind("status")]


def family_pensioner_status(mentions: List[Any], tokens: Sequence[Token]) -> bool:
    """"mon mari est retraité": marks that pensioner status as the family member's and returns True."""
    found = False
    for i, mention in enumerate(mentions):
        if not mention.of_kind("family"):
            continue
        for other in mentions[i + 1:]:
            if other.clause != mention.clause or other.start - mention.end > _FAMILY_STATUS_REACH \
                    or other.of_kind("conj"):
                break
            if "pensioner" in _statuses(other):
                other.family = found = True
                break
    return found


def _status_before(mentions: List[Any], index: int) -> Optional[str]:
    """The worker status right before the place at ``index`` ("indépendant en France"), if any."""
    place = mentions[index]
    for other in reversed(mentions[:index]):
        if other.clause != place.clause or place.start - other.end > _STATUS_REACH - 1 or other.location is not None:
            return None
        worker = [s for s in _statuses(other) if s in WORKER_STATUSES]
        if worker:
            return worker[0]
    return None


def employed_and_self_employed(mentions: List[Any], status: Optional[str],
                               work: List[str]) -> Tuple[Optional[str], List[str], List[str]]:
    """Splits the work countries when the message is employed in some and self-employed in others (Art. 13(3)):
    (status, countries of the employment, countries of the self-employment). Unchanged otherwise."""
    said = {s for m in mentions for s in _statuses(m)}
    if "self_employed" not in said or not said & {"employee", "frontier_worker"}:
        return status, work, []
    self_employed_in: List[str] = []
    for index, mention in enumerate(mentions):
        entry = mention.location
        if entry is not None and "work" in mention.roles and not mention.negated \
                and _status_before(mentions, index) == "self_employed" and entry.value not in self_employed_in:
            self_employed_in.append(entry.value)
    employed_in = [c for c in work if c not in self_employed_in]
    if not self_employed_in or not employed_in:
        return status, work, []
    employed = "frontier_worker" if "frontier_worker" in said else "employee"
    return (employed if status == "self_employed" else status), employed_in, self_employed_in


def _employer_country(mentions: List[Any]) -> Optional[str]:
    for mention in mentions:
        entry = mention.location or mention.adjective
        if entry is not None and mention.via_employer and not mention.negated:
            return entry.value
    return None


def _still_working(tokens: Sequence[Token], mentions: List[Any], status: Optional[str]) -> bool:
    """A pensioner who says they still work, or names a job today ("retraitée et salariée à mi-temps")."""
    if status != "pensioner":
        return False
    if quantities.still_working(tokens):
        return True
    has_job = any(s in WORKER_STATUSES for m in mentions for s in _statuses(m))
    return has_job and not _says_earlier_work(tokens)


def more_facts(text: str, tokens: Sequence[Token], mentions: List[Any], status: Optional[str],
               negations: Sequence[quantities.Negation] = ()) -> Dict[str, Any]:
    """The Situation fields of this module, ready to pass to Situation(...). ``negations``: the negation words
    that count in this message (extract.py), so that a denied telework or posting length is not read as said."""
    teleworks, share = quantities.telework(text, tokens, negations)
    return {
        "teleworks": teleworks,
        "telework_share": share,
        "employer_country": _employer_country(mentions),
        "posting_months": quantities.duration_months(text, tokens, negations) if status == "posted_worker" else None,
        "still_working": _still_working(tokens, mentions, status),
    }
