"""Finds the Situation facts already present in a free-text message (fr, de, nl, lb, en).

"I live in Arlon and work in Luxembourg as an employee" -> residence BE (Arlon), work LU, employee.

How roles are assigned: the message is cut into clauses (punctuation, "but"/"mais"/"aber"...). A place
or country takes the role of the nearest role word before it in its clause ("live" -> residence, "work"
-> work, "pension" -> pension), looking no further back than the previous place; role words joined by
"and" all count ("I live and work in ..."). With no role word before it, a place right after a worker
status ("salarié au Luxembourg") is a place of work; otherwise the first role word after it in the clause
counts ("In Luxemburg arbeite ich"). Adjectives ("pension belge", "Belgian employer") only count next to
the noun they qualify, because on their own they usually give a nationality, which does not matter here.
Noun cues ("pension", "employer") never chain by "and" ("ein Duits pensioen en woon in Nederland": the
pension is German, only the residence is Dutch).

After an employer noun, a word for a seat ("my employer is based in", "mon employeur est basé au", "Firma mit Sitz
in", "werkgever gevestigd in", "Patron mat Sëtz zu") gives the employer's country, not the person's residence.

Three more steps keep one fact in one field:
- Apposition: a country or region right after a place of the same country ("Forbach in Frankreich",
  "Kerkrade (Nederland)", "Thionville, France") is the same location, not a second one.
- Negation: a place within three words after "nicht / pas / niet / net / not" is what the person is NOT
  (``Extraction.negated``), so a caller can drop it ("ich arbeite doch in Trier, nicht in Luxemburg").
  Without a cue of its own it takes the role of the place before it (else after it); a place after
  "sondern / mais / but" with no cue takes the role of the negated one ("net zu Lëtzebuerg mee zu Tréier").
- Questions: insurers named together in a clause ending with "?" ("quel formulaire la CNS envoie-t-elle à
  la CPAM ?", "CNS oder AOK?") are asked about: none is the current insurer unless "my" comes before it.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from assistant.insurance import details, quantities
from assistant.insurance.lexicon import Entry, Token, lexicon, phrase_of, tokenize
from assistant.insurance.quantities import percentages
from assistant.insurance.reference_data import load
from assistant.insurance.situation import Situation

_CLAUSE_PUNCTUATION = re.compile(r"[.,;:!?()\n]")
_BRACKETED_ENDING = re.compile(r"(\w)\((?:en|e|s|n|es|in|innen|nen|r|er)\)", re.UNICODE)
_NOUN_CUE_ROLES = ("pension", "employer")
_ADJECTIVE_REACH = 2          # words between an adjective and its noun ("pension de retraite belge": too far)
_STATUS_CUE_REACH = 3         # "fonctionnaire au Luxembourg": status word, preposition, place
_SHARE_REACH = 4
_LIST_GAP = 4                 # words between two listed countries: "und in den" (Niederlanden)
_NEGATION_REACH = 3           # words between a negation and what it denies: "don't live in" France
_NEGATED_STATUS_REACH = 2     # "je ne suis pas retraité", "I'm not a pensioner"
_APPOSITION_GAP = 3           # "Arel an der Belsch", "Thionville, in the" ...
_CONTINUATION_GAP = 4         # "nicht in Luxemburg, sondern in Trier": ", sondern in"
_SEAT_REACH = 3               # words between an employer noun and its seat: "Arbeitgeber hat seinen Sitz in"
_TELEWORK_GAP = 1             # words between "I don't work" and what it denies: "ich arbeite nicht im Homeoffice"
# Characters allowed between a place and its country ("Thionville, France", "Kerkrade (Nederland)").
_APPOSITION_PUNCTUATION = re.compile(r"^[\s,()\-–/]*$")
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
    negated: bool = False       # "nicht in Luxemburg", "kein Rentner": the message says it is NOT so
    same_as: Optional[int] = None   # index of the mention naming the same location more precisely
    question: bool = False      # in a clause ending with "?"
    via_employer: bool = False  # the place or adjective got its role from "employer" ("employeur luxembourgeois")
    closes_place: bool = False  # a cue that gave its role to the place right before it (verb-final clause)
    left: bool = False          # the place a move starts from ("de France" in "je déménage de France en Belgique")

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
        """Roles this word gives to places near it; "AOW" (implied Dutch pension) is a pension cue too."""
        return [e.value for e in self.of_kind("role")] + [e.display for e in self.of_kind("implied")]


@dataclass
class Extraction:
    situation: Situation
    mentions: List[Mention]
    unassigned: List[str]                    # countries named without a role we could tell
    language_hint: Optional[str]             # the language most matched words belong to
    conflicts: List[str]
    # What the message denies, for the caller to remove from what it knew: role -> countries
    # ("residence", "work", "pension", "sending", "insured"; "unknown" when no role could be told),
    # and "status" -> statuses ("je ne suis pas retraité"). Never also in ``situation`` or ``unassigned``.
    negated: Dict[str, List[str]] = field(default_factory=dict)
    # The message corrects an earlier answer ("doch", "en fait", "actually", "nee", or it denies something):
    # each fact it gives replaces the same field only.
    correction: bool = False
    # The words of the message as matched (mentions index into them), for callers that look further.
    tokens: List[Token] = field(default_factory=list)

    def describe(self) -> List[Dict[str, object]]:
        return [{"text": m.text, "kinds": sorted({e.kind for e in m.entries}), "roles": m.roles,
                 "fuzzy": m.fuzzy, "negated": m.negated}
                for m in self.mentions if m.roles or m.of_kind("status", "insurer")]


def _clauses(text: str, tokens: Sequence[Token]) -> List[int]:
    """The clause number of each token."""
    cuts = sorted(m.start() for m in _CLAUSE_PUNCTUATION.finditer(text))
    clause_of, cut = [], 0
    for token in tokens:
        while cut < len(cuts) and cuts[cut] < token.start:
            cut += 1
        clause_of.append(cut)
    return clause_of


def _question_clauses(text: str) -> set:
    """The numbers (as in ``_clauses``) of the clauses that end with "?"."""
    cuts = sorted(m.start() for m in _CLAUSE_PUNCTUATION.finditer(text))
    return {k for k, cut in enumerate(cuts) if text[cut] == "?"}


def _find_mentions(text: str, tokens: List[Token]) -> List[Mention]:
    clause_of = _clauses(text, tokens)
    questions = _question_clauses(text)
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
        mentions.append(Mention(index, index + size, span_text, entries, clause_of[index] * 1000 + extra_clauses, fuzzy,
                                question=clause_of[index] in questions))
        index += size
    return mentions


def _read_seat_words(mentions: List[Mention]) -> List[Mention]:
    """A seat word right after an employer noun gives the employer's country ("my employer is based in
    Luxembourg": Art. 13(1)(b)(i)): it becomes that noun's cue. Elsewhere "based in" keeps its residence cue ("I'm
    based in Thionville") and a bare seat word ("basé", "Sitz") says nothing; mentions left without meaning go."""
    for i, mention in enumerate(mentions):
        seats = [e for e in mention.of_kind("role") if e.value == "seat"]
        if not seats:
            continue
        employer = any("employer" in m.cue_roles() and m.clause == mention.clause
                       and 0 <= mention.start - m.end <= _SEAT_REACH for m in mentions[:i])
        kept = [e for e in mention.entries if e.kind != "role" or not employer and e.value != "seat"]
        mention.entries = kept + ([Entry("role", "employer", e.language) for e in seats] if employer else [])
    return [m for m in mentions if m.entries]


