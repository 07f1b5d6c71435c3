"""The facts that are never asked (telework, a posting's length...) through the actions, as the server runs them."""
from actions.facts import ActionAnswerFacts
from actions.situation import ActionResetSituation
from actions.slot_mappings import ValidateSlotMappings
from assistant.dialogue.slots import DETAIL_SLOTS
from tests.actions.conftest import make_tracker, message, run, slot_events

THIONVILLE = {"language": "en", "residence_country": "FR", "work_country": ["LU"], "residence_place": "Thionville",
              "last_lookup": {"lookup": "competent_insurer"}}


def test_a_first_message_with_telework_gets_the_answer_with_the_framework_agreement(conversation):
    talk = conversation("fr")
    talk.say(message("J'habite à Thionville, je travaille au Luxembourg comme salarié et je télétravaille 40 % "
                     "depuis chez moi. Quelle caisse ?", "ask_competent_insurer"), start="insurer_form")
    assert len(talk.replies) == 1, talk.texts()           # nothing asked: the share is not a form question
    text = talk.replies[0]["text"]
    # 40 % at home: France, Luxembourg only if the employer requests the A1 of the framework agreement.
    assert text.startswith("**Pays compétent : France**") and "Luxembourg seulement si votre employeur" in text
    assert "**A1** (accord-cadre télétravail, sur demande)" in text
    assert "télétravail depuis le pays de résidence : 40 % du temps de travail" in text
    assert talk.slots["telework_share"] == 40.0 and talk.slots["teleworks"] is True


def test_a_telework_share_told_after_the_answer_gives_the_answer_again_with_it():
    # What Rasa runs for "inform" outside a form: the slot mappings, then action_answer_facts.
    latest = message("I telework 2 days a week")
    mined = slot_events(run(ValidateSlotMappings(), make_tracker(THIONVILLE, latest))[1])
    assert mined == {"teleworks": True, "telework_share": 40.0}
    events = [{"event": "user", "text": latest["text"]},
              *({"event": "slot", "name": name, "value": value} for name, value in mined.items())]
    messages, result = run(ActionAnswerFacts(), make_tracker({**THIONVILLE, **mined}, latest, events))
    text = messages[0]["text"]
    assert text.startswith("**Competent country: France**") and "framework agreement" in text
    assert "telework from the country of residence: 40% of working time" in text
    assert slot_events(result)["last_lookup"]["lookup"] == "competent_insurer"


def test_a_changed_situation_forgets_them_too():
    tracker = make_tracker({**THIONVILLE, "teleworks": True, "telework_share": 40.0, "employer_country": "LU",
                            "self_employment_country": ["FR"], "posting_months": 18.0,
                            "insured_person_pensioner": True, "still_working": True},
                           message("ma situation a changé", "change_situation"))
    values = slot_events(run(ActionResetSituation(), tracker)[1])
    assert all(slot in values and values[slot] is None for slot in DETAIL_SLOTS)


def test_i_dont_telework_any_more_sets_it_back_and_the_answer_comes_again_without_it():
    slots = {**THIONVILLE, "teleworks": True, "telework_share": 40.0}
    latest = message("Je ne télétravaille plus")
    mined = slot_events(run(ValidateSlotMappings(), make_tracker(slots, latest))[1])
    assert mined == {"teleworks": False, "telework_share": None}
    events = [{"event": "user", "text": latest["text"]},
              *({"event": "slot", "name": name, "value": value} for name, value in mined.items())]
    messages, _ = run(ActionAnswerFacts(), make_tracker({**slots, **mined}, latest, events))
    text = messages[0]["text"]
    assert text.startswith("**Competent country: Luxembourg**") and "teleworking only from home" not in text
    assert "telework from the country of residence" not in text         # the "what I understood" line too
