"""The FAQ coverage checklist (docs/coverage.md) stays complete and points at real sections.

Every held-out dev question copied from a public FAQ page about a rule or a procedure (route
knowledge) is either answered by a document (tests/knowledge/questions/faq_coverage.yml, scored by
`make evaluate`) or listed as not covered, with a reason, in docs/coverage.md.
"""
from pathlib import Path

import yaml

from assistant.knowledge.documents import load_documents
from assistant.knowledge.evaluate import uncovered_faq
from tests.knowledge.conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "nlu" / "heldout"
COVERED = ROOT / "tests" / "knowledge" / "questions" / "faq_coverage.yml"


def faq_questions():
    """(language, text, url) of the real dev questions that ask for a knowledge answer."""
    found = set()
    for path in sorted(HELDOUT.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if item.get("route") == "knowledge" and item.get("origin") == "real" and item.get("split") == "dev":
                found.add((path.stem, item["text"], item["url"]))
    return found


def covered():
    return yaml.safe_load(COVERED.read_text(encoding="utf-8")) or []


def test_every_faq_question_is_covered_or_explained():
    listed = {(q["language"], q["question"], q["url"]) for q in covered()}
    listed |= {(language, question, url) for language, question, url, _ in uncovered_faq()}
    expected = faq_questions()
    assert len(expected) >= 50
    assert expected - listed == set(), "missing from the checklist"
    assert listed - expected == set(), "not (or no longer) a real dev knowledge question"


def test_covered_questions_point_at_an_existing_section():
    headings = {}
    for doc in load_documents(CORPUS):
        headings.setdefault(doc.id, set()).update(s.heading for s in doc.sections)
    # One heading, or several when more than one section answers (make evaluate accepts either).
    wrong = [(q["question"], q["expected"], q["section"]) for q in covered()
             if not set(q["section"] if isinstance(q["section"], list) else [q["section"]])
             <= headings.get(q["expected"], set())]
    assert not wrong, wrong


def test_every_uncovered_question_has_a_reason():
    rows = uncovered_faq()
    assert rows and all(len(reason) > 20 for *_, reason in rows)
