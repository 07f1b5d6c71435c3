"""Documents -> chunks: one chunk per section, with the document title kept as context.

Sections are written to be self-contained (40-180 words), so a section is the unit
that is embedded and shown. The sentences of each chunk are cut here, once, at build
time (spaCy's rule-based sentencizer on a blank pipeline of the document's language)
and stored in the index, so the action server can trim an answer at a sentence
boundary without loading spaCy.
"""
from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field
from typing import List

from assistant.knowledge.documents import Document, plain_text

# Bump when chunk texts change, so `build` re-embeds every document.
CHUNKER_VERSION = 2
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


@dataclass
class Chunk:
    doc_id: str
    language: str
    section: int            # position in the document (0 = the lead paragraph, when there is one)
    heading: str
    text: str               # what is embedded: title, heading and plain section text
    sentences: List[str] = field(default_factory=list)   # the section as shown, cut at sentences

    @property
    def key(self) -> str:
        return f"{self.doc_id}.{self.language}#{self.section}"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Chunk":
        return cls(**data)


# spaCy's French tokenizer exceptions take ~5 s to load and cut this corpus exactly like
# the multi-language tokenizer; Luxembourgish's add nothing either. German, Dutch and
# English ones load in a blink and keep abbreviations such as "z. B." or "nr." whole.
_TOKENIZER_LANGUAGE = {"de": "de", "nl": "nl", "en": "en"}
# A "sentence" that ends like "den 29." or "nr." and is followed by "März 2023" or "140)"
# was cut inside a date or an abbreviation.
_ORDINAL_END = re.compile(r"(?:^|\s)\d{1,2}\.$")
_ABBREVIATION_END = re.compile(r"(?:^|[\s(])[A-Za-zÀ-ÿ]{1,4}\.$")
_CONTINUES = re.compile(r"^[a-zà-ÿ0-9(]")


@functools.lru_cache(maxsize=None)
def _pipeline(language: str):
    import spacy
    nlp = spacy.blank(_TOKENIZER_LANGUAGE.get(language, "xx"))
    nlp.add_pipe("sentencizer")
    return nlp


def _merge_false_breaks(parts: List[str]) -> List[str]:
    out: List[str] = []
    for part in parts:
        if out and (_ORDINAL_END.search(out[-1]) or
                    (_ABBREVIATION_END.search(out[-1]) and _CONTINUES.match(part))):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def blocks(markdown: str) -> List[str]:
    """Paragraphs and list items: a list item is never merged with the next one."""
    out, current = [], []
    for line in markdown.split("\n"):
        if not line.strip():
            if current:
                out.append(" ".join(current))
                current = []
        elif _LIST_ITEM.match(line):
            if current:
                out.append(" ".join(current))
            current = [line.strip()]
        elif current and _LIST_ITEM.match(current[0]) and not line.startswith((" ", "\t")):
            out.append(" ".join(current))
            current = [line.strip()]
        else:
            current.append(line.strip())
    if current:
        out.append(" ".join(current))
    return out


def sentences(markdown: str, language: str) -> List[str]:
    """The section's sentences, Markdown kept (bold, links), list items whole."""
    nlp = _pipeline(language)
    out = []
    for block in blocks(markdown):
        if _LIST_ITEM.match(block):
            out.append(block)
            continue
        out.extend(_merge_false_breaks([s.text.strip() for s in nlp(block).sents if s.text.strip()]))
    return out


def passage_text(doc: Document, heading: str, markdown: str) -> str:
    """Title and heading first: a section like "Who pays?" means little without them."""
    context = doc.title if not heading else f"{doc.title} — {heading}"
    return f"{context}\n{plain_text(markdown)}"


def chunk_document(doc: Document) -> List[Chunk]:
    chunks = []
    for position, section in enumerate(doc.sections):
        if not section.markdown:
            continue
        chunks.append(Chunk(
            doc_id=doc.id, language=doc.language, section=position, heading=section.heading,
            text=passage_text(doc, section.heading, section.markdown),
            sentences=sentences(section.markdown, doc.language),
        ))
    return chunks