def _deny_telework_not_work(mentions: List[Mention], tokens: List[Token]) -> set:
    """"I don't work from home", "ich arbeite nicht im Homeoffice", "ik werk niet meer thuis": a not-working phrase
    right before a telework or home phrase denies the telework, not work (the person works elsewhere). Returns
    the indices of those phrases, which deny no status either."""
    starts = [start for start, _ in quantities.telework_spans(tokens)]
    denials = set()
    for index, mention in enumerate(mentions):
        if mention.of_kind("negation") and any(e.value == "not_working" for e in mention.of_kind("status")) \
                and any(0 <= start - mention.end <= _TELEWORK_GAP for start in starts):
            mention.negated = True
            denials.add(index)
    return denials


def _negations(mentions: List[Mention], hint: Optional[str]) -> List[quantities.Negation]:
    """The negation words that count in this message, for the amounts of quantities.py. With no language told, a
    word that negates only in its own language ("keen", "net", "pas") may deny a phrase of that language only."""
    found: List[quantities.Negation] = []
    for mention in mentions:
        if mention.of_kind("status"):
            if mention.negated and mention.of_kind("negation"):       # "I don't work" (from home, in Trier)
                found.append((mention.start, mention.end, None))
        elif _negation_counts(mention, hint):
            found.append((mention.start, mention.end, None))
        elif hint is None:
            own = frozenset(e.language for e in mention.of_kind("negation") if e.value == "own_language")
            if own:
                found.append((mention.start, mention.end, own))
    return found


