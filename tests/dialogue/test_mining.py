"""What a message puts into the situation slots, inside and outside the forms."""
import pytest

from assistant.dialogue.mining import care_type_in, countries_in_answer, mine_slots
from assistant.dialogue.slots import insurer_required_slots, normalise_country, normalise_share, normalise_slot
from tests.actions.conftest import entity, message

FIRST_MESSAGES = [
    ("en", "I live in Arlon and work in Luxembourg as an employee"),
    ("lb", "Ech wunnen zu Arel a schaffen zu Lëtzebuerg als Salarié"),
    ("fr", "J'habite à Arlon et je travaille au Luxembourg comme salarié"),
    ("de", "Ich wohne in Arlon und arbeite als Angestellter in Luxemburg"),
    ("nl", "Ik woon in Aarlen en werk als werknemer in Luxemburg"),
]


@pytest.mark.parametrize("language,text", FIRST_MESSAGES)
def test_the_first_message_fills_everything_the_insurer_form_needs(language, text):
    slots = mine_slots(message(text, "ask_competent_insurer"))
    assert slots["residence_country"] == "BE"
    assert slots["work_country"] == ["LU"]
    assert slots["employment_status"] == "employee"
    assert insurer_required_slots(slots) == ["residence_country", "employment_status", "work_country"]
    assert all(slots.get(s) for s in insurer_required_slots(slots))


@pytest.mark.parametrize("text", [
    "restaurants in Arlon?",
    "Is it better to live in Belgium or France for taxes?",
    "Je ne travaille plus au Luxembourg, combien d'impôts ?",
])
def test_an_out_of_scope_message_never_touches_the_situation(text):
    # Off-topic places and people are not the user's situation; inside a form they would fill or clear its slots.
    assert mine_slots(message(text, "out_of_scope")) == {}
    assert mine_slots(message(text, "out_of_scope"), active_loop="insurer_form",
                      requested_slot="residence_country") == {}


def test_diet_entities_count_when_the_lexicon_does_not_know_the_words():
    # "Hastière" is not in the extractor's town list; DIET tagged it, the gazetteer gives the country.
    slots = mine_slots(message("je crèche à Hastière, boulot chez Cactus", "inform", [
        entity("place", "Hastière", "residence"), entity("country", "LU", "work"),
        entity("employment_status", "employee")]))
    assert slots["residence_place"] == "Hastière"
    assert slots["residence_country"] == "BE"
    assert slots["work_country"] == ["LU"]
    assert slots["employment_status"] == "employee"


def test_cue_words_win_over_a_role_diet_guessed_wrongly():
    slots = mine_slots(message("je suis retraité, j'ai travaillé en Belgique et je vis à Longwy", "inform",
                               [entity("country", "BE", "pension")]))
    assert slots["work_country"] == ["BE"]
    assert "pension_country" not in slots      # the form must still ask which country pays the pension
    assert insurer_required_slots(slots)[-1] == "pension_country"


def test_a_bare_answer_fills_the_slot_the_form_asked_for_whatever_role_diet_guessed():
    answer = message("Belgique", "inform", [entity("country", "BE", "residence")])
    assert mine_slots(answer, "insurer_form", "pension_country") == {"pension_country": ["BE"]}
    assert mine_slots(answer, "insurer_form", "sending_country") == {"sending_country": "BE"}


def test_a_town_answers_the_country_question_and_is_kept_as_the_place():
    assert mine_slots(message("Arel"), "insurer_form", "residence_country") == {
        "residence_country": "BE", "residence_place": "Arlon"}


def test_several_countries_of_work_are_kept():
    slots = mine_slots(message("de Belgique et du Luxembourg"), "insurer_form", "work_country")
    assert slots["work_country"] == ["BE", "LU"]


def test_a_percentage_answers_the_share_question():
    answer = message("à peu près 30 %", "inform", [entity("postcode", "30")])
    assert mine_slots(answer, "insurer_form", "residence_work_share") == {"residence_work_share": 30.0}


@pytest.mark.parametrize("intent,text", [
    ("emergency", "mon mari ne respire plus, on habite à Arlon"),
    ("ask_medical_advice", "je vis en Belgique, quel médicament prendre ?"),
    ("change_language", "Lëtzebuergesch w.e.g."),
])
def test_messages_that_do_not_describe_the_situation_change_nothing(intent, text):
    assert mine_slots(message(text, intent, [entity("country", "BE", "residence")])) == {}


