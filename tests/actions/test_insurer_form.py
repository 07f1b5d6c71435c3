"""The insurer form asks only what is missing, and the answer comes in the user's language."""
import json

import pytest

from actions.insurer import ActionCompetentInsurer, ValidateInsurerForm
from actions.situation import ActionResetSituation
from assistant.i18n import t
from tests.actions.conftest import entity, make_tracker, message, run, slot_events

HEADLINE = {"fr": "**Pays compétent : Luxembourg**", "de": "**Zuständiges Land: Luxemburg**",
            "nl": "**Bevoegd land: Luxemburg**", "lb": "**Zoustännegt Land: Lëtzebuerg**",
            "en": "**Competent country: Luxembourg**"}
UNDERSTOOD = {"fr": "résidence : Belgique (Arlon)", "de": "Wohnland: Belgien (Arlon)", "nl": "woonland: België (Arlon)",
              "lb": "Wunnland: Belsch (Arlon)", "en": "residence: Belgium (Arlon)"}
FIRST = {"fr": "J'habite à Arlon et je travaille au Luxembourg comme salarié, quelle caisse ?",
         "de": "Ich wohne in Arlon und arbeite als Angestellter in Luxemburg, welche Krankenkasse?",
         "nl": "Ik woon in Aarlen en werk als werknemer in Luxemburg, welke verzekeraar?",
         "lb": "Ech wunnen zu Arel a schaffen zu Lëtzebuerg als Salarié, wéi eng Krankekeess?",
         "en": "I live in Arlon and work in Luxembourg as an employee, which insurer?"}


@pytest.mark.parametrize("language", sorted(FIRST))
def test_a_complete_first_message_gets_the_answer_at_once_in_the_users_language(conversation, language):
    talk = conversation(language)
    talk.say(message(FIRST[language], "ask_competent_insurer"), start="insurer_form")
    assert len(talk.replies) == 1, talk.texts()       # no question asked
    text = talk.replies[0]["text"]
    assert text.startswith(HEADLINE[language]) and "CNS" in text
    assert t("insurance", "why_work", language) in text and "Art. 11(3)(a)" in text    # why, legal basis
    assert "BL1" in text and "cns.public.lu" in text                  # the form and the source
    assert UNDERSTOOD[language] in text                               # the facts it relied on
    assert [b["payload"] for b in talk.replies[0]["buttons"]] == ["/change_situation", "/ask_nearest_facility"]


def test_the_form_asks_only_what_is_missing_in_order(conversation):
    talk = conversation("en")
    assert talk.say(message("Which insurer is competent for me?", "ask_competent_insurer"),
                    start="insurer_form") == [{"response": "utter_ask_residence_country"}]
    assert talk.say(message("Belgium", "inform", [entity("country", "BE")])) == [
        {"response": "utter_ask_employment_status"}]
    assert talk.say(message('/inform{"employment_status":"frontier_worker"}', "inform",
                            [entity("employment_status", "frontier_worker")])) == [
        {"response": "utter_ask_work_country"}]
    talk.say(message("Luxembourg", "inform", [entity("country", "LU")]))
    assert talk.texts()[0].startswith("**Competent country: Luxembourg**")


def test_a_pensioner_is_asked_which_country_pays_the_pension_not_where_they_worked(conversation):
    talk = conversation("fr")
    talk.say(message("Je suis retraité, j'ai travaillé en Belgique et j'habite à Longwy. Quelle caisse ?",
                     "ask_competent_insurer"), start="insurer_form")
    assert talk.texts() == ["utter_ask_pension_country"]
    talk.say(message("Belgique", "inform", [entity("country", "BE")]))
    text = talk.texts()[0]
    assert text.startswith("**Pays compétent : Belgique**") and "Art. 24(1)" in text and "**S1**" in text
    assert "pension versée par : Belgique" in text


@pytest.mark.parametrize("status,question", [("posted_worker", "utter_ask_sending_country"),
                                             ("family_member", "utter_ask_insured_person_country"),
                                             ("student", None)])
