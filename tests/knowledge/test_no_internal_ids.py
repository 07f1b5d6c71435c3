"""No internal document id ("form-s2", "directive-2011-24"...) in any text a user can read.

Answers quote document sections word for word, so an id written in a section ("voir form-s2",
"(directive-2011-24)", "la fiche form-s2 compare les deux") reaches the user. A reference to
another document names it by its title in the document's language instead.
"""
import re
from typing import Dict, Iterable, List, Tuple

from assistant.knowledge.documents import Document, load_documents, parse_document
from tests.knowledge.conftest import CORPUS

_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
# Single-word ids that are also ordinary words of a language: there, the word is not an id.
ORDINARY_WORDS: Dict[str, Tuple[str, ...]] = {"pensioners": ("en",)}


def id_pattern(ids: Iterable[str]) -> re.Pattern:
    """An id as a word: not inside a longer id ("agreement-fr-be" in "agreement-fr-be-emergency"),
    a file name or an address. Case matters: "EMRIC" or "MOSAR" are names, "emric" an id."""
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w/.-])({alternatives})(?![\w-])(?!\.\w)")


def visible_text(doc: Document) -> Iterable[Tuple[int, str]]:
    """(line, text) of what a reader sees: the title and the sections, without link targets."""
    if doc.heading:
        yield 0, doc.heading
    for section in doc.sections:
        yield section.line, section.heading
        for offset, line in enumerate(section.markdown.split("\n")):
            yield section.line + 1 + offset, _URL.sub(" ", _LINK_TARGET.sub("]", line))


def id_references(docs: List[Document], ids: Iterable[str]) -> List[Tuple[str, str, str]]:
    """(file:line, id, the words around it) for every id a reader would see."""
    pattern = id_pattern(ids)
    found = []
    for doc in docs:
        where = doc.path.relative_to(CORPUS) if doc.path.is_relative_to(CORPUS) else doc.path.name
        for line, text in visible_text(doc):
            for match in pattern.finditer(text):
                if doc.language in ORDINARY_WORDS.get(match.group(1), ()):
                    continue
                found.append((f"{where}:{line}", match.group(1), text[max(0, match.start() - 40):match.end() + 20]))
    return found


def test_no_document_shows_a_document_id_to_the_user():
    docs = load_documents(CORPUS)
    ids = {d.id for d in docs if d.id}
    assert len(ids) > 30
    problems = [f"{where}: {doc_id!r} in …{context}…" for where, doc_id, context in id_references(docs, ids)]
    assert not problems, "document ids in the text (name the document by its title instead):\n" + "\n".join(problems)


def test_the_check_finds_ids_written_the_ways_they_used_to_be(tmp_path):
    path = tmp_path / "demo.fr.md"
    path.write_text("""---
id: demo
title: "Démo"
kind: form
language: fr
source: {title: "Source", url: "https://example.org/form-s2"}
territories: [FR]
uncertain: []
updated: "2026-11-22"
---
# Démo

Pour des soins programmés, voir form-s2.

## Deux voies

Vous avancez les frais (directive-2011-24). La fiche form-s2 compare les deux.
Les secours traversent la frontière (agreement-fr-be-emergency, mosar).
Pas un id : la convention MOSAR, [le formulaire](https://example.org/form-s2), form-s2.fr.md, formulaire S2.
""", encoding="utf-8")
    doc = parse_document(path)
    ids = ["form-s2", "directive-2011-24", "agreement-fr-be", "agreement-fr-be-emergency", "mosar"]
    assert [doc_id for _, doc_id, _ in id_references([doc], ids)] == \
        ["form-s2", "directive-2011-24", "form-s2", "agreement-fr-be-emergency", "mosar"]
