"""The replies a user reads: short, in their language, cited; or an honest "I don't know"."""
import re

import pytest
import yaml

from assistant.knowledge.answer import compose
from tests.knowledge.conftest import ROOT

SOURCE_LINE = re.compile(r"^(Source :|Quelle:|Bron:|Quell:|Source:) \[.+\]\(https?://\S+\), .+\d{4}$", re.M)
DONE_MEANS = [
    ("Wat is een ZOAST?", "nl", "zoast-general", "Bron:", "gebied langs de Frans-Belgische grens"),
    ("Brauch ech eng Autorisatioun fir an d'Spidol an der Belsch?", "lb", "form-s2", "Quell:", "S2"),
    ("Quand l'accord-cadre franco-luxembourgeois a-t-il été signé ?", "fr", "agreement-fr-lu", "Source :",
     "21 novembre 2016"),
]


def ask(searcher, config, question, language, countries=()):
    return compose(searcher.search(question, language), language, config, countries)


@pytest.mark.parametrize("question,language,doc_id,source_word,fact", DONE_MEANS)
def test_the_three_reference_questions_get_short_cited_answers_in_their_language(
        searcher, config, question, language, doc_id, source_word, fact):
    reply = ask(searcher, config, question, language)
    assert reply.found and reply.source.doc_id == doc_id
    assert reply.passage_language == language
    assert fact in reply.text
    assert source_word in reply.text and SOURCE_LINE.search(reply.text), reply.text
    passage = reply.text.split(source_word)[0]
    assert 15 <= len(passage.split()) <= 75       # a short answer first (knowledge.yml answer.max_words)
    assert "\n\n" not in reply.text            # Rasa's REST channel would split it into messages
    lines = reply.text.split("\n")
    source_at = next(i for i, line in enumerate(lines) if line.startswith(source_word))
    assert all(line.startswith(("Voir aussi", "Siehe auch", "Zie ook", "Kuckt och", "See also"))
               for line in lines[source_at + 1:])  # passage, then source, then "see also"


def test_a_document_without_a_translation_is_shown_in_a_language_the_reader_knows(searcher, config):
    reply = ask(searcher, config, "Wat ass den IZOM an der Euregio Maas-Rhäin?", "lb")
    assert reply.found and reply.source.doc_id == "izom"
    assert reply.passage_language == "de"                   # no lb version: German, and it says so
    assert reply.text.startswith("Dësen Dokument gëtt et net op Lëtzebuergesch; hei ass de Passage op Däitsch:")


def test_related_documents_are_offered_with_their_links(searcher, config):
    reply = ask(searcher, config, "Quand l'accord-cadre franco-luxembourgeois a-t-il été signé ?", "fr")
    assert 1 <= len(reply.related) <= config.max_related
    assert "Voir aussi : [" in reply.text
    assert all(r.url.startswith("http") and r.doc_id != reply.source.doc_id for r in reply.related)


OUT_OF_SCOPE = [q for q in yaml.safe_load((ROOT / "tests/knowledge/questions/out_of_scope.yml").read_text())]


@pytest.mark.parametrize("item", OUT_OF_SCOPE, ids=lambda q: q["question"][:40])
def test_an_out_of_scope_question_is_not_answered_with_a_guess(searcher, config, item):
    reply = ask(searcher, config, item["question"], item["language"])
    assert not reply.found, f"answered from {reply.source.doc_id} ({reply.score:.3f})"


def test_the_no_answer_reply_gives_the_contacts_of_the_users_countries(searcher, config):
    reply = ask(searcher, config, "Hoe laat vertrekt de laatste trein van Maastricht naar Luik?", "nl")
    assert reply.text.startswith("Ik heb in mijn kennisbank geen betrouwbaar antwoord")
    assert "- België: uw ziekenfonds" in reply.text and "- Nederland: uw zorgverzekeraar" in reply.text
    # Neither the Belgian NCP host nor the Dutch NCP is presented as known.
    assert "niet bevestigd" in reply.text and "niet gevonden" in reply.text
    assert "Bron: [" in reply.text                          # cites the national contact points document
    in_luxembourg = ask(searcher, config, "Wéi gëtt d'Wieder muer zu Esch?", "lb", countries=["LU"])
    assert "- Lëtzebuerg: d'CNS" in in_luxembourg.text and "Belsch" not in in_luxembourg.text


def passage_of(reply) -> str:
    """The quoted passage: the reply's lines before its source line, without the language notice."""
    lines = reply.text.split("\n")
    end = next(i for i, line in enumerate(lines) if SOURCE_LINE.match(line))
    return "\n".join(lines[1 if reply.passage_language != reply.language else 0:end])


QUESTIONS = [q for q in yaml.safe_load((ROOT / "tests/knowledge/questions/countries.yml").read_text())] + \
    [{"question": q, "language": lang} for q, lang, *_ in DONE_MEANS]


def test_every_answer_starts_with_about_sixty_words(searcher, config):
    lengths = []
    for item in QUESTIONS:
        reply = ask(searcher, config, item["question"], item["language"])
        if reply.found:
            lengths.append(len(passage_of(reply).split()))
    assert len(lengths) >= 25
    assert max(lengths) <= config.max_words + 15, lengths
    assert sorted(lengths)[len(lengths) // 2] <= config.max_words, lengths
