"""Section chunks and the sentence cuts the answers are trimmed at."""
from assistant.knowledge.answer import trim
from assistant.knowledge.chunking import chunk_document, sentences
from assistant.knowledge.documents import parse_document
from tests.knowledge.conftest import CORPUS


def test_every_section_becomes_one_chunk_that_keeps_the_title():
    doc = parse_document(CORPUS / "zoast" / "zoast-general.nl.md", CORPUS)
    chunks = chunk_document(doc)
    assert len(chunks) == len(doc.sections)
    assert all(c.text.startswith(doc.title) for c in chunks)
    headings = [c.heading for c in chunks]
    assert "Wat is een ZOAST?" in headings
    chunk = chunks[headings.index("Wat is een ZOAST?")]
    assert "— Wat is een ZOAST?" in chunk.text.split("\n")[0]
    assert "**" not in chunk.text                      # Markdown marks are not embedded


def test_a_day_before_a_month_does_not_end_a_sentence():
    german = sentences("Das Abkommen wurde am 29. März 2023 unterzeichnet. Es gilt noch nicht.", "de")
    assert german == ["Das Abkommen wurde am 29. März 2023 unterzeichnet.", "Es gilt noch nicht."]
    luxembourgish = sentences("Den Accord gouf den 29. Mäerz 2023 ënnerschriwwen. Et ass esou.", "lb")
    assert luxembourgish[0] == "Den Accord gouf den 29. Mäerz 2023 ënnerschriwwen."
    dutch = sentences("Zie wet nr. 2002-303 van 4 maart 2002. Meer niet.", "nl")
    assert dutch[0] == "Zie wet nr. 2002-303 van 4 maart 2002."


def test_list_items_stay_whole_and_on_their_own_line():
    markdown = "Three cases:\n- first case, long enough;\n- second case.\nAfter the list."
    cut = sentences(markdown, "en")
    assert cut == ["Three cases:", "- first case, long enough;", "- second case.", "After the list."]
    assert trim(cut, 100, 10) == "Three cases:\n- first case, long enough;\n- second case.\nAfter the list."


def test_trimming_keeps_whole_sentences_within_the_word_budget():
    cut = [f"Sentence number {i} has exactly seven words." for i in range(30)]
    text = trim(cut, max_words=40, min_words=20)
    assert text.endswith("words.")
    assert 20 <= len(text.split()) <= 40
    # A single long first sentence is kept whole rather than cut in the middle.
    assert trim(["word " * 150 + "end."], 100, 40).endswith("end.")


def test_the_answer_is_short_by_default(config):
    assert config.max_words <= 60 and config.min_words < config.max_words


def _words(text):
    return len(text.replace("\n", " ").split())


def test_a_long_list_after_a_complete_answer_is_left_out_rather_than_cut():
    answer = ["The national contact point informs patients about care abroad and reimbursement rules.",
              "It does not replace your insurer, which decides on every request you make."]
    items = ["It has two contact points, each with its own role:",
             "- the CNS for reimbursement, prior authorisation and the tariffs that apply;",
             "- the national information and mediation service for patients' rights and disputes;",
             "- a third service for complaints about hospitals and their staff, open on weekdays."]
    text = trim(answer + items, max_words=60, min_words=20)
    assert text == " ".join(answer)          # no introduction without its items, no half list


def test_a_short_list_is_kept_whole():
    cut = ["Two contact points:", "- the CNS;", "- the mediation service."]
    assert trim(cut, 60, 20) == "Two contact points:\n- the CNS;\n- the mediation service."


def test_a_passage_that_is_a_long_list_is_cut_between_items_with_its_introduction():
    items = [f"- item {i} " + "word " * 20 + "end." for i in range(4)]
    text = trim(["Numbers to call:"] + items, max_words=60, min_words=20)
    assert text.startswith("Numbers to call:\n- item 0") and text.endswith("end.")
    assert "- item 1" in text and "- item 2" not in text and _words(text) <= 60
    # Even when one item alone is over the budget, the introduction never comes alone.
    assert trim(["Numbers to call:", "- " + "word " * 80 + "end."], 60, 20).endswith("end.")
