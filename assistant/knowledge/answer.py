"""From search hits to a short, cited answer in the user's language (or an honest "I don't know").

1. Rank documents. Retrieval runs across all languages; a document's score mixes its
   best section with the agreement of its translations (the mean over translations
   of each one's best section), so a question in Luxembourgish is not pulled towards
   whatever happens to be written in Luxembourgish.
2. Below the calibrated threshold: no guess. The reply says so and gives the right
   contact (insurer / national contact point) for the countries in context.
3. Otherwise pick the section: translations have parallel sections, so the section
   whose translations match the question best is shown in the user's language when
   that translation exists, else in the closest available language, saying which.
4. Trim it to a short answer (about 60 words, whole sentences, a list whole only when it
   fits), then the source: title, link, date; then "see also".

Countries the question names (assistant/knowledge/countries.py) weigh in steps 1 and 3,
by ``country_weight`` (knowledge.yml). Ranking (1) only takes off: a section whose heading
names other countries only loses the weight, a document whose territories lack a named
country loses up to it. Choosing the section (3) also adds it to a section whose heading
names the question's country. The ``countries`` given to :func:`compose` are something
else: the countries of the conversation, whose contacts an "I don't know" reply gives.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from assistant.i18n import normalise_language, t
from assistant.knowledge.config import KnowledgeConfig
from assistant.knowledge.countries import (
    countries_in,
    country_weight,
    document_adjustment,
    normalise_countries,
    section_adjustment,
)
from assistant.knowledge.index import IndexVersion
from assistant.knowledge.search import SearchResult

CATALOGUE = "knowledge"
CONTACT_DOCUMENT = "national-contact-points"
COUNTRIES = ("BE", "FR", "LU", "DE", "NL")
# Whose contacts to give when the conversation names no country: the countries where
# the language is spoken in the border regions we cover.
COUNTRIES_BY_LANGUAGE = {"fr": ("FR", "BE", "LU"), "de": ("DE", "LU", "BE"), "nl": ("BE", "NL"),
                         "lb": ("LU",), "en": COUNTRIES}
# A document missing in the user's language is shown in the first of these that exists
# (Luxembourgish readers read German and French); otherwise in its best-matching language.
FALLBACK_LANGUAGES = {"lb": ("de", "fr"), "en": (), "fr": (), "de": (), "nl": ()}
TRANSLATION_AGREEMENT = 0.5   # weight of the mean over translations in a document's score
# One line break, not a blank line: Rasa's REST channel splits a text at blank lines into
# separate messages, and a source must never travel apart from the passage it vouches for.
PART_SEPARATOR = "\n"
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")


@dataclass
class RankedDocument:
    doc_id: str
    score: float                                   # what the threshold is compared with
    best: float                                    # best single section, any language
    by_language: Dict[str, Tuple[float, int]]      # language -> (best score, row)
    country_adjustment: float = 0.0                # document-level part (territories), in ``score``


@dataclass
class Source:
    doc_id: str
    language: str
    title: str
    url: str
    date: str
    score: float

    def as_dict(self) -> dict:
        return {"id": self.doc_id, "language": self.language, "title": self.title,
                "url": self.url, "date": self.date, "score": round(self.score, 4)}


@dataclass
class KnowledgeReply:
    found: bool
    text: str
    language: str                                  # language of the reply's own words
    passage_language: Optional[str] = None         # language of the quoted passage
    score: float = 0.0
    source: Optional[Source] = None
    related: List[Source] = field(default_factory=list)
    section: Optional[str] = None
    reason: str = ""                               # "answered", "below_threshold", "unavailable"
    countries: Tuple[str, ...] = ()                # countries the question names (they weighed in)

    def sources(self) -> List[dict]:
        return [s.as_dict() for s in ([self.source] if self.source else []) + self.related]


# ------------------------------------------------------------------------------ ranking

def question_countries(result: SearchResult) -> Tuple[str, ...]:
    """The countries the question names (computed by the search, else from its text)."""
    countries = getattr(result, "countries", None)
    return normalise_countries(countries) if countries is not None else countries_in(result.query)


def section_adjustments(version: IndexVersion, rows: Sequence[int], countries: Sequence[str],
                        weight: float) -> np.ndarray:
    """Per row: +weight when its heading names a country of the question, -weight when only others."""
    if not countries or not weight:
        return np.zeros(len(rows), dtype=np.float32)
    return np.array([section_adjustment(countries_in(version.chunks[r].heading), countries, weight)
                     for r in rows], dtype=np.float32)


def territories_of(version: IndexVersion, doc_id: str) -> Tuple[str, ...]:
    found = []
    for language in version.languages_of.get(doc_id, []):
        for code in (version.documents.get(f"{doc_id}.{language}") or {}).get("territories") or ():
            if code not in found:
                found.append(code)
    return tuple(found)


def rank_documents(result: SearchResult, agreement: float = TRANSLATION_AGREEMENT,
                   countries: Optional[Sequence[str]] = None,
                   weight: Optional[float] = None) -> List[RankedDocument]:
    """Documents of the hits, best first. ``countries``: those the question names (default:
    found in its text); ``weight``: the country weight (default: knowledge.yml)."""
    version, query = result.version, result.vector
    countries = question_countries(result) if countries is None else normalise_countries(countries)
    weight = country_weight() if weight is None else weight
    candidates = dict.fromkeys(hit.doc_id for hit in result.hits)
    ranked = []
    languages_of = version.languages_of
    for doc_id in candidates:
        by_language = {}
        for language in languages_of.get(doc_id, []):
            rows = version.rows_of(doc_id, language)
            if not rows:
                continue
            # Only the penalty here: a document is not worth more for having a section per country
            # (questions naming a country in passing would be drawn to those), it is worth less
            # when the section it is found by is about another country.
            scores = version.vectors[rows] @ query + np.minimum(section_adjustments(version, rows, countries,
                                                                                   weight), 0.0)
            best = int(np.argmax(scores))
            by_language[language] = (float(scores[best]), rows[best])
        if not by_language:
            continue
        values = [score for score, _ in by_language.values()]
        best = max(values)
        adjustment = document_adjustment(territories_of(version, doc_id), countries, weight)
        ranked.append(RankedDocument(doc_id, (1 - agreement) * best + agreement * float(np.mean(values))
                                     + adjustment, best, by_language, adjustment))
    return sorted(ranked, key=lambda d: -d.score)


def choose_language(document: RankedDocument, language: str) -> str:
    if language in document.by_language:
        return language
    for fallback in FALLBACK_LANGUAGES.get(language, ()):
        if fallback in document.by_language:
            return fallback
    return max(document.by_language, key=lambda lang: document.by_language[lang][0])


def choose_section(version: IndexVersion, document: RankedDocument, language: str,
                   query: np.ndarray, countries: Sequence[str] = (), weight: float = 0.0) -> int:
    """Row of the section to show, in ``language``.

    Translations have parallel sections, so each section is judged by how well it
    matches the question in the language shown plus how well its translations match on
    average: the shown text must fit, and the translations steady the choice when the
    question's language is one the model knows poorly. When a translation has a different
    number of sections, only the shown translation is used. A heading naming a country of
    the question (``countries``) adds ``weight`` to each, one naming only others takes it off.
    """
    rows = version.rows_of(document.doc_id, language)
    own = version.vectors[rows] @ query + section_adjustments(version, rows, countries, weight)
    sections = [version.chunks[r].section for r in rows]
    translations = [version.rows_of(document.doc_id, lang) for lang in document.by_language]
    if all([version.chunks[r].section for r in other] == sections for other in translations):
        agreement = np.mean([version.vectors[other] @ query
                             + section_adjustments(version, other, countries, weight)
                             for other in translations], axis=0)
        return rows[int(np.argmax(own + agreement))]
    return rows[int(np.argmax(own))]


# ------------------------------------------------------------------------------ text

_ITEM_MARKS = ("- ", "* ", "+ ")


def _is_item(sentence: str) -> bool:
    return sentence.lstrip().startswith(_ITEM_MARKS) or bool(_NUMBERED.match(sentence))


def _units(sentences: Sequence[str]) -> List[Tuple[bool, List[str]]]:
    """(is a list, sentences): a list is its run of items with the sentence introducing it ("...:")."""
    units: List[Tuple[bool, List[str]]] = []
    for sentence in sentences:
        if _is_item(sentence):
            if units and units[-1][0]:
                units[-1][1].append(sentence)
            elif units and units[-1][1][-1].rstrip().endswith(":"):
                intro = units.pop()[1]
                if len(intro) > 1:
                    units.append((False, intro[:-1]))
                units.append((True, [intro[-1], sentence]))
            else:
                units.append((True, [sentence]))
        else:
            units.append((False, [sentence]))
    return units


def _words(sentences: Sequence[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def trim(sentences: Sequence[str], max_words: int, min_words: int) -> str:
    """The section's first sentences, about ``max_words`` words: a short answer first.

    Whole sentences only; once ``min_words`` are reached nothing more is added past
    ``max_words``. A list (with the sentence introducing it) is kept whole when it fits;
    otherwise it is left out when enough words come before it, and cut between items only
    when the passage starts with it (never an introduction "...:" without an item).
    """
    kept: List[str] = []
    words = 0
    for is_list, unit in _units(sentences):
        count = _words(unit)
        if kept and words >= min_words and words + count > max_words:
            break
        if not is_list or words + count <= max_words:
            kept.extend(unit)
            words += count
            continue
        # A long list the passage needs: its items up to the budget (at least one, and
        # until min_words are reached).
        items = 0
        for sentence in unit:
            size = len(sentence.split())
            if items and words + size > max_words and words >= min_words:
                break
            kept.append(sentence)
            words += size
            items += _is_item(sentence)
        break
    text = ""
    for sentence in kept:
        if sentence.lstrip().startswith(_ITEM_MARKS) or (text.endswith(":") and sentence[:1].isdigit()):
            text += ("\n" if text else "") + sentence
        elif text and text.split("\n")[-1].lstrip().startswith(_ITEM_MARKS):
            text += "\n" + sentence
        else:
            text += (" " if text else "") + sentence
    return text.strip()


def format_date(value: str, language: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value or ""
    if language == "en":
        return f"{day.day} {day.strftime('%B')} {day.year}"
    separator = "-" if language == "nl" else ("/" if language == "fr" else ".")
    return f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year}"


def make_source(version: IndexVersion, doc_id: str, language: str, reply_language: str,
                score: float) -> Source:
    meta = version.documents.get(f"{doc_id}.{language}", {})
    source = meta.get("source") or {}
    return Source(doc_id, language, meta.get("title") or doc_id, source.get("url") or "",
                  format_date(meta.get("updated", ""), reply_language), score)


def _link(title: str, url: str) -> str:
    return f"[{title}]({url})" if url else title


def source_line(source: Source, language: str) -> str:
    return t(CATALOGUE, "source", language, link=_link(source.title, source.url), date=source.date)


def related_line(related: Iterable[Source], language: str) -> str:
    links = ", ".join(_link(s.title, s.url) for s in related)
    return t(CATALOGUE, "see_also", language, links=links) if links else ""


def contact_lines(language: str, countries: Sequence[str] = ()) -> List[str]:
    chosen = list(normalise_countries(countries)) or list(COUNTRIES_BY_LANGUAGE.get(language, COUNTRIES))
    return [t(CATALOGUE, f"contact_{country}", language) for country in chosen]


def no_answer(language: str, countries: Sequence[str], version: Optional[IndexVersion],
              reason: str, score: float = 0.0, named: Sequence[str] = ()) -> KnowledgeReply:
    """No reliable answer: the contacts of the conversation's ``countries``, then of the
    countries the question ``named``; of the language's countries when there are none."""
    language = normalise_language(language)
    countries = normalise_countries([countries, named])
    parts = [t(CATALOGUE, "no_answer" if reason == "below_threshold" else "unavailable", language)]
    parts.append("\n".join(f"- {line}" for line in contact_lines(language, countries)))
    source = None
    if version is not None:
        languages = version.languages_of.get(CONTACT_DOCUMENT, [])
        if languages:
            shown = language if language in languages else \
                next((f for f in FALLBACK_LANGUAGES.get(language, ()) if f in languages), languages[0])
            source = make_source(version, CONTACT_DOCUMENT, shown, language, 0.0)
            parts.append(source_line(source, language))
    return KnowledgeReply(False, PART_SEPARATOR.join(parts), language, None, score, source, [], None, reason,
                          normalise_countries(named))


