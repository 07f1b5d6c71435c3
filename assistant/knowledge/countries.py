"""Countries named in a question, and the small score adjustment they give a document or section.

"Quel est le point de contact national en Allemagne ?" and "... aux Pays-Bas ?" embed almost
alike: the e5 vectors barely see the country, so several documents (national contact points,
emergency numbers, insurers, patients' rights) could be answered with another country's
section. The countries a question names are found with the insurance extractor's lexicon
(assistant/insurance/lexicon.py: country names and adjectives in fr/de/nl/lb/en, longest
phrase first, typos forgiven in long words), and move scores by one weight ``w``
(knowledge.yml ``retrieval.country_weight``):

- a section whose heading names one of the question's countries: ``+w``;
- a section whose heading names countries, none of them the question's: ``-w``;
- a document whose ``territories`` lack some of the question's countries:
  ``-w × (share of the question's countries it lacks)``.

Sections whose heading names no country (a general section, the lead paragraph) and
documents covering every named country are left alone. A question naming no country
changes nothing. The ranking of documents uses only the penalties (a document is not worth
more for having one section per country, and no score rises past the calibrated threshold);
the choice of the section within the chosen document uses both signs.
"""
from __future__ import annotations

import functools
import logging
from typing import Iterable, Optional, Sequence, Tuple

log = logging.getLogger(__name__)

COUNTRIES = ("BE", "FR", "LU", "DE", "NL")
_KINDS = ("country", "adjective")


def normalise_countries(value) -> Tuple[str, ...]:
    """Any caller's "countries" as a flat tuple of known ISO codes, first occurrence first.

    Accepts None, one code, or lists of codes nested at any depth (a Rasa list slot inside
    the list of slots); lower case is upper-cased, duplicates and anything else dropped.
    """
    out = []

    def walk(item, depth: int = 0) -> None:
        if item is None or depth > 8:
            return
        if isinstance(item, str):
            code = item.strip().upper()
            if code in COUNTRIES and code not in out:
                out.append(code)
        elif isinstance(item, dict):
            return
        elif isinstance(item, Iterable):
            for element in item:
                walk(element, depth + 1)

    walk(value)
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def countries_in(text: Optional[str]) -> Tuple[str, ...]:
    """ISO codes of the countries ``text`` names (names or adjectives), in order of mention.

    The longest lexicon phrase wins, so "province de Luxembourg" (a Belgian region) is not
    Luxembourg; places (towns, regions) are not counted: the brief is "the countries a
    question names", and a town says less about which country's section is wanted.
    """
    if not text:
        return ()
    try:
        from assistant.insurance.lexicon import lexicon, tokenize
        lex = lexicon()
    except Exception as error:   # no lexicon: answer without the country adjustment, never fail
        log.error("country lexicon not available, countries in questions ignored: %s", error)
        return ()
    tokens = tokenize(text)
    found = []
    position = 0
    while position < len(tokens):
        size, entries, _ = lex.lookup(tokens, position)
        if not size:
            position += 1
            continue
        for entry in entries:
            if entry.kind in _KINDS and entry.value in COUNTRIES and entry.value not in found:
                found.append(entry.value)
        position += size
    return tuple(found)


def section_adjustment(heading_countries: Sequence[str], question: Sequence[str], weight: float) -> float:
    """+weight for a heading naming one of the question's countries, -weight for one naming only others."""
    if not question or not heading_countries or not weight:
        return 0.0
    return weight if set(heading_countries) & set(question) else -weight


def document_adjustment(territories: Sequence[str], question: Sequence[str], weight: float) -> float:
    """-weight × the share of the question's countries missing from the document's territories."""
    if not question or not weight:
        return 0.0
    missing = sum(1 for country in question if country not in set(territories or ()))
    return -weight * missing / len(question)


def country_weight(config=None) -> float:
    """The weight from the knowledge config (knowledge.yml / KNOWLEDGE_COUNTRY_WEIGHT)."""
    if config is None:
        from assistant.knowledge.config import load_config
        config = load_config()
    return float(config.country_weight)