def _only_grammar_between(tokens_between: Sequence[Token], mentions_between: Sequence[Mention]) -> bool:
    """True when two places are separated only by "and" plus articles/prepositions ("et au", "und in den")."""
    return 0 < len(tokens_between) <= _LIST_GAP \
        and sum(m.end - m.start for m in mentions_between) == len(tokens_between) \
        and all(m.of_kind("conj", "grammar", "from", "to") for m in mentions_between) \
        and any(m.of_kind("conj") for m in mentions_between)


@functools.lru_cache(maxsize=None)
def _word_sets() -> Tuple[frozenset, frozenset, frozenset]:
    """(apposition joiners, words that cancel a negation, possessives) from the lexicon, normalised."""
    data = load("lexicon")
    return (frozenset(phrase_of(str(w)) for w in data["apposition_words"]),
            frozenset(phrase_of(str(w)) for w in data["negation"]["cancelled_by"]),
            frozenset(phrase_of(str(w)) for w in data["possessives"]))


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
        if not (adjacent and conj.of_kind("conj") and before.cue_roles()
                and before.clause == mentions[index].clause):
            break
        if any(r in _NOUN_CUE_ROLES for r in before.cue_roles()):
            # "een Duits pensioen en woon in Nederland": a noun is not a verb shared by "and".
            break
        roles = before.cue_roles() + roles
        index -= 2
    return roles


def _negation_counts(mention: Mention, hint: Optional[str]) -> bool:
    """True for a plain negation word ("nicht", "pas", "not") that counts in a message of this language.

    Negations that are also a status ("ne travaille pas", "schaffen net") only deny the place right after
    them (``_denied_work_places``).
    """
    if mention.of_kind("status") or mention.negated:
        return False
    for entry in mention.of_kind("negation"):
        if entry.value == "own_language" and hint == entry.language:
            return True
        if entry.value != "own_language" and (hint is None or entry.language in (None, hint)):
            return True
    return False


def _negation_before(first: int, start: int, mentions: List[Mention], tokens: List[Token],
                     hint: Optional[str], reach: int) -> bool:
    """True when a negation sits at most ``reach`` words before token ``start`` (mention ``first``), in the
    same clause, with no place or status between (the negation would be theirs) and no "only"/"whether"."""
    cancel = _word_sets()[1]
    clause = mentions[first].clause
    for j in range(first - 1, -1, -1):
        other = mentions[j]
        if other.clause != clause or start - other.end > reach:
            return False
        if _negation_counts(other, hint):
            return not any(t.norm in cancel for t in tokens[other.end:start])
        if other.location is not None or other.of_kind("status"):
            return False
    return False


def _denied_work_places(mentions: List[Mention], tokens: List[Token]) -> Dict[int, int]:
    """{place index: status index} for "je ne travaille pas au Luxembourg", "ech schaffen net zu Lëtzebuerg",
    "I don't work in Germany": a not-working phrase followed by a place denies working there; it does not
    mean the person has no work."""
    denied = {}
    cancel = _word_sets()[1]
    for k, mention in enumerate(mentions):
        if not (mention.of_kind("negation") and any(e.value == "not_working" for e in mention.of_kind("status"))):
            continue
        if mention.end < len(tokens) and tokens[mention.end].norm in cancel:
            # "ich arbeite nicht nur in Luxemburg": not "not working" but a plain work verb.
            mention.entries = [Entry("role", "work", e.language) for e in mention.of_kind("status")]
            continue
        end = mention.end
        for j in range(k + 1, len(mentions)):
            other = mentions[j]
            if other.start != end or other.clause != mention.clause or other.start - mention.end > 2:
                break
            if other.location is not None:
                denied[j] = k
                break
            if not other.of_kind("grammar", "from", "to"):
                break
            end = other.end
    return denied


def _specificity(entry: Entry) -> int:
    return 0 if entry.kind == "country" else 1 if entry.region else 2