@dataclass
class Quote:
    """What a reply (or the console's list of passages) shows of one ranked document."""
    shown: str                # the language of the passage
    heading: Optional[str]
    text: str                 # trimmed at a sentence boundary
    source: Source


def quote(result: SearchResult, document: RankedDocument, language: str, config: KnowledgeConfig,
          named: Sequence[str], weight: float) -> Quote:
    version = result.version
    shown = choose_language(document, language)
    chunk = version.chunks[choose_section(version, document, shown, result.vector, named, weight)]
    return Quote(shown, chunk.heading, trim(chunk.sentences, config.max_words, config.min_words),
                 make_source(version, document.doc_id, shown, language, document.score))


def compose(result: SearchResult, language: str, config: KnowledgeConfig,
            countries: Sequence[str] = (), threshold: Optional[float] = None) -> KnowledgeReply:
    """The reply. ``countries``: the conversation's (residence, work...), for contacts when
    there is no answer; the countries the question itself names are read from its text."""
    language = normalise_language(language)
    threshold = config.threshold_for(language) if threshold is None else threshold
    named = question_countries(result)
    weight = country_weight(config)
    ranked = rank_documents(result, countries=named, weight=weight)
    version = result.version
    if not ranked or ranked[0].score < threshold:
        return no_answer(language, countries, version, "below_threshold", ranked[0].score if ranked else 0.0,
                         named)

    best = ranked[0]
    quoted = quote(result, best, language, config, named, weight)
    shown, source = quoted.shown, quoted.source

    related = []
    for other in ranked[1:]:
        if len(related) >= config.max_related:
            break
        if other.score >= max(threshold, best.score - config.related_margin):
            related.append(make_source(version, other.doc_id, choose_language(other, language),
                                       language, other.score))

    parts = []
    if shown != language:
        parts.append(t(CATALOGUE, "original_language", language,
                       language_name=t(CATALOGUE, f"language_{shown}", language)))
    parts.append(quoted.text)
    parts.append(source_line(source, language))
    see_also = related_line(related, language)
    if see_also:
        parts.append(see_also)
    return KnowledgeReply(True, PART_SEPARATOR.join(parts), language, shown, best.score, source, related,
                          quoted.heading, "answered", named)
