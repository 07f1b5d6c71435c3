"""Answer first: what is assumed, what is still asked, and what is already certain while asking."""
import pytest

from assistant.insurance import Situation, render, resolve
from assistant.insurance.render import count_words, render_brief, render_partial

LANGUAGES = ["fr", "de", "nl", "lb", "en"]


@pytest.mark.parametrize("residence,work", [("FR", "LU"), ("BE", "LU"), ("DE", "NL"), ("NL", "BE")])
def test_where_one_lives_and_works_is_enough_the_status_is_assumed(residence, work):
    resolution = resolve(Situation(residence_country=residence, work_countries=(work,)))
    assert resolution.answerable
    assert resolution.assumed.status == "employee"
    assert [note.key for note in resolution.assumptions] == ["assumed_worker"]
    decision = resolution.decision()
    assert decision.competent_country == work


def test_employed_and_self_employed_get_the_same_answer_so_assuming_is_safe():
    employed = resolve(Situation(residence_country="FR", work_countries=("LU",), status="employee")).decision()
    independent = resolve(Situation(residence_country="FR", work_countries=("LU",),
                                    status="self_employed")).decision()
    assert employed.competent_country == independent.competent_country == "LU"
    assert employed.institution_ids == independent.institution_ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_answer_says_what_was_assumed(language):
    resolution = resolve(Situation(residence_country="BE", work_countries=("LU",)))
    text = render(resolution.decision(), language, resolution.assumptions)
    lines = text.split("\n")
    assert "Luxembourg" in lines[0] or "Lëtzebuerg" in lines[0] or "Luxemburg" in lines[0]
    assert any(word in lines[1] for word in ("Hypothèse", "Annahme", "Aanname", "Mir huelen un", "Assumed"))
    assert count_words(" ".join(lines[:2])) <= 70


def test_a_stated_status_is_never_replaced_by_an_assumption():
    resolution = resolve(Situation(residence_country="FR", work_countries=("LU",), status="posted_worker"))
    assert resolution.assumptions == ()
    assert resolution.ask == ("sending_country",)


@pytest.mark.parametrize("situation,ask,partial", [
    (Situation(), ("residence_country", "status"), "partial_general"),
    (Situation(residence_country="BE"), ("status",), "partial_residence_only"),
    (Situation(status="frontier_worker"), ("residence_country", "work_countries"), "partial_worker"),
    (Situation(work_countries=("LU",)), ("residence_country",), "partial_work_country"),
    (Situation(status="pensioner", residence_country="FR"), ("pension_countries",), "partial_pensioner_residence"),
    (Situation(status="family_member", residence_country="DE"), ("insured_person_country",), "partial_family_member"),
    (Situation(status="student"), ("residence_country",), "partial_inactive"),
    (Situation(residence_country="BE", work_countries=("BE", "LU"), status="employee"), ("residence_work_share",),
     "partial_several_states"),
    (Situation(residence_country="BE", work_countries=("BE", "LU")), ("status",), "partial_several_states"),
])
def test_only_what_changes_the_answer_is_asked_with_what_is_already_certain(situation, ask, partial):
    resolution = resolve(situation)
    assert resolution.ask == ask
    assert resolution.partial.key == partial


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_partial_answer_cites_its_source(language):
    text = render_partial(resolve(Situation(work_countries=("LU",))), language)
    assert "cleiss.fr" in text
    assert "11(3)(a)" in text or "11, §3, a" in text or "Abs. 3" in text or "lid 3" in text


def test_a_pension_from_abroad_alone_makes_a_pensioner():
    resolution = resolve(Situation(residence_country="NL", pension_countries=("DE",)))
    assert resolution.answerable and resolution.decision().competent_country == "DE"
    assert resolution.assumptions[0].key == "assumed_pensioner"


def test_the_brief_answer_gives_country_and_forms_first_then_the_assumption():
    resolution = resolve(Situation(residence_country="FR", work_countries=("LU",)))
    lines = render_brief(resolution.decision(), "fr", resolution.assumptions).split("\n")
    assert "CNS" in lines[0] and ("S1" in lines[1] or "S072" in lines[1])
    assert lines[2].startswith("Hypothèse") and len(lines) == 3


def test_work_in_several_countries_is_not_answered_on_an_assumed_status():
    # Art. 13: the employer's seat for the employed, the centre of interest for the self-employed.
    resolution = resolve(Situation(residence_country="FR", work_countries=("LU", "BE")))
    assert resolution.assumptions == () and resolution.ask == ("status",)


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_is_assumed_is_said_also_while_asking(language):
    text = render_partial(resolve(Situation(work_countries=("LU",))), language)
    assert len(text.split("\n")) == 3       # what is certain, what was assumed, the source