def test_an_emergency_inside_a_form_leaves_the_form_slots_alone_so_the_form_rejects():
    emergency = message("my husband collapsed in Arlon", "emergency", [entity("place", "Arlon", "residence")])
    assert mine_slots(emergency, "insurer_form", "residence_country") == {}
    assert mine_slots(emergency, "facility_form", "residence_place") == {}


def test_another_question_inside_the_insurer_form_does_not_answer_it():
    question = message("J'habite en Belgique, c'est quoi une ZOAST ?", "ask_knowledge")
    assert "residence_country" not in mine_slots(question, "insurer_form", "residence_country")


def test_the_answer_to_the_town_question_is_taken_as_typed_when_nothing_is_recognised():
    assert mine_slots(message("Hrmpfdorf", "inform"), "facility_form", "residence_place") == {
        "residence_place": "Hrmpfdorf"}
    assert mine_slots(message("6460", "inform", [entity("postcode", "6460")]), "facility_form",
                      "residence_place")["residence_place"] == "6460"


def test_the_facility_question_takes_the_postcode_and_the_care_type():
    slots = mine_slots(message("maternité la plus proche du 54400 ?", "ask_nearest_facility",
                               [entity("postcode", "54400")]))
    assert slots["residence_place"] == "54400"
    assert slots["care_type"] == "obstetrics"


def test_a_new_facility_question_without_a_care_word_clears_the_previous_care_type():
    assert mine_slots(message("hôpital le plus proche ?", "ask_nearest_facility"))["care_type"] is None


@pytest.mark.parametrize("text,care", [("Geburt", "obstetrics"), ("dialysis centre", "dialysis"),
                                       ("a PET scan", None), ("state of the art", None)])
def test_care_words(text, care):
    assert care_type_in(text) == care


def test_short_numbers_are_not_postcodes():
    assert "postcode" not in mine_slots(message("30 %", "inform", [entity("postcode", "30")]))


def test_countries_in_an_answer_come_from_entities_and_words():
    assert countries_in_answer(message("in Belgium", "inform")) == ["BE"]
    assert countries_in_answer(message('/inform{"country":"LU"}', "inform", [entity("country", "LU")])) == ["LU"]


@pytest.mark.parametrize("slot,value,expected", [
    ("residence_country", "be", "BE"), ("residence_country", "Lëtzebuerg", "LU"), ("residence_country", "ES", None),
    ("work_country", "LU", ["LU"]), ("work_country", ["BE", "be", "XX"], ["BE"]), ("work_country", [], None),
    ("employment_status", "self-employed", "self_employed"), ("employment_status", "boss", None),
    ("residence_work_share", "12,5 %", 12.5), ("residence_work_share", 140, None),
])
def test_slot_values_are_normalised(slot, value, expected):
    assert normalise_slot(slot, value) == expected


def test_helpers_accept_names_in_every_language():
    assert [normalise_country(n) for n in ("Belgien", "België", "Belsch", "Belgium", "Belgique")] == ["BE"] * 5
    assert normalise_share("la moitié") is None


# --- corrections and real phrasings (issue: understanding real people's questions) -------------------

def test_a_correction_of_the_work_place_changes_only_the_work_country():
    text = "ich arbeite doch in Trier, nicht in Luxemburg"
    start = text.index("Trier")
    # DIET guessed "Trier" as the place of residence: the cue word "arbeite" wins.
    diet = [{"entity": "place", "value": "Trier", "role": "residence", "start": start, "end": start + 5}]
    slots = mine_slots(message(text, "inform", diet), current={"residence_country": "FR", "work_country": ["LU"]})
    assert slots == {"work_country": ["DE"]}


def test_a_denied_country_is_removed_and_the_other_one_takes_its_place():
    slots = mine_slots(message("Nein, nicht Luxemburg, sondern Trier", "deny"),
                       current={"residence_country": "FR", "work_country": ["LU"]})
    assert slots == {"work_country": ["DE"]}


def test_a_denied_residence_is_cleared_when_nothing_replaces_it():
    slots = mine_slots(message("I don't live in France", "deny"),
                       current={"residence_country": "FR", "residence_place": "Thionville", "work_country": ["LU"]})
    assert slots.get("residence_country", "kept") is None and slots.get("residence_place", "kept") is None