def _apposition(first: Mention, second: Mention, text: str, tokens: List[Token]) -> bool:
    """True when ``second`` names the same location as ``first`` ("Forbach in Frankreich", "Kerkrade
    (Nederland)", "Thionville, France", "Thionville en Moselle"): same country, one more precise than the
    other, joined only by a preposition/article and ",()"."""
    a, b = first.location, second.location
    if a.value != b.value or _specificity(a) == _specificity(b):
        return False
    between = tokens[first.end:second.start]
    if len(between) > _APPOSITION_GAP or any(t.norm not in _word_sets()[0] for t in between):
        return False
    gap_text = text[tokens[first.end - 1].end:tokens[second.start].start]
    for token in between:
        gap_text = gap_text.replace(token.text, " ", 1)
    return bool(_APPOSITION_PUNCTUATION.match(gap_text))


def _continues(previous: Mention, mention: Mention, mentions_between: List[Mention], text: str,
               tokens: List[Token]) -> bool:
    """True for "..., sondern in Trier", "... mee zu Tréier", "..., but also in Belgium": the place goes on
    from the one before, after a comma or a "but", with only grammar words between."""
    between = tokens[previous.end:mention.start]
    if len(between) > _CONTINUATION_GAP or sum(m.end - m.start for m in mentions_between) != len(between):
        return False
    if not all(m.of_kind("break", "conj", "grammar", "from", "to", "correction") for m in mentions_between):
        return False
    gap_text = text[tokens[previous.end - 1].end:tokens[mention.start].start]
    if re.search(r"[.;:!?()\n]", gap_text):
        return False
    if any(m.of_kind("break") for m in mentions_between):
        return True
    # A bare comma continues a list ("en Belgique, au Luxembourg et en France") or a denial ("nicht in
    # Luxemburg, in Trier"), but one lives in one country: "I live in Belgium, Luxembourg" stays unclear.
    return "," in gap_text and (previous.negated or "residence" not in previous.roles)


def _assign_roles(mentions: List[Mention], tokens: List[Token], text: str, status: Optional[str],
                  hint: Optional[str], denied_work: Dict[int, int]) -> None:
    previous_location: Optional[int] = None     # the last place with a role, for lists ("in A and B")
    last_location: Optional[int] = None         # the last place, with or without a role
    last_roled: Optional[int] = None            # the last place asserted (not negated) with a role
    for i, mention in enumerate(mentions):
        if mention.location is not None:
            last = mentions[last_location] if last_location is not None else None
            if last is not None and _apposition(last, mention, text, tokens):
                if not last.roles:
                    _assign_location(i, mentions, tokens, status, previous_location)
                    last.roles, last.family = list(mention.roles), mention.family
                mention.roles, mention.family, mention.negated = list(last.roles), last.family, last.negated
                # The less precise name is the duplicate: "Forbach" is kept, "Frankreich" points to it.
                if _specificity(last.location) < _specificity(mention.location):
                    last.same_as = i
                else:
                    mention.same_as = last_location
            elif i in denied_work:
                mention.roles, mention.negated = ["work"], True
            else:
                _assign_location(i, mentions, tokens, status, previous_location)
                mention.negated = _negation_before(i, mention.start, mentions, tokens, hint, _NEGATION_REACH)
                if mention.negated and not mention.roles and last_roled is not None:
                    # "ich arbeite doch in Trier, nicht in Luxemburg": what is denied is the same kind of fact.
                    mention.roles, mention.family = list(mentions[last_roled].roles), mentions[last_roled].family
                elif not mention.roles and last is not None and last.roles and _continues(
                        last, mention, mentions[last_location + 1:i], text, tokens):
                    # "nicht in Luxemburg, sondern in Trier", "not only in France but also in Belgium".
                    mention.roles, mention.family = list(last.roles), last.family
            if mention.roles:
                previous_location = i
                if not mention.negated:
                    last_roled = i
            elif previous_location is not None and mentions[previous_location].clause != mention.clause:
                previous_location = None
            last_location = i
        elif mention.adjective is not None:
            noun = _assign_adjective(i, mentions, status)
            if noun is not None:
                first = min(i, noun)
                mention.negated = _negation_before(first, mentions[first].start, mentions, tokens, hint,
                                                   _NEGATION_REACH)
        elif mention.of_kind("implied"):
            mention.negated = _negation_before(i, mention.start, mentions, tokens, hint, _NEGATION_REACH)

    # "eine luxemburgische und eine deutsche Rente": an adjective joined by "and" to one that qualifies a noun.
    for i in range(len(mentions) - 1, -1, -1):
        mention = mentions[i]
        if mention.adjective is None or mention.roles:
            continue
        following = next((j for j in range(i + 1, len(mentions)) if mentions[j].adjective is not None), None)
        if following is None or not mentions[following].roles or mentions[following].clause != mention.clause:
            continue
        between = mentions[i + 1:following]
        if mentions[following].start - mention.end <= _LIST_GAP - 1 and between \
                and all(m.of_kind("conj", "grammar") for m in between) and any(m.of_kind("conj") for m in between):
            mention.roles, mention.negated = list(mentions[following].roles), mentions[following].negated

    # "not in France, I live in Belgium": a denied place with no role of its own takes the next place's.
    for i, mention in enumerate(mentions):
        if mention.negated and not mention.roles and mention.location is not None:
            following = next((m for m in mentions[i + 1:] if m.location is not None and m.roles and not m.negated),
                             None)
            if following is not None:
                mention.roles, mention.family = list(following.roles), following.family


