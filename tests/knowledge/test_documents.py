"""Parsing and validation of knowledge documents: what an operator sees when a file is wrong."""
from pathlib import Path

from assistant.knowledge.documents import parse_document, validate
from tests.knowledge.conftest import CORPUS

GOOD = """---
id: demo-convention
title: "Demo convention"
kind: agreement
language: fr
source:
  title: "Somewhere official"
  url: "https://example.org/convention"
dates:
  signed: "2016-11-21"
territories: [FR, LU]
uncertain: []
updated: "2026-11-22"
---

# Demo convention

A lead paragraph that says what it is.

## Who is concerned

Residents of the border area.

## Which hospitals

- Hospital A;
- Hospital B.
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_real_corpus_validates_without_errors():
    docs, problems = validate(CORPUS)
    errors = [p.render() for p in problems if p.severity == "error"]
    assert not errors, "\n".join(errors)
    assert len({d.id for d in docs}) >= 30


def test_a_good_document_is_parsed_into_lead_and_sections(tmp_path):
    doc = parse_document(write(tmp_path, "agreement/demo-convention.fr.md", GOOD), tmp_path)
    assert doc.valid, [p.render() for p in doc.problems]
    assert doc.key == "demo-convention.fr"
    assert doc.heading == "Demo convention"
    assert [s.heading for s in doc.sections] == ["", "Who is concerned", "Which hospitals"]
    assert doc.sections[2].markdown.startswith("- Hospital A")
    assert doc.dates == {"signed": "2016-11-21"}


def test_errors_name_the_file_and_the_line_of_the_bad_header_key(tmp_path):
    bad = GOOD.replace("language: fr", "language: es").replace('url: "https://example.org/convention"',
                                                               'url: "example.org/convention"')
    doc = parse_document(write(tmp_path, "agreement/demo-convention.fr.md", bad), tmp_path)
    messages = {p.line: p.message for p in doc.problems if p.severity == "error"}
    assert "language 'es'" in messages[5]          # line 5 of the file is "language: es"
    assert any("not an http(s) link" in m for line, m in messages.items() if line == 8)
    rendered = [p.render(tmp_path) for p in doc.problems]
    assert any(r.startswith("agreement/demo-convention.fr.md:5: error:") for r in rendered)


def test_a_file_name_that_disagrees_with_the_header_is_an_error(tmp_path):
    doc = parse_document(write(tmp_path, "agreement/other-name.de.md", GOOD), tmp_path)
    messages = " ".join(p.message for p in doc.problems)
    assert "differs from the file name 'other-name'" in messages
    assert "language 'fr' differs from the file name 'de'" in messages


def test_missing_header_and_missing_sections_are_errors(tmp_path):
    doc = parse_document(write(tmp_path, "agreement/x.fr.md", "# Title only\n\nText.\n"), tmp_path)
    assert not doc.valid and doc.problems[0].line == 1 and "YAML header" in doc.problems[0].message
    no_sections = GOOD.split("## Who")[0]
    doc = parse_document(write(tmp_path, "agreement/demo-convention.fr.md", no_sections), tmp_path)
    assert any("no '## ' section" in p.message for p in doc.problems)


def test_duplicate_ids_are_reported_across_folders(tmp_path):
    write(tmp_path, "agreement/demo-convention.fr.md", GOOD)
    write(tmp_path, "cooperation/demo-convention.fr.md", GOOD.replace("kind: agreement", "kind: cooperation"))
    _, problems = validate(tmp_path)
    assert any("duplicate document demo-convention.fr" in p.message for p in problems)


def test_a_reference_to_an_unknown_document_is_a_warning(tmp_path):
    write(tmp_path, "agreement/demo-convention.fr.md", GOOD.replace("Residents of the border area.",
                                                                   "Residents (see form-s9)."))
    _, problems = validate(tmp_path)
    warnings = [p for p in problems if p.severity == "warning"]
    assert any("'form-s9' looks like a document id" in p.message for p in warnings)
    assert not [p for p in problems if p.severity == "error"]
