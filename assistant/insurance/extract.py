"""Finds the Situation facts already present in a free-text message (fr, de, nl, lb, en).

"I live in Arlon and work in Luxembourg as an employee" -> residence BE (Arlon), work LU, employee.

How roles are assigned: the message is cut into clauses (punctuation, "but"/"mais"/"aber"...). A place
or country takes the role of the nearest role word before it in its clause ("live" -> residence, "work"
-> work, "pension" -> pension), looking no further back than the previous place; role words joined by
"and" all count ("I live and work in ..."). With no role word before it, a place right after a worker
status ("salarié au Luxembourg") is a place of work; otherwise the first role word after it in the clause
counts ("In Luxemburg arbeite ich"). Adjectives ("pension belge", "Belgian employer") only count next to
the noun they qualify, because on their own they usually give a nationality, which does not matter here.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from assistant.insurance.lexicon import Entry, Token, lexicon, tokenize
from assistant.insurance.situation import Situation

_CLAUSE_PUNCTUATION = re.compile(r"[.,;:!?()\n]")
_PERCENT = re.compile(r"(\d{1,3})\s?%")
_NOUN_CUE_ROLES = ("pension", "employer")
_ADJECTIVE_REACH = 2          # words between an adjective and its noun ("pension de retraite belge": too far)
_STATUS_CUE_REACH = 3         # "fonctionnaire au Luxembourg": status word, preposition, place
_SHARE_REACH = 4
_LIST_GAP = 4                 # words between two listed countries: "und in den" (Niederlanden)
_WORKER_STATUS_CUES = {"employee", "self_employed", "frontier_worker", "civil_servant", "posted_worker"}
# "retraité à Longwy", "arbeitslos in Trier": for people without work the place is where they live.
_RESIDENT_STATUS_CUES = {"pensioner", "unemployed", "not_working"}
# When several status words appear, the more specific one wins ("frontalier salarié" -> frontier worker).
_STATUS_PRIORITY = ("posted_worker", "civil_servant", "pensioner", "unemployed", "student", "family_member",
                    "frontier_worker", "self_employed", "employee", "not_working")


@dataclass
class Mention:
    """A lexicon phrase found in the message."""

    start: int                  # token index
    end: int                    # token index, exclusive
    text: str
    entries: List[Entry]
    clause: int
    fuzzy: bool = False
    roles: List[str] = field(default_factory=list)
    family: bool = False

    def of_kind(self, *kinds: str) -> List[Entry]:
        return [e for e in self.entries if e.kind in kinds]

    @property
    def location(self) -> Optional[Entry]:
        found = self.of_kind("place", "country")
        return found[0] if found else None

    @property
    def adjective(self) -> Optional[Entry]:
        found = self.of_kind("adjective")
        return found[0] if found else None

    def cue_roles(self) -> List[str]:
        return [e.value for e in self.of_kind("role")]


@dataclass
class Extraction:
    situation: Situation
    mentions: List[Mention]
    unassigned: List[str]                    # countries named without a role we could tell
    language_hint: Optional[str]             # the language most matched words belong to
    conflicts: List[str]

    def describe(self) -> List[Dict[str, object]]:
        return [{"text": m.text, "kinds": sorted({e.kind for e in m.entries}), "roles": m.roles,
                 "fuzzy": m.fuzzy} for m in self.mentions if m.roles or m.of_kind("status", "insurer")]


def _clauses(text: str, tokens: Sequence[Token]) -> List[int]:
    """The clause number of each token."""
    cuts = sorted(m.start() for m in _CLAUSE_PUNCTUATION.finditer(text))
    clause_of, cut = [], 0
    for token in tokens:
        while cut < len(cuts) and cuts[cut] < token.start:
            cut += 1
        clause_of.append(cut)
    return clause_of


def _find_mentions(text: str, tokens: List[Token]) -> List[Mention]:
    clause_of = _clauses(text, tokens)
    lex = lexicon()
    mentions, index, extra_clauses = [], 0, 0
    while index < len(tokens):
        size, entries, fuzzy = lex.lookup(tokens, index)
        if not size:
            index += 1
            continue
        if any(e.kind == "break" for e in entries):
            extra_clauses += 1
        span_text = text[tokens[index].start:tokens[index + size - 1].end]
        mentions.append(Mention(index, index + size, span_text, entries, clause_of[index] * 1000 + extra_clauses, fuzzy))
        index += size
    return mentions


def _only_grammar_between(tokens_between: Sequence[Token], mentions_between: Sequence[Mention]) -> bool:
    """True when two places are separated only by "and" plus articles/prepositions ("et au", "und in den")."""
    return 0 < len(tokens_between) <= _LIST_GAP \
        and sum(m.end - m.start for m in mentions_between) == len(tokens_between) \
        and all(m.of_kind("conj", "grammar", "from", "to") for m in mentions_between) \
        and any(m.of_kind("conj") for m in mentions_between)


def _role_of_cue(role: str, status: Optional[str]) -> str:
    if role == "employer":
        return "sending" if status == "posted_worker" else "work"
    return role


def _chained_roles(cue_index: int, mentions: List[Mention]) -> List[str]:
    """The roles of the cue at ``cue_index`` plus those of cues joined to it by "and"."""
    roles = list(mentions[cue_index].cue_roles())
    index = cue_index
    while index >= 2:
        conj, before = mentions[index - 1], mentions[index - 2]
        adjacent = conj.start == before.end and mentions[index].start == conj.end
        if not (adjacent and conj.of_kind("conj") and before.of_kind("role")
                and before.clause == mentions[index].clause):
            break
        roles = before.cue_roles() + roles
        index -= 2
    return roles


def _assign_roles(mentions: List[Mention], tokens: List[Token], status: Optional[str]) -> None:
    previous_location: Optional[int] = None
    for i, mention in enumerate(mentions):
        if mention.location is not None:
            _assign_location(i, mentions, tokens, status, previous_location)
            if mention.roles:
                previous_location = i
            elif previous_location is not None and mentions[previous_location].clause != mention.clause:
                previous_location = None
        elif mention.adjective is not None:
            _assign_adjective(i, mentions, status)


def _assign_location(i: int, mentions: List[Mention], tokens: List[Token], status: Optional[str],
                     previous: Optional[int]) -> None:
    mention = mentions[i]
    clause = mention.clause
    floor = previous + 1 if previous is not None and mentions[previous].clause == clause else 0
    window = [j for j in range(floor, i) if mentions[j].clause == clause]

    cues = [j for j in window if mentions[j].of_kind("role")]
    if cues:
        cue = cues[-1]
        roles = [_role_of_cue(r, status) for r in _chained_roles(cue, mentions)]
        mention.family = any(mentions[j].of_kind("family") for j in window if j < cue)
    elif previous is not None and mentions[previous].clause == clause and _only_grammar_between(
            tokens[mentions[previous].end:mention.start], mentions[previous + 1:i]):
        # "pensions from Belgium and Luxembourg": the second country shares the first one's roles.
        roles, mention.family = list(mentions[previous].roles), mentions[previous].family
    elif _status_right_before(mention, [mentions[j] for j in window], _WORKER_STATUS_CUES):
        roles = ["work"]
    elif _status_right_before(mention, [mentions[j] for j in window], _RESIDENT_STATUS_CUES):
        roles = ["residence"]
    else:
        roles = []
        for j in range(i + 1, len(mentions)):
            if mentions[j].clause != clause or mentions[j].location is not None:
                break
            if mentions[j].of_kind("role"):
                roles = [_role_of_cue(r, status) for r in mentions[j].cue_roles()]
                break

    if status == "posted_worker" and roles and roles[0] in ("work", "sending"):
        # "posted from Belgium to Germany": the preposition tells sending from host country.
        before = [m for m in mentions[max(0, i - 2):i] if m.end >= mention.start - 2]
        if any(m.of_kind("from") for m in before):
            roles = ["sending"]
        elif any(m.of_kind("to") for m in before):
            roles = ["work"]
    mention.roles = roles


def _status_right_before(mention: Mention, window: List[Mention], statuses) -> bool:
    return any(e.value in statuses for m in window for e in m.of_kind("status")
               if mention.start - m.end <= _STATUS_CUE_REACH - 1)


def _assign_adjective(i: int, mentions: List[Mention], status: Optional[str]) -> None:
    mention = mentions[i]
    for j in (i - 1, i + 1, i - 2, i + 2):
        if 0 <= j < len(mentions) and mentions[j].clause == mention.clause:
            other = mentions[j]
            gap = (mention.start - other.end) if j < i else (other.start - mention.end)
            nouns = [r for r in other.cue_roles() if r in _NOUN_CUE_ROLES]
            if nouns and gap <= _ADJECTIVE_REACH:
                mention.roles = [_role_of_cue(nouns[0], status)]
                return


def _status(mentions: List[Mention]) -> Optional[str]:
    found = {e.value for m in mentions for e in m.of_kind("status")}
    for status in _STATUS_PRIORITY:
        if status in found:
            return status
    return None


def _language_hint(mentions: List[Mention]) -> Optional[str]:
    votes = Counter()
    for mention in mentions:
        languages = {e.language for e in mention.entries if e.language}
        for language in languages:
            votes[language] += 1.0 / len(languages)
    if not votes:
        return None
    ranked = votes.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def _residence_share(text: str, tokens: List[Token], mentions: List[Mention], residence: Optional[str]) -> Optional[float]:
    """"30 % in Belgium" when Belgium is the residence country (several-states rule)."""
    if not residence:
        return None
    for match in _PERCENT.finditer(text):
        position = next((k for k, t in enumerate(tokens) if t.start >= match.start()), None)
        if position is None:
            continue
        for mention in mentions:
            entry = mention.location or mention.adjective
            if entry and entry.value == residence and abs(mention.start - position) <= _SHARE_REACH:
                return float(match.group(1))
    return None


def extract(text: str) -> Extraction:
    """Everything the message tells about the situation, with the evidence."""
    tokens = tokenize(text or "")
    mentions = _find_mentions(text or "", tokens)
    status = _status(mentions)
    _assign_roles(mentions, tokens, status)

    residence = residence_place = sending = insured = None
    work: List[str] = []
    pension: List[str] = []
    unassigned: List[str] = []
    conflicts: List[str] = []
    for mention in mentions:
        for implied in mention.of_kind("implied"):
            if implied.display == "pension" and implied.value not in pension:
                pension.append(implied.value)
        entry = mention.location or mention.adjective
        if entry is None:
            continue
        country = entry.value
        if not mention.roles and mention.location is not None:
            unassigned.append(country)
        for role in mention.roles:
            if mention.family and role in ("work", "pension"):
                insured = insured or country
            elif role == "residence":
                if residence and residence != country:
                    conflicts.append(f"residence: {residence} or {country}")
                    continue
                residence = residence or country
                if entry.kind == "place" and not residence_place:
                    residence_place = entry.display
            elif role == "work" and country not in work:
                work.append(country)
            elif role == "pension" and country not in pension:
                pension.append(country)
            elif role == "sending":
                sending = sending or country

    if status == "pensioner" and not pension:
        # "ma retraite vient de Belgique" with no pension word we know: the one other country named.
        candidates = [c for c in unassigned if c != residence]
        if len(set(candidates)) == 1:
            pension.append(candidates[0])
            unassigned.remove(candidates[0])
    if status is None and pension and not work:
        # "I get a Dutch pension" with no status word: drawing a pension and not working is a pensioner.
        status = "pensioner"
    if status == "family_member" and not insured and work:
        # A co-insured person's "work" country is the insured family member's.
        insured, work = work[0], work[1:]

    insurers = [e.display for m in mentions for e in m.of_kind("insurer")]
    situation = Situation(
        residence_country=residence,
        work_countries=tuple(work),
        status=status,
        pension_countries=tuple(pension),
        residence_place=residence_place,
        current_insurer=insurers[0] if insurers else None,
        sending_country=sending,
        insured_person_country=insured,
        residence_work_share=_residence_share(text or "", tokens, mentions, residence) if len(work) > 1 else None,
    )
    return Extraction(situation, mentions, unassigned, _language_hint(mentions), conflicts)


def extract_situation(text: str) -> Situation:
    """The Situation facts present in ``text`` (fields not mentioned stay unknown)."""
    return extract(text).situation