@pytest.mark.parametrize("text,expected", [
    ("Ik ben gepensioneerd, krijg alleen een Duits pensioen en woon in Nederland",
     {"residence_country": "NL", "employment_status": "pensioner", "pension_country": ["DE"]}),
    ("ich wohne in Forbach in Frankreich und arbeite in Saarbrücken",
     {"residence_country": "FR", "work_country": ["DE"], "residence_place": "Forbach"}),
    ("Je vis en Meurthe-et-Moselle et je travaille au Luxembourg : quel formulaire la CNS envoie-t-elle à la CPAM ?",
     {"residence_country": "FR", "work_country": ["LU"], "residence_place": "Meurthe-et-Moselle"}),
    ("I live in one member state and work in another. What form gives me healthcare where I live?", {}),
])
def test_real_phrasings(text, expected):
    assert mine_slots(message(text, "ask_knowledge")) == expected


CURRENT = {"residence_country": "FR", "residence_place": "Givet", "work_country": ["LU"], "pension_country": ["BE"]}


@pytest.mark.parametrize("text", ["Warum bin ich nicht in Luxemburg versichert?",
                                  "Kann ich nicht in Frankreich zum Arzt gehen?",
                                  "Why is my S1 not valid in France?",
                                  "Pourquoi la CPAM ne rembourse pas en Belgique ?"])
def test_a_question_with_a_negation_corrects_nothing(text):
    slots = mine_slots(message(text, "ask_knowledge"), current=CURRENT)
    assert not {k: v for k, v in slots.items() if k in CURRENT and v is None}


@pytest.mark.parametrize("text,country", [
    ("meng Pensioun kënnt aus Däitschland an ech wunnen zu Lëtzebuerg", "LU"),
    ("meng Pensioun kënnt aus Däitschland an ech wunnen a Frankräich", "FR"),
])
def test_a_country_right_after_the_cue_is_never_replaced_by_a_gazetteer_guess(text, country):
    assert mine_slots(message(text, "ask_competent_insurer"))["residence_country"] == country


@pytest.mark.parametrize("text,place,country", [
    ("Quels hôpitaux je peux utiliser avec la ZOAST si j'habite à Halluin ?", "Halluin", "FR"),
    ("wéi eng Spideeler an der Belsch dierf ech notzen wann ech zu Klierf wunnen?", "Clervaux", "LU"),
    ("Ik woon in Menen en ben bij CM.", "Menen", "BE"),
    # a word or two of time between "I live" and its preposition
    ("Ech wunnen zënter kuerzem zu Rumelange, wéi eng Klinik an der Belsch ass am noosten?", "Rumelange", "LU"),
    ("Ich wohne seit 2019 in Perl, welches Krankenhaus in Frankreich ist am nächsten?", "Perl", "DE"),
])
def test_a_town_after_i_live_in_comes_from_the_gazetteer(text, place, country):
    slots = mine_slots(message(text, "ask_nearest_facility"))
    assert (slots["residence_place"], slots["residence_country"]) == (place, country)


def test_work_that_is_over_does_not_make_an_employee():
    slots = mine_slots(message("J'ai travaillé 20 ans au Luxembourg et j'habite en France", "ask_competent_insurer"))
    assert slots == {"residence_country": "FR"}                # the status is asked, not assumed


def test_a_new_country_of_residence_drops_the_old_town():
    slots = mine_slots(message("non, j'habite en Belgique", "deny"), current=CURRENT)
    assert slots["residence_country"] == "BE" and slots["residence_place"] is None


@pytest.mark.parametrize("text,place", [
    ("Quel hôpital pas loin du 6460 ?", "6460"),
    ("Quel hôpital est le plus proche de Trucmuche-les-Bains ?", "Trucmuche-les-Bains"),
    ("Krankenhaus bei Mettlach?", "Mettlach"),
    ("Welches Krankenhaus in Belgien ist am nächsten?", None),     # German capitalises every noun
    ("Which hospital near me takes my EHIC?", None),
])
def test_the_starting_point_of_a_facility_question(text, place):
    assert mine_slots(message(text, "ask_nearest_facility")).get("residence_place") == place


def test_the_border_is_no_frontier_worker():
    assert "employment_status" not in mine_slots(message(
        "un hôpital de l'autre côté de la frontière", "ask_nearest_facility"))
