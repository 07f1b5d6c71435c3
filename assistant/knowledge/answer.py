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
4. Trim it at a sentence boundary (~80-120 words), then the source: title, link, date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from assistant.i18n import normalise_language, t
from assistant.knowledge.config import KnowledgeConfig
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


@dataclass
class RankedDocument:
    doc_id: str
    score: float                                   # what the threshold is compared with
    best: float                                    # best single section, any language
    by_language: Dict[str, Tuple[float, int]]      # language -> (best score, row)


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

    def sources(self) -> List[dict]:
        return [s.as_dict() for s in ([self.source] if self.source else []) + self.related]


# ------------------------------------------------------------------------------ ranking

def rank_documents(result: SearchResult, agreement: float = TRANSLATION_AGREEMENT) -> List[RankedDocument]:
    version, query = result.version, result.vector
    candidates = dict.fromkeys(hit.doc_id for hit in result.hits)
    ranked = []
    languages_of = version.languages_of
    for doc_id in candidates:
        by_language = {}
        for language in languages_of.get(doc_id, []):
            rows = version.rows_of(doc_id, language)
            if not rows:
                continue
            scores = version.vectors[rows] @ query
            best = int(np.argmax(scores))
            by_language[language] = (float(scores[best]), rows[best])
        if not by_language:
            continue
        values = [score for score, _ in by_language.values()]
        best = max(values)
        ranked.append(RankedDocument(doc_id, (1 - agreement) * best + agreement * float(np.mean(values)),
                                     best, by_language))
    return sorted(ranked, key=lambda d: -d.score)


def choose_language(document: RankedDocument, language: str) -> str:
    if language in document.by_language:
        return language
    for fallback in FALLBACK_LANGUAGES.get(language, ()):
        if fallback in document.by_language:
            return fallback
    return max(document.by_language, key=lambda lang: document.by_language[lang][0])


def choose_section(version: IndexVersion, document: RankedDocument, language: str,
                   query: np.ndarray) -> int:
    """Row of the section to show, in ``language``.

    Translations have parallel sections, so each section is judged by how well it
    matches the question in the language shown plus how well its translations match on
    average: the shown text must fit, and the translations steady the choice when the
    question's language is one the model knows poorly. When a translation has a different
    number of sections, only the shown translation is used.
    """
    rows = version.rows_of(document.doc_id, language)
    own = version.vectors[rows] @ query
    sections = [version.chunks[r].section for r in rows]
    translations = [version.rows_of(document.doc_id, lang) for lang in document.by_language]
    if all([version.chunks[r].section for r in other] == sections for other in translations):
        agreement = np.mean([version.vectors[other] @ query for other in translations], axis=0)
        return rows[int(np.argmax(own + agreement))]
    return rows[int(np.argmax(own))]


# ------------------------------------------------------------------------------ text

def trim(sentences: Sequence[str], max_words: int, min_words: int) -> str:
    """Whole sentences (list items stay on their own line) up to about ``max_words``."""
    kept, words = [], 0
    for sentence in sentences:
        count = len(sentence.split())
        if kept and words + count > max_words and words >= min_words:
            break
        kept.append(sentence)
        words += count
    text = ""
    for sentence in kept:
        if sentence.lstrip().startswith(("- ", "* ", "+ ")) or (text.endswith(":") and sentence[:1].isdigit()):
            text += ("\n" if text else "") + sentence
        elif text and text.split("\n")[-1].lstrip().startswith(("- ", "* ", "+ ")):
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
    chosen = [c for c in dict.fromkeys(countries) if c in COUNTRIES] or \
        list(COUNTRIES_BY_LANGUAGE.get(language, COUNTRIES))
    return [t(CATALOGUE, f"contact_{country}", language) for country in chosen]


def no_answer(language: str, countries: Sequence[str], version: Optional[IndexVersion],
              reason: str, score: float = 0.0) -> KnowledgeReply:
    language = normalise_language(language)
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
    return KnowledgeReply(False, PART_SEPARATOR.join(parts), language, None, score, source, [], None, reason)


def compose(result: SearchResult, language: str, config: KnowledgeConfig,
            countries: Sequence[str] = (), threshold: Optional[float] = None) -> KnowledgeReply:
    language = normalise_language(language)
    threshold = config.threshold_for(language) if threshold is None else threshold
    ranked = rank_documents(result)
    version = result.version
    if not ranked or ranked[0].score < threshold:
        return no_answer(language, countries, version, "below_threshold", ranked[0].score if ranked else 0.0)

    best = ranked[0]
    shown = choose_language(best, language)
    row = choose_section(version, best, shown, result.vector)
    chunk = version.chunks[row]
    passage = trim(chunk.sentences, config.max_words, config.min_words)
    source = make_source(version, best.doc_id, shown, language, best.score)

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
    parts.append(passage)
    parts.append(source_line(source, language))
    see_also = related_line(related, language)
    if see_also:
        parts.append(see_also)
    return KnowledgeReply(True, PART_SEPARATOR.join(parts), language, shown, best.score, source, related,
                          chunk.heading, "answered")
