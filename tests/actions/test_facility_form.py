"""The facility form resolves the place, asks back when it cannot, and answers in the user's language."""
import json

import pytest

from actions.facility import ActionNearestFacility, contact_line, gave_up_reply
from assistant.dialogue.place_check import MAX_FAILED_ANSWERS, check_place
from tests.actions.conftest import entity, make_tracker, message, run, slot_events

GIVET = {  # what a French speaker in a ZOAST town must learn, in every language
    "fr": ("sans autorisation préalable", "CHU UCL Namur Dinant", "15,7 km", "À présenter : Carte Vitale"),
    "de": ("ohne vorherige Genehmigung", "CHU UCL Namur Dinant", "15,7 km", "Mitbringen: Carte Vitale"),
    "nl": ("zonder voorafgaande toestemming", "CHU UCL Namur Dinant", "15,7 km", "Meebrengen: Carte Vitale"),
    "lb": ("ouni Autorisatioun am Viraus", "CHU UCL Namur Dinant", "15,7 km", "Matbréngen: Carte Vitale"),
    "en": ("without prior authorisation", "CHU UCL Namur Dinant", "15.7 km", "Bring: Carte Vitale"),
}


@pytest.mark.parametrize("language", sorted(GIVET))
def test_a_place_in_the_first_message_gets_the_nearest_hospitals_at_once(conversation, language):
    talk = conversation(language)
    talk.say(message("J'habite à Givet, quel est l'hôpital le plus proche ?", "ask_nearest_facility",
                     [entity("place", "Givet", "residence")]), start="facility_form")
    assert len(talk.replies) == 1
    text = talk.replies[0]["text"]
    for expected in GIVET[language]:
        assert expected in text, (expected, text)
    assert text.index("CHU UCL Namur Dinant") < text.index("CH Fumay")    # domestic hospital for comparison
    assert "112" in text and "ZOAST Ardennes" in text
    assert talk.slots["residence_country"] == "FR"


def test_a_postcode_in_two_countries_is_asked_back_and_the_country_settles_it(conversation):
    talk = conversation("fr")
    talk.say(message("Quel hôpital est le plus proche du 6460 ?", "ask_nearest_facility",
                     [entity("postcode", "6460")]), start="facility_form")
    assert talk.texts() == ["Le code postal **6460** existe en Belgique (Chimay) ou au Luxembourg (Echternach). "
                            "Dans quel pays habitez-vous ?"]
    talk.say(message("Belgique", "inform", [entity("country", "BE")]))
    assert talk.texts()[0].startswith("📍 **Chimay** (Belgique, 6460)")
    assert talk.slots["residence_country"] == "BE" and talk.slots["place_query"] is None


def test_the_residence_country_already_known_resolves_the_postcode_without_a_question(conversation):
    talk = conversation("de", residence_country="LU")
    talk.say(message("Nächstes Krankenhaus bei 6460?", "ask_nearest_facility", [entity("postcode", "6460")]),
             start="facility_form")
    assert talk.texts()[0].startswith("📍 **Echternach** (Luxemburg, L-6460)")


def test_an_ambiguous_name_can_be_answered_with_the_place_itself(conversation):
    talk = conversation("en")
    talk.say(message("nearest hospital to 6460", "ask_nearest_facility", [entity("postcode", "6460")]),
             start="facility_form")
    talk.say(message("Echternach", "inform", [entity("place", "Echternach")]))
    assert talk.texts()[0].startswith("📍 **Echternach** (Luxembourg")


def test_an_unknown_place_is_asked_again_then_the_general_routes_come_with_a_contact(conversation):
    talk = conversation("fr", residence_country="FR")
    talk.say(message("hôpital le plus proche de Trucmuche-sur-Rien", "ask_nearest_facility",
                     [entity("place", "Trucmuche-sur-Rien", "residence")]), start="facility_form")
    assert talk.texts()[0].startswith("Je ne trouve pas « Trucmuche-sur-Rien »")
    for attempt in range(2, MAX_FAILED_ANSWERS):
        talk.say(message("Blablaville", "inform"))
        assert talk.texts()[0].startswith("Je ne trouve pas « Blablaville »"), attempt
    talk.say(message("Zorglub", "inform"))
    text = talk.texts()[0]
    assert text.startswith("Désolé, je n'arrive pas à trouver votre commune.")
    assert "S2" in text and "2011/24" in text                       # the general routes
    assert "votre CPAM ou au CLEISS" in text and "112" in text      # who to ask, and 112
    assert talk.active is None and talk.slots["place_attempts"] is None


def test_a_typo_and_an_exonym_are_understood():
    assert check_place("Givett").country == "FR"
    assert check_place("J'habite à Luik").country == "BE"
    assert check_place("Sarrebruck").country == "DE"


def test_a_town_outside_the_border_regions_gets_the_general_routes_not_a_question(conversation):
    talk = conversation("en")
    talk.say(message("nearest hospital from Paris", "ask_nearest_facility", [entity("place", "Paris", "residence")]),
             start="facility_form")
    text = talk.texts()[0]
    assert "outside the border regions" in text and "S2" in text and "112" in text


def test_a_care_type_filters_the_hospitals():
    tracker = make_tracker({"language": "en", "residence_place": "Givet", "care_type": "cosmetic_surgery"})
    text = run(ActionNearestFacility(), tracker)[0][0]["text"]
    assert "Cosmetic surgery: not covered by ZOAST Ardennes" in text


def test_the_result_is_kept_as_json_for_the_agent_console():
    tracker = make_tracker({"language": "nl", "residence_place": "Givet", "residence_country": "FR"})
    lookup = json.loads(json.dumps(slot_events(run(ActionNearestFacility(), tracker)[1])["last_lookup"]))
    assert lookup["place"]["name"] == "Givet" and len(lookup["options"]) == 3
    assert lookup["options"][0]["scheme"] == "ardennes" and lookup["options"][0]["distance_km"] == 15.7
    assert lookup["domestic"]["country"] == "FR"


@pytest.mark.parametrize("language,who", [
    ("fr", "adressez-vous à votre mutualité."), ("de", "bei Ihrer Krankenkasse (Mutualität)."),
    ("nl", "bij uw ziekenfonds."), ("lb", "bei Ärer Mutualitéit."), ("en", "ask your mutualité (health insurance fund).")])
def test_the_contact_is_the_insurer_of_the_country_of_residence(language, who):
    assert contact_line("BE", language).endswith(who)


@pytest.mark.parametrize("language", ["fr", "de", "nl", "lb", "en"])
def test_the_general_routes_exist_in_every_language_and_end_with_112(language):
    text = gave_up_reply(None, language)
    assert text.splitlines()[-1].startswith("🚑") and "112" in text.splitlines()[-1]
    assert "2011/24" in text


def test_places_with_the_same_name_in_one_country_are_told_apart_by_their_postcode(conversation):
    talk = conversation("de")
    talk.say(message("Nächstes Krankenhaus?", "ask_nearest_facility"), start="facility_form")
    question = talk.say(message("Esch", "inform", [entity("place", "Esch")]))[0]["text"]
    assert "Esch (Deutschland, 54585), Esch (Deutschland, 54518), Esch-sur-Alzette (Luxemburg)" in question
    talk.say(message("Esch-sur-Alzette", "inform", [entity("place", "Esch-sur-Alzette")]))
    assert talk.texts()[0].startswith("📍 **Esch-sur-Alzette** (Luxemburg")
