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
