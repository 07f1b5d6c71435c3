"""render(): a short reply in every language naming the institution, the form and the source."""
import re

import pytest

from assistant.i18n import LANGUAGES, t
from assistant.insurance import Situation, decide, render
from assistant.insurance.reference_data import institution_name
from assistant.insurance.render import WORD_BUDGET, count_words
from tests.insurance.test_rules import CASES

FRONTIER_BE_LU = Situation("BE", ("LU",), "employee", residence_place="Arlon")
FRONTIER_LONGWY = Situation("FR", ("LU",), "frontier_worker", residence_place="Longwy")
PENSION_NL = Situation("BE", pension_countries=("NL",), status="pensioner")


def _names(institution_id, language):
    return {institution_name(institution_id, language), institution_name(institution_id, language, short=True)}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("situation,form,institution", [
    (FRONTIER_BE_LU, "BL1", "lu_cns"),
    (FRONTIER_LONGWY, "S072", "lu_cns"),
    (PENSION_NL, "S1", "nl_cak"),
    (Situation("NL", ("DE",), "employee"), "S1", "de_krankenkasse"),
])
def test_reply_names_institution_form_and_source(language, situation, form, institution):
    decision = decide(situation)
    reply = render(decision, language)
    assert any(name in reply for name in _names(institution, language))
    assert f"**{form}**" in reply
    source = decision.sources[0]
    assert f"[{source.title}]({source.url})" in reply
    assert t("insurance", f"country_{decision.competent_country}", language) in reply
    assert decision.legal_basis[0] in reply


def test_reply_uses_the_language_asked_for():
    decision = decide(FRONTIER_BE_LU)
    replies = {language: render(decision, language) for language in LANGUAGES}
    assert len(set(replies.values())) == len(LANGUAGES)
    assert "Pays compétent" in replies["fr"]
    assert "Zuständiges Land" in replies["de"]
    assert "Bevoegd land" in replies["nl"]
    assert "Zoustännegt Land: Lëtzebuerg" in replies["lb"]
    assert "Competent country" in replies["en"]
    assert "Är belsch Mutualitéit" in replies["lb"]


def test_care_on_each_side_is_shown():
    reply = render(decide(FRONTIER_BE_LU), "en")
    assert "Luxembourg: full care" in reply
    assert "Belgium: full care with the BL1" in reply


def test_unknown_language_falls_back_to_french():
    assert render(decide(FRONTIER_BE_LU), "es") == render(decide(FRONTIER_BE_LU), "fr")


@pytest.mark.parametrize("label,facts", [(c[0], c[1]) for c in CASES], ids=[c[0] for c in CASES])
def test_every_reply_is_short_and_cites_a_link(label, facts):
    decision = decide(Situation(**facts))
    for language in LANGUAGES:
        reply = render(decision, language)
        words = count_words(reply)
        assert words <= WORD_BUDGET + 5, f"{language}: {words} words\n{reply}"
        assert re.search(r"\]\(https?://", reply), reply
        assert "{" not in reply and "}" not in reply, "unformatted template"


def test_uncertain_route_is_marked_in_the_reply():
    decision = decide(Situation("NL", ("BE",), "employee"))
    for language in LANGUAGES:
        reply = render(decision, language)
        assert t("insurance", "unverified", language) in reply
        assert "⚠️" in reply


def test_undetermined_case_says_so_and_whom_to_ask():
    decision = decide(Situation("DE", ("FR", "LU"), "employee"))
    reply = render(decision, "de")
    assert reply.startswith("**Ich kann noch nicht sagen")
    assert "DVKA" in reply


def test_same_country_reply_says_there_is_no_cross_border_issue():
    reply = render(decide(Situation("LU", ("LU",), "employee")), "en")
    assert "no cross-border rule applies" in reply and "No cross-border form is needed." in reply


def test_incomplete_situation_lists_what_is_missing():
    reply = render(decide(Situation("BE", status="posted_worker")), "nl")
    assert "het land waar u werkt" in reply and "het land van de werkgever die u detacheert" in reply


def test_current_insurer_warning_is_rendered_with_country_name():
    reply = render(decide(Situation("LU", ("LU",), "employee", current_insurer="AOK")), "fr")
    assert "AOK, Allemagne" in reply


@pytest.mark.parametrize("label,facts", [(c[0], c[1]) for c in CASES], ids=[c[0] for c in CASES])
def test_an_answer_that_is_not_solid_always_shows_a_caveat(label, facts):
    # The first caveat is always shown: a case marked uncertain or single_source must have one, so the reply
    # never reads more certain than the data behind it.
    decision = decide(Situation(**facts))
    if decision.determined and decision.confidence != "solid":
        assert decision.caveats, decision.case
        for language in LANGUAGES:
            assert "⚠️" in render(decision, language)


def test_an_uncertain_note_says_it_is_not_verified_in_every_language():
    from assistant.insurance import Note
    from assistant.insurance.render import note_text
    note = Note("note_posting_extension", {"months": "24", "institution": "lu_ccss"}, "uncertain")
    for language in LANGUAGES:
        text = note_text(note, language)
        assert text.endswith(t("insurance", "unverified", language) + ".") and "CCSS" in text