def _moves_a_thing(cue: Mention, tokens: List[Token]) -> bool:
    """"move my appointment / my insurance to Luxembourg": a moving verb with its own object moves a thing."""
    return "move" in cue.cue_roles() and cue.end < len(tokens) and tokens[cue.end].norm in _word_sets()[2]


def _moved_from(previous: Optional[int], mentions: List[Mention], clause: int) -> bool:
    """True when the place before is the one a moving verb left ("déménage de France", "moving from France")."""
    if previous is None or mentions[previous].clause != clause:
        return False
    before = mentions[:previous]
    cue = next((m for m in reversed(before) if m.clause == clause and m.cue_roles()), None)
    return cue is not None and "move" in cue.cue_roles() and any(
        m.of_kind("from") for m in before if m.end >= mentions[previous].start - 2)


def _assign_location(i: int, mentions: List[Mention], tokens: List[Token], status: Optional[str],
                     previous: Optional[int]) -> None:
    mention = mentions[i]
    clause = mention.clause
    floor = previous + 1 if previous is not None and mentions[previous].clause == clause else 0
    window = [j for j in range(floor, i) if mentions[j].clause == clause]

    # Not a verb that closed the place before ("da ich in Belgien arbeite und in Frankreich wohne"): it is spent.
    cues = [j for j in window if mentions[j].cue_roles() and not mentions[j].closes_place
            and not _moves_a_thing(mentions[j], tokens)]
    if cues:
        cue = cues[-1]
        roles = [_role_of_cue(r, status) for r in _chained_roles(cue, mentions)]
        mention.family = any(mentions[j].of_kind("family") for j in window if j < cue)
        mention.via_employer = "employer" in mentions[cue].cue_roles()
    elif any("commute" in mentions[j].cue_roles() for j in range(floor) if mentions[j].clause == clause):
        # "ich pendle von Trier nach Luxemburg": "pendle" reaches past the first place (prepositions below).
        roles = ["commute"]
    elif _moved_from(previous, mentions, clause):
        # "je déménage de France en Belgique": the place after the one left is the new home.
        roles = ["move"]
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
            if mentions[j].cue_roles() and "commute" not in mentions[j].cue_roles():
                # Not "commute": "if I move to France and keep commuting to Saarbrücken" (France is home).
                roles = [_role_of_cue(r, status) for r in mentions[j].cue_roles()]
                mention.via_employer = "employer" in mentions[j].cue_roles()     # "a Luxembourg company"
                following = next((k for k in range(j + 1, len(mentions)) if mentions[k].clause == clause
                                  and mentions[k].location is not None), None)
                # Spent only when it ends the place's clause: a cue right before the next place is also that
                # place's ("a side job in France while working in Luxembourg").
                if following is None or mentions[following].start - mentions[j].end > 2 or any(
                        m.of_kind("conj", "break") for m in mentions[j + 1:following]):
                    mentions[j].closes_place = True
                break

    before = [m for m in mentions[max(0, i - 2):i] if m.end >= mention.start - 2]
    if "commute" in roles:
        # Commuting: from home ("von Trier") to work ("nach Luxemburg").
        place = "residence" if any(m.of_kind("from") for m in before) else "work"
        roles = [place if r == "commute" else r for r in roles]
    moving = "move" in roles or any("move" in mentions[j].cue_roles() for j in range(i)
                                    if mentions[j].clause == clause and not _moves_a_thing(mentions[j], tokens))
    if moving:
        # Moving: the place left ("de France", "from the Netherlands") was home before and decides nothing now;
        # it is not offered as a country without a role either (a pensioner's would become the pension country).
        mention.left = any(m.of_kind("from") for m in before)
        roles = [] if mention.left else ["residence" if r == "move" else r for r in roles]
    if status == "posted_worker" and roles and roles[0] in ("work", "sending"):
        # "posted from Belgium to Germany": the preposition tells sending from host country.
        if any(m.of_kind("from") for m in before):
            roles = ["sending"]
        elif any(m.of_kind("to") for m in before):
            roles = ["work"]
    mention.roles = roles