def test_each_status_gets_its_own_question(conversation, status, question):
    talk = conversation("de")
    talk.say(message("Ich wohne in Belgien", "ask_competent_insurer", [entity("country", "BE", "residence")]),
             start="insurer_form")
    talk.say(message(f'/inform{{"employment_status":"{status}"}}', "inform", [entity("employment_status", status)]))
    if question == "utter_ask_sending_country":
        assert talk.texts() == ["utter_ask_work_country"]
        talk.say(message("Deutschland", "inform", [entity("country", "DE")]))
    if question:
        assert talk.texts() == [question]
    else:
        assert talk.texts()[0].startswith("**Zuständiges Land: Belgien**")


def test_work_in_several_states_asks_for_the_share_in_the_residence_country(conversation):
    talk = conversation("nl")
    talk.say(message("Ik woon in België en werk als werknemer in België en in Luxemburg", "ask_competent_insurer"),
             start="insurer_form")
    assert talk.texts() == ["utter_ask_residence_work_share"]
    talk.say(message("ongeveer 40 %", "inform"))
    assert talk.texts()[0].startswith("**Bevoegd land: België**")
    assert "deel van het werk in het woonland: 40 %" in talk.texts()[0]


def test_an_answer_that_is_not_understood_is_explained_and_the_question_asked_again(conversation):
    talk = conversation("lb")
    talk.say(message("Wéi eng Krankekeess ass fir mech zoustänneg?", "ask_competent_insurer"), start="insurer_form")
    replies = talk.say(message("Spuenien", "inform"))
    assert replies[0]["text"].startswith("Ech hunn an Ärer Äntwert kee Land erkannt.")
    assert replies[1] == {"response": "utter_ask_residence_country"}


def test_an_emergency_inside_the_form_makes_it_reject_so_112_comes_first(conversation):
    talk = conversation("en")
    talk.say(message("Which insurer is competent?", "ask_competent_insurer"), start="insurer_form")
    assert talk.say(message("my husband collapsed in Arlon", "emergency",
                            [entity("place", "Arlon", "residence")])) == [{"rejected": "insurer_form"}]


def test_the_validation_normalises_values_and_drops_invalid_ones():
    events = [{"event": "action", "name": "insurer_form"},
              {"event": "slot", "name": "residence_country", "value": "be"},
              {"event": "slot", "name": "work_country", "value": "LU"},
              {"event": "slot", "name": "employment_status", "value": "dictator"}]
    tracker = make_tracker({"residence_country": "be", "work_country": "LU", "employment_status": "dictator"},
                           message("x"), events, "insurer_form")
    _, result = run(ValidateInsurerForm(), tracker)
    assert slot_events(result) == {"residence_country": "BE", "work_country": ["LU"], "employment_status": None,
                                   "requested_slot": None}   # the status is assumed: it would not change the answer


def test_the_decision_is_kept_as_json_for_the_agent_console():
    tracker = make_tracker({"language": "en", "residence_country": "FR", "work_country": ["LU"],
                            "employment_status": "frontier_worker", "residence_place": "Thionville"})
    _, events = run(ActionCompetentInsurer(), tracker)
    lookup = slot_events(events)["last_lookup"]
    decision = json.loads(json.dumps(lookup))["decision"]
    assert decision["competent_country"] == "LU" and decision["institution_ids"][0] == "lu_cns"
    assert decision["forms"] == ["S072"]           # Thionville is in the Grand Est: S072 instead of S1
    assert decision["legal_basis"] and decision["sources"][0]["url"].startswith("http")
    assert decision["confidence"] in ("solid", "single_source", "uncertain")


def test_an_unusual_case_says_it_cannot_decide_and_names_whom_to_ask():
    tracker = make_tracker({"language": "fr", "residence_country": "FR", "work_country": ["BE", "LU"],
                            "employment_status": "employee"})
    messages, _ = run(ActionCompetentInsurer(), tracker)
    text = messages[0]["text"]
    assert text.startswith("**Je ne peux pas encore dire quel pays est compétent**")
    assert "En cas de doute, demandez à" in text


def test_a_changed_situation_forgets_the_old_facts_but_keeps_what_the_message_says():
    tracker = make_tracker({"residence_country": "BE", "work_country": ["LU"], "employment_status": "employee",
                            "residence_place": "Arlon", "last_lookup": {"x": 1}},
                           message("ma situation a changé, je suis retraité maintenant", "change_situation"))
    values = slot_events(run(ActionResetSituation(), tracker)[1])
    assert values["employment_status"] == "pensioner"
    assert values["residence_country"] is None and values["work_country"] is None
    assert values["residence_place"] is None
