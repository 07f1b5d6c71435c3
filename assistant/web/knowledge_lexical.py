"""A small BM25 search over data/knowledge, for when the semantic index is not available.

The console must keep working on a machine where the embedding model or the FAISS
index has not been built (or while assistant.knowledge is being changed): it then
searches the same Markdown documents by words. Every document exists once per
language under the same id, which is what lets an answer be given in the agent's
language whatever language the question was asked in.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml
from rank_bm25 import BM25Okapi

from assistant.settings import ROOT

DOCUMENTS_DIR = ROOT / "data" / "knowledge"
_WORD = re.compile(r"\w+", re.UNICODE)
_MARKDOWN_NOISE = re.compile(r"[*_`>#]+")
# Scores below this match only a stray common word: not an answer.
MIN_SCORE = 4.0


@dataclass(frozen=True)
class Section:
    doc_id: str
    language: str
    title: str
    heading: str
    position: int
    text: str
    source_title: str
    source_url: str


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> List[str]:
    return [w for w in _WORD.findall(fold(text)) if len(w) > 2]


def parse_document(path: Path) -> List[Section]:
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---"):
        return []
    _, header, body = raw.split("---", 2)
    meta = yaml.safe_load(header) or {}
    source = meta.get("source") or {}
    sections, heading, lines = [], "", []

    def flush():
        text = _MARKDOWN_NOISE.sub("", "\n".join(lines)).strip()
        if text:
            sections.append(Section(str(meta.get("id")), str(meta.get("language")), str(meta.get("title") or ""),
                                    heading, len(sections), text, source.get("title", ""), source.get("url", "")))

    for line in body.splitlines():
        if line.startswith("## "):
            flush()
            heading, lines = line[3:].strip(), []
        elif not line.startswith("# "):
            lines.append(line)
    flush()
    return sections


class LexicalKnowledge:
    engine = "lexical"

    def __init__(self, documents_dir: Path = DOCUMENTS_DIR) -> None:
        self.sections: List[Section] = []
        for path in sorted(documents_dir.rglob("*.md")):
            try:
                self.sections.extend(parse_document(path))
            except (ValueError, yaml.YAMLError):
                continue   # a document being edited: skip it rather than fail the console
        self._by_doc: Dict[Tuple[str, str], List[Section]] = {}
        for section in self.sections:
            self._by_doc.setdefault((section.doc_id, section.language), []).append(section)
        corpus = [tokens(f"{s.title} {s.heading} {s.text}") for s in self.sections]
        self._bm25 = BM25Okapi(corpus) if corpus else None

    def search(self, query: str, k: int = 5) -> List[dict]:
        words = tokens(query)
        if not words or self._bm25 is None:
            return []
        scores = self._bm25.get_scores(words)
        best = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
        return [self._passage(self.sections[i], float(scores[i])) for i in best if scores[i] > 0]

    def answer(self, question: str, language: str) -> Optional[dict]:
        hits = self.search(question, k=1)
        if not hits or hits[0]["score"] < MIN_SCORE:
            return None
        hit = hits[0]
        translated = self._by_doc.get((hit["doc_id"], language))
        if not translated:
            return None
        # The language versions follow the same outline: same position, same section.
        section = next((s for s in translated if s.position == hit["position"]), translated[0])
        return self._passage(section, hit["score"])

    @staticmethod
    def _passage(section: Section, score: float) -> dict:
        return {"doc_id": section.doc_id, "language": section.language, "title": section.title,
                "heading": section.heading, "position": section.position, "text": section.text,
                "score": round(score, 2), "source": {"title": section.source_title, "url": section.source_url}}