def _status_right_before(mention: Mention, window: List[Mention], statuses) -> bool:
    return any(e.value in statuses for m in window if not m.negated for e in m.of_kind("status")
               if mention.start - m.end <= _STATUS_CUE_REACH - 1)


def _assign_adjective(i: int, mentions: List[Mention], status: Optional[str]) -> Optional[int]:
    """Gives the adjective the role of the noun it qualifies; returns that noun's index."""
    mention = mentions[i]
    # French puts the adjective after the noun ("pension belge"), the other languages before ("deutsche Rente").
    noun_first = any(e.language == "fr" for e in mention.of_kind("adjective"))
    candidates = []
    for j, other in enumerate(mentions):
        if j == i or other.clause != mention.clause:
            continue
        nouns = [r for r in other.cue_roles() if r in _NOUN_CUE_ROLES]
        gap = (mention.start - other.end) if j < i else (other.start - mention.end)
        if nouns and gap <= _ADJECTIVE_REACH:
            candidates.append((gap, (j < i) != noun_first, j, nouns[0]))
    if not candidates:
        return None
    _, _, j, noun = min(candidates)
    mention.roles = [_role_of_cue(noun, status)]
    mention.via_employer = noun == "employer"
    return j


def _negate_statuses(mentions: List[Mention], tokens: List[Token], hint: Optional[str]) -> None:
    """"je ne suis pas retraité", "Ich bin kein Rentner", "I'm not a pensioner": the status is denied."""
    for i, mention in enumerate(mentions):
        if mention.of_kind("status") and not mention.of_kind("negation"):
            mention.negated = _negation_before(i, mention.start, mentions, tokens, hint, _NEGATED_STATUS_REACH)


def _status(mentions: List[Mention]) -> Optional[str]:
    # A status of a family member ("mon mari est retraité") is not the person's own.
    found = {e.value for m in mentions if not m.negated and not m.family for e in m.of_kind("status")}
    for status in _STATUS_PRIORITY:
        if status in found:
            return status
    return None


def _language_hint(mentions: List[Mention]) -> Optional[str]:
    votes = Counter()
    for mention in mentions:
        # Negations are short words shared by several languages ("net", "pas"): they do not vote.
        languages = {e.language for e in mention.entries if e.language and e.kind != "negation"}
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
    for amount in percentages(text, tokens):
        for mention in mentions:
            entry = mention.location or mention.adjective
            if entry and entry.value == residence and abs(mention.start - amount.start) <= _SHARE_REACH:
                return amount.value
    return None


