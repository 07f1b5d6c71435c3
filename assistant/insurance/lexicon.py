"""The extractor's vocabulary (data/insurance/lexicon.yml) compiled into phrase lookups.

Text and lexicon entries go through the same normalisation (case-fold, accents removed, words split on
anything that is not a letter or digit), so a phrase is just its normalised words joined by spaces.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

try:
    from rapidfuzz import fuzz, process
except ImportError:  # the Rasa server's environment has no rapidfuzz; difflib gives the same ratio, slower
    fuzz = process = None
import difflib

from assistant.insurance.reference_data import institutions, load

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FR_POSTCODE = re.compile(r"\b(\d{5})\b")

# Typos are only forgiven in longer words: short words are too often other real words.
_FUZZY_MIN_LENGTH = 6
_INSURER_CASE_SENSITIVE_MAX = 3   # "CM", "TK", "CZ", "AOK": only in capitals, else they are ordinary words


@dataclass(frozen=True)
class Token:
    norm: str       # normalised form used for matching
    text: str       # as written
    start: int      # character offsets in the original text
    end: int


@dataclass(frozen=True)
class Entry:
    """One meaning of a lexicon phrase."""

    kind: str                   # country | adjective | place | status | role | family | from | to | conj | grammar
                                # | break | insurer | implied (a word naming a role and a country: value=country, display=role)
                                # | negation (value "own_language" when it only counts in a message of its language)
                                # | correction ("actually", "doch", "en fait": the message corrects an earlier answer)
    value: str                  # country code, status, role name, insurer display name...
    language: Optional[str] = None
    display: Optional[str] = None       # place / insurer name as shown
    department: Optional[str] = None    # French département of a place
    exact_case: Optional[str] = None    # the only spelling accepted (short insurer acronyms)
    region: bool = False                # a place that is a region/département, not a town


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str) -> List[Token]:
    return [Token(strip_accents(m.group()), m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def phrase_of(text: str) -> str:
    return " ".join(token.norm for token in tokenize(text))


@dataclass
class Lexicon:
    entries: Dict[str, List[Entry]]
    by_length: Dict[int, List[str]]     # phrases grouped by number of words, for fuzzy matching
    no_fuzzy: frozenset
    max_words: int

    def lookup(self, tokens: List[Token], start: int) -> Tuple[int, List[Entry], bool]:
        """The longest phrase starting at ``tokens[start]``: (number of words, entries, matched by similarity)."""
        longest = min(self.max_words, len(tokens) - start)
        for size in range(longest, 0, -1):
            window = tokens[start:start + size]
            phrase = " ".join(t.norm for t in window)
            entries = [e for e in self.entries.get(phrase, ()) if _case_ok(e, window)]
            if entries:
                return size, entries, False
        # Typos: one word at a time only; across several words "je travaille à" looks like "ne travaille pas".
        phrase = tokens[start].norm
        if len(phrase) < _FUZZY_MIN_LENGTH or phrase in self.no_fuzzy or any(c.isdigit() for c in phrase):
            return 0, [], False
        cutoff = 85 if len(phrase) >= 8 else 90
        best = _closest(phrase, self.by_length.get(1, ()), cutoff)
        if best:
            entries = [e for e in self.entries[best] if e.exact_case is None]
            if entries:
                return 1, entries, True
        return 0, [], False


def _closest(phrase: str, choices: List[str], cutoff: float) -> Optional[str]:
    """The most similar choice scoring at least ``cutoff`` (0-100, normalised Indel similarity).

    Only choices with the same first letter count: typos rarely hit it, while prefixed words
    ("versichert" ~ "mitversichert") are different words.
    """
    choices = [c for c in choices if c[:1] == phrase[:1]]
    if process is not None:
        best = process.extractOne(phrase, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        return best[0] if best else None
    close = difflib.get_close_matches(phrase, choices, n=1, cutoff=cutoff / 100)
    return close[0] if close else None


def _case_ok(entry: Entry, window: List[Token]) -> bool:
    return entry.exact_case is None or " ".join(t.text for t in window) == entry.exact_case


def _add(entries: Dict[str, List[Entry]], text: str, entry: Entry) -> None:
    phrase = phrase_of(text)
    if phrase and entry not in entries.setdefault(phrase, []):
        entries[phrase].append(entry)


def _per_language(block: Dict[str, Iterable[str]]):
    for language, words in (block or {}).items():
        for word in words or ():
            yield language, str(word)


@functools.lru_cache(maxsize=None)
def lexicon() -> Lexicon:
    data = load("lexicon")
    entries: Dict[str, List[Entry]] = {}
    for country, forms in data["countries"].items():
        for language, word in _per_language(forms.get("names")):
            _add(entries, word, Entry("country", country, language))
        for language, word in _per_language(forms.get("adjectives")):
            _add(entries, word, Entry("adjective", country, language))
    for place in data["regions"]:
        for word in [place["name"], *(place.get("aliases") or [])]:
            _add(entries, str(word), Entry("place", place["country"], None, place["name"], place.get("department"),
                                           region=True))
    for place in data["towns"]:
        for word in [place["name"], *(place.get("aliases") or [])]:
            _add(entries, str(word), Entry("place", place["country"], None, place["name"], place.get("department")))
    negation = data["negation"]
    own_language = {phrase_of(str(w)) for w in negation.get("only_in_own_language") or ()}
    negation_words = set()
    for language, word in _per_language(negation["words"]):
        phrase = phrase_of(word)
        negation_words.add(phrase)
        _add(entries, word, Entry("negation", "own_language" if phrase in own_language else "negation", language))
    for status, block in data["statuses"].items():
        for language, word in _per_language(block):
            _add(entries, word, Entry("status", status, language))
            if status == "not_working" and _contains_any(phrase_of(word), negation_words):
                # "ne travaille pas", "schaffen net": followed by a place, they deny working there (extract.py).
                _add(entries, word, Entry("negation", "negation", language))
    for word in data["corrections"]:
        _add(entries, word, Entry("correction", "correction"))
    for role, block in data["roles"].items():
        for language, word in _per_language(block):
            _add(entries, word, Entry("role", role, language))
    for language, word in _per_language(data["family"]):
        _add(entries, word, Entry("family", "family", language))
    for word in data["prepositions"]["from"]:
        _add(entries, word, Entry("from", "from"))
    for word in data["prepositions"]["to"]:
        _add(entries, word, Entry("to", "to"))
    for word in data["conjunctions"]:
        _add(entries, word, Entry("conj", "conj"))
    for word in data["grammar_words"]:
        _add(entries, word, Entry("grammar", "grammar"))
    for item in data.get("country_specific") or ():
        _add(entries, item["word"], Entry("implied", item["country"], None, item["role"]))
    for word in data["clause_breaks"]:
        _add(entries, word, Entry("break", "break"))
    for entry in institutions().values():
        if entry.get("recognise") is False:
            continue        # the A1 bodies insure nobody: naming one is not naming one's insurer
        for name in [entry["name"], *(entry.get("members") or [])]:
            exact = name if len(name) <= _INSURER_CASE_SENSITIVE_MAX else None
            _add(entries, name, Entry("insurer", name, None, name, exact_case=exact))

    by_length: Dict[int, List[str]] = {}
    for phrase, meanings in entries.items():
        # Grammar words and acronyms are never matched by similarity.
        if any(m.kind not in ("from", "to", "conj", "grammar", "break", "negation", "correction")
               and m.exact_case is None for m in meanings):
            by_length.setdefault(phrase.count(" ") + 1, []).append(phrase)
    no_fuzzy = frozenset(phrase_of(str(w)) for w in data.get("no_fuzzy") or ())
    return Lexicon(entries, by_length, no_fuzzy, max(p.count(" ") + 1 for p in entries))


def _contains_any(phrase: str, parts) -> bool:
    """True when one of ``parts`` is a word or word sequence of ``phrase``."""
    return any(f" {part} " in f" {phrase} " for part in parts)


def place_info(place: Optional[str]) -> Optional[Entry]:
    """The lexicon entry of a town/region name ("Longwy" -> FR, département 54), if known."""
    if not place:
        return None
    for entry in lexicon().entries.get(phrase_of(place), ()):
        if entry.kind == "place":
            return entry
    return None


def french_department(place: Optional[str]) -> Optional[str]:
    """The French département of a place of residence: from a postcode ("57100 Thionville") or a known town."""
    if not place:
        return None
    postcode = _FR_POSTCODE.search(place)
    if postcode:
        return postcode.group(1)[:2]
    info = place_info(place)
    return info.department if info and info.value == "FR" else None
