"""The real questions in the training data (data/nlu/real/) keep their source, and never come from a page the
held-out set was taken from: a page's other questions share its wording, which would flatter the held-out figures."""
from pathlib import Path

import pytest
import yaml

from assistant.evaluation.heldout import LANGUAGES, leaks, load_questions, training_examples

REAL = Path(__file__).resolve().parents[2] / "data" / "nlu" / "real"
# Stricter than the 92 % of the whole training data: real questions come from the same kinds of pages as the
# held-out ones, and a site's pages for another country or situation reword each other ("... quand on est
# frontalier belge ?" beside "... frontalier luxembourgeois ?").
REAL_SIMILARITY = 88


def _blocks():
    for path in sorted(REAL.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            yield path.name, block


def _page(url: str) -> str:
    """A URL without scheme, "www.", query, fragment and trailing slash: the same page however it is linked."""
    page = url.split("://", 1)[-1].split("#", 1)[0].split("?", 1)[0].rstrip("/")
    return page[4:] if page.startswith("www.") else page


def test_there_are_real_questions_in_the_languages_with_public_faq_pages():
    # Luxembourgish is missing on purpose: its institutions publish in French and German.
    assert {path.stem for path in REAL.glob("*.yml")} == set(LANGUAGES) - {"lb"}


@pytest.mark.parametrize("name,block", list(_blocks()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_block_names_the_public_page_it_was_copied_from(name, block):
    source = str((block.get("metadata") or {}).get("source") or "")
    assert source.startswith("http"), f"{name}: {block.get('intent')} block without metadata.source"
    assert str(block.get("examples") or "").strip(), f"{name}: empty block from {source}"


def test_no_training_page_is_a_heldout_page():
    heldout = {_page(q.url) for q in load_questions() if q.url}
    shared = sorted({_page(block["metadata"]["source"]) for _, block in _blocks()} & heldout)
    assert shared == []


def test_pages_compare_without_scheme_www_query_or_slash():
    assert _page("https://www.cns.public.lu/fr/faq.html?x=1#top") == _page("http://cns.public.lu/fr/faq.html/")


def test_no_real_question_is_a_rewording_of_a_heldout_one():
    found = leaks(load_questions(), training_examples(REAL), similarity=REAL_SIMILARITY)
    assert found == [], "\n".join(f"{q.language} {q.text!r} ~ {file}: {example!r} ({score:.0f})"
                                  for q, file, example, score in found)