def extract(text: str) -> Extraction:
    """Everything the message tells about the situation, with the evidence."""
    # "pensioen(en)", "Rentner(in)": a plural or gender ending in brackets is no clause break.
    text = _BRACKETED_ENDING.sub(r"\1", text or "")
    tokens = tokenize(text or "")
    mentions = _read_seat_words(_find_mentions(text or "", tokens))
    hint = _language_hint(mentions)
    denied_work = _denied_work_places(mentions, tokens)
    for status_index in denied_work.values():
        mentions[status_index].negated = True       # "je ne travaille pas au Luxembourg" is no "not working"
    telework_denials = _deny_telework_not_work(mentions, tokens)
    _negate_statuses(mentions, tokens, hint)
    family_pensioner = details.family_pensioner_status(mentions, tokens)
    status = _status(mentions)
    _assign_roles(mentions, tokens, text or "", status, hint, denied_work)

    residence = residence_place = sending = insured = None
    work: List[str] = []
    pension: List[str] = []
    unassigned: List[str] = []
    conflicts: List[str] = []
    negated: Dict[str, List[str]] = {}
    for index, mention in enumerate(mentions):
        for implied in mention.of_kind("implied"):
            if mention.negated:
                _add_unique(negated.setdefault(implied.display, []), implied.value)
            elif implied.display == "pension" and implied.value not in pension:
                pension.append(implied.value)
        if mention.negated and mention.of_kind("status") and index not in denied_work.values() \
                and index not in telework_denials:
            for entry in mention.of_kind("status"):
                _add_unique(negated.setdefault("status", []), entry.value)
        entry = mention.location or mention.adjective
        if entry is None or mention.same_as is not None:
            continue        # "Frankreich" in "Forbach in Frankreich" adds nothing to "Forbach"
        country = entry.value
        if mention.negated:
            for role in [("insured" if mention.family and r in ("work", "pension") else r) for r in mention.roles] \
                    or (["unknown"] if mention.location is not None else []):
                _add_unique(negated.setdefault(role, []), country)
            continue
        if not mention.roles and mention.location is not None and not mention.left:
            unassigned.append(country)
        for role in mention.roles:
            if mention.family and role in ("work", "pension"):
                insured = insured or country
                family_pensioner = family_pensioner or role == "pension"
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
    if status == "not_working" and work and pension:
        # "Ik werk niet ... wanneer ik in België ga werken": a pensioner who says they do not work and names a
        # work country only in a question or a condition speaks of a plan; it must not hide the pension
        # (Art. 24). Work they state ("je ne travaille pas le week-end mais je travaille au Luxembourg") stays.
        stated = {(m.location or m.adjective).value for m in mentions if "work" in m.roles and not m.negated
                  and (m.location or m.adjective) and not details.planned(m, tokens)}
        unassigned.extend(c for c in work if c not in stated and c not in unassigned)
        work = [c for c in work if c in stated]
    if status in (None, "not_working") and pension and not work and not family_pensioner:
        # "I get a Dutch pension (and do not work)": drawing a pension and not working is a pensioner.
        status = "pensioner"
    if status == "family_member" and not insured and work:
        # A co-insured person's "work" country is the insured family member's.
        insured, work = work[0], work[1:]
    if family_pensioner and status in (None, "family_member") and not insured and pension:
        # "Mon mari est retraité, il touche une pension belge": the pension is the insured family member's.
        insured, pension = pension[0], pension[1:]
    status, work, self_employed_in = details.employed_and_self_employed(mentions, status, work)

    insurers = _current_insurers(mentions, tokens)
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
        self_employment_countries=tuple(self_employed_in),
        insured_person_pensioner=family_pensioner,
        **details.more_facts(text or "", tokens, mentions, status, _negations(mentions, hint)),
    )
    # "Ech wunnen zu Esch, net zu Diddeleng": a denied town in the country the message asserts denies no country.
    asserted = {"residence": [residence], "work": work, "pension": pension, "sending": [sending],
                "insured": [insured]}
    negated = {role: kept for role, countries in negated.items()
               if (kept := [c for c in countries if c not in asserted.get(role, ())])}
    correction = bool(negated) or any(m.negated for m in mentions) or any(m.of_kind("correction") for m in mentions)
    return Extraction(situation, mentions, unassigned, hint, conflicts, negated, correction, tokens)


def _current_insurers(mentions: List[Mention], tokens: List[Token]) -> List[str]:
    """The insurers named as the person's own, first first.

    "quel formulaire la CNS envoie-t-elle à la CPAM ?", "CNS oder AOK?": a question naming several insurers asks
    about them, unless a possessive comes right before one ("mijn Duitse AOK of de CM?").
    """
    possessives = _word_sets()[2]
    asked: Dict[int, set] = {}          # punctuation clause -> insurer names asked about in it
    for mention in mentions:
        if mention.question:
            asked.setdefault(mention.clause // 1000, set()).update(e.display for e in mention.of_kind("insurer"))
    found = []
    for i, mention in enumerate(mentions):
        before = mention.start - 1
        if i and mentions[i - 1].adjective is not None and mentions[i - 1].end == mention.start:
            before = mentions[i - 1].start - 1         # "mijn Duitse AOK"
        mine = before >= 0 and tokens[before].norm in possessives
        for entry in mention.of_kind("insurer"):
            if mention.question and len(asked.get(mention.clause // 1000, ())) > 1 and not mine:
                continue
            found.append(entry.display)
    return found


def _add_unique(values: List[str], value: str) -> None:
    if value not in values:
        values.append(value)


def extract_situation(text: str) -> Situation:
    """The Situation facts present in ``text`` (fields not mentioned stay unknown)."""
    return extract(text).situation
