"""The facts that are never asked but change the answer (telework, the employer's seat, self-employment besides a
job, a posting's length, a family member's pension, a pensioner's work): mined from the message, kept in their
slots, used by the answer, shown in the "what I understood" line and forgotten with the rest of the situation."""
import pytest

from assistant.dialogue.insurer_answer import insurer_reply
from assistant.dialogue.mining import mine_slots
from assistant.dialogue.slots import DETAIL_SLOTS, SITUATION_SLOTS, known_facts, normalise_slot, situation_from_slots
from assistant.dialogue.summary import understood_line
from assistant.dialogue.turn import INSURER, after_facts, facts_told
from assistant.insurance import FIELD_TO_SLOT, Situation
from assistant.insurance.assumptions import resolve
from tests.actions.conftest import message

MINED = [
    # telework, with its share (days a week count against five) or without
    ("fr", "J'habite à Thionville, je travaille au Luxembourg comme salarié et je télétravaille 40 % depuis chez moi",
     dict(residence_country="FR", work_country=["LU"], teleworks=True, telework_share=40.0)),
    ("fr", "Je travaille au Luxembourg et je fais du télétravail", dict(work_country=["LU"], teleworks=True)),
    ("de", "Ich wohne in Trier, arbeite in Luxemburg als Angestellter und mache zwei Tage pro Woche Homeoffice",
     dict(residence_country="DE", work_country=["LU"], teleworks=True, telework_share=40.0)),
    ("en", "I work in Luxembourg and telework 2 days a week",
     dict(work_country=["LU"], teleworks=True, telework_share=40.0)),
    ("nl", "Ik woon in Maastricht, werk in Luxemburg en werk 2 dagen per week thuis",
     dict(residence_country="NL", work_country=["LU"], teleworks=True, telework_share=40.0)),
    # the employer's seat
    ("fr", "J'habite à Arlon et mon employeur est luxembourgeois",
     dict(residence_country="BE", work_country=["LU"], employer_country="LU")),
    ("de", "Ich wohne in Arlon und mein Arbeitgeber sitzt in Luxemburg",
     dict(residence_country="BE", work_country=["LU"], employer_country="LU")),
    ("en", "I live in Arlon and my employer is in Luxembourg",
     dict(residence_country="BE", work_country=["LU"], employer_country="LU")),
    # employed in one state, self-employed in another
    ("fr", "J'habite à Arlon, je suis salarié au Luxembourg et indépendant en Belgique",
     dict(employment_status="employee", work_country=["LU"], self_employment_country=["BE"])),
    ("de", "Ich wohne in Arlon, bin Angestellter in Luxemburg und selbstständig in Belgien",
     dict(employment_status="employee", work_country=["LU"], self_employment_country=["BE"])),
    ("en", "I live in Arlon, I am an employee in Luxembourg and self-employed in Belgium",
     dict(employment_status="employee", work_country=["LU"], self_employment_country=["BE"])),
    # how long a posting lasts
    ("fr", "J'habite à Arlon et je suis détaché en Allemagne pour 18 mois",
     dict(employment_status="posted_worker", work_country=["DE"], posting_months=18.0)),
    ("de", "Ich wohne in Arlon und bin von meinem belgischen Arbeitgeber für 18 Monate nach Deutschland entsandt",
     dict(employment_status="posted_worker", work_country=["DE"], sending_country="BE", employer_country="BE",
          posting_months=18.0)),
    ("en", "I live in Arlon and I am posted to Germany for 18 months",
     dict(employment_status="posted_worker", work_country=["DE"], posting_months=18.0)),
    # the insured family member draws a pension
    ("fr", "J'habite à Arlon, mon mari est retraité, il touche une pension luxembourgeoise",
     dict(insured_person_country="LU", insured_person_pensioner=True)),
    ("de", "Ich wohne in Arlon, mein Mann ist Rentner und bekommt eine luxemburgische Rente",
     dict(insured_person_country="LU", insured_person_pensioner=True)),
    ("en", "I live in Arlon, my husband is retired and gets a Luxembourg pension",
     dict(insured_person_country="LU", insured_person_pensioner=True)),
    # a pensioner who still works
    ("fr", "Je suis retraité, j'habite à Arlon et je travaille encore au Luxembourg",
     dict(employment_status="pensioner", work_country=["LU"], still_working=True)),
    ("de", "Ich bin Rentner, wohne in Arlon und arbeite noch in Luxemburg",
     dict(employment_status="pensioner", work_country=["LU"], still_working=True)),
    ("en", "I am a pensioner, I live in Arlon and still work in Luxembourg",
     dict(employment_status="pensioner", work_country=["LU"], still_working=True)),
]


@pytest.mark.parametrize("language,text,expected", MINED, ids=[f"{row[0]}:{row[1][:40]}" for row in MINED])
def test_each_fact_is_mined_into_its_slot(language, text, expected):
    slots = mine_slots(message(text))
    assert {slot: slots.get(slot) for slot in expected} == expected
    # Every fact of the message, and only those, is a detail slot: none is set to False or left empty.
    assert {slot for slot in DETAIL_SLOTS if slot in slots} == {slot for slot in expected if slot in DETAIL_SLOTS}


def test_every_detail_slot_is_covered_in_french_german_and_english():
    for slot in DETAIL_SLOTS:
        languages = {language for language, _, expected in MINED if slot in expected}
        assert {"fr", "de", "en"} <= languages, slot


def test_a_message_silent_about_a_fact_keeps_what_an_earlier_one_said():
    # The extractor says False for "not said": that must never reach the slot and erase the earlier "yes".
    assert not set(mine_slots(message("I live in Arlon and work in Luxembourg"))) & set(DETAIL_SLOTS)
    assert not set(mine_slots(message("nein, ich arbeite doch in Saarbrücken", "deny"),
                              current={"teleworks": True, "telework_share": 40.0})) & set(DETAIL_SLOTS)


def test_the_slot_names_are_the_ones_the_rules_engine_names():
    assert set(DETAIL_SLOTS) == {FIELD_TO_SLOT[name] for name in ("teleworks", "telework_share", "employer_country",
                                                                 "self_employment_countries", "posting_months",
                                                                 "insured_person_pensioner", "still_working")}
    assert set(DETAIL_SLOTS) <= set(SITUATION_SLOTS)         # "my situation has changed" forgets them


@pytest.mark.parametrize("slot,value,expected", [
    ("telework_share", "40 %", 40.0), ("telework_share", 140, None), ("telework_share", True, None),
    ("posting_months", "18 mois", 18.0), ("posting_months", 30, 30.0), ("posting_months", "soon", None),
    ("employer_country", "Luxembourg", "LU"), ("employer_country", "lu", "LU"), ("employer_country", "Mars", None),
    ("self_employment_country", "BE", ["BE"]), ("self_employment_country", ("FR", "fr", "Belgique"), ["FR", "BE"]),
    ("teleworks", True, True), ("teleworks", False, False), ("teleworks", "false", False), ("teleworks", None, None),
    ("still_working", "true", True), ("still_working", False, None), ("insured_person_pensioner", None, None),
])
def test_one_typed_conversion_per_slot(slot, value, expected):
    assert normalise_slot(slot, value) == expected


def test_the_situation_is_built_with_them_and_invalid_values_count_as_unknown():
    situation = situation_from_slots({
        "residence_country": "FR", "work_country": ["LU"], "teleworks": True, "telework_share": 40.0,
        "employer_country": "LU", "self_employment_country": ["FR"], "posting_months": "abc",
        "insured_person_pensioner": None, "still_working": False})
    assert situation == Situation(residence_country="FR", work_countries=("LU",), teleworks=True, telework_share=40.0,
                                  employer_country="LU", self_employment_countries=("FR",))


def test_the_rules_engine_never_asks_for_them_so_the_form_does_not_either():
    # If resolve() ever asks one of them, the form needs it as a required slot with its question and validation.
    for told in (Situation(residence_country="FR", work_countries=("LU",), teleworks=True),
                 Situation(residence_country="BE", status="posted_worker", work_countries=("DE",),
                           sending_country="BE"),
                 Situation(residence_country="BE", status="pensioner", still_working=True),
                 Situation(residence_country="BE", status="family_member", insured_person_pensioner=True)):
        assert not {FIELD_TO_SLOT[field] for field in resolve(told).ask} & set(DETAIL_SLOTS)


UNDERSTOOD = {
    "fr": "télétravail depuis le pays de résidence : 40 % du temps de travail",
    "de": "Telearbeit vom Wohnland aus: 40 % der Arbeitszeit",
    "nl": "telewerk vanuit het woonland: 40 % van de werktijd",
    "lb": "Teletravail vum Wunnland aus: 40 % vun der Aarbechtszäit",
    "en": "telework from the country of residence: 40% of working time",
}


@pytest.mark.parametrize("language", sorted(UNDERSTOOD))
def test_the_understood_line_shows_the_telework_share_in_five_languages(language):
    line = understood_line(Situation(residence_country="FR", work_countries=("LU",), status="employee",
                                     teleworks=True, telework_share=40), language)
    assert UNDERSTOOD[language] in line


def test_the_understood_line_shows_each_fact_once():
    posted = Situation(residence_country="BE", work_countries=("DE",), status="posted_worker", sending_country="BE",
                       employer_country="BE", posting_months=18)
    # The posting employer's country is the sending country: shown once.
    assert [slot for slot, _ in known_facts(posted)] == ["residence_country", "employment_status", "work_country",
                                                         "sending_country", "posting_months"]
    assert "length of the posting: 18 months" in understood_line(posted, "en")
    # A share of telework says there is telework; telework without a share is shown as such.
    assert [slot for slot, _ in known_facts(Situation(teleworks=True, telework_share=40))] == ["telework_share"]
    assert "telework from the country of residence" in understood_line(Situation(teleworks=True), "en")
    lines = {language: understood_line(Situation(status="pensioner", work_countries=("LU",), still_working=True,
                                                 self_employment_countries=("FR",)), language)
             for language in ("fr", "lb")}
    assert "pensionné(e) qui travaille encore" in lines["fr"] and "activité indépendante : France" in lines["fr"]
    assert "pensionéiert a schafft nach" in lines["lb"] and "Aktivitéit als Independant: Frankräich" in lines["lb"]
    assert "d'versécheert Persoun: pensionéiert" in understood_line(
        Situation(status="family_member", insured_person_country="LU", insured_person_pensioner=True), "lb")


def test_a_telework_share_after_the_answer_gives_the_answer_again_with_it():
    slots = {"residence_country": "FR", "work_country": ["LU"], "residence_place": "Thionville"}
    told = mine_slots(message("I telework 2 days a week"), current=slots)
    events = [{"event": "user", "text": "I telework 2 days a week"},
              *({"event": "slot", "name": name, "value": value} for name, value in told.items())]
    assert facts_told(events) == {"teleworks": True, "telework_share": 40.0}
    slots.update(told)
    assert after_facts("inform", facts_told(events), slots, "competent_insurer") == INSURER
    # Even before any answer: the message is about insurance.
    assert after_facts("inform", facts_told(events), {"teleworks": True, "telework_share": 40.0}, None) == INSURER
    reply = insurer_reply(slots, "en")
    assert reply.answered and reply.text.startswith("**Competent country: France**")
    assert "Luxembourg only if your employer requests the A1 of the telework framework agreement" in reply.text
    assert "telework from the country of residence: 40% of working time" in reply.text


DENIALS = [
    ("fr", "Je ne télétravaille plus"),
    ("de", "Ich mache kein Homeoffice mehr"),
    ("en", "I don't telework at all"),
    ("nl", "Ik werk niet meer thuis"),
    ("lb", "Ech maachen keen Teletravail méi"),
]


@pytest.mark.parametrize("language,text", DENIALS, ids=[d[0] for d in DENIALS])
def test_saying_you_do_not_telework_sets_the_flag_back_and_forgets_the_share(language, text):
    current = {"residence_country": "FR", "work_country": ["LU"], "teleworks": True, "telework_share": 40.0}
    slots = mine_slots(message(text), current=current)
    assert (slots.get("teleworks"), "telework_share" in slots, slots.get("telework_share")) == (False, True, None)
    assert "employment_status" not in slots          # "werk niet meer" before "thuis" is no "not working"
    situation = situation_from_slots({**current, **slots})
    assert situation.teleworks is False and resolve(situation).decision().case == "work_one_state"


def test_a_later_message_silent_about_telework_keeps_the_denial_and_the_yes():
    for earlier in (True, False):
        assert "teleworks" not in mine_slots(message("I live in Thionville and work in Luxembourg"),
                                             current={"teleworks": earlier})


@pytest.mark.parametrize("language,text", [
    ("en", "My employer is based in the Netherlands"),
    ("fr", "Mon employeur est basé aux Pays-Bas"),
    ("de", "Mein Arbeitgeber hat seinen Sitz in den Niederlanden"),
    ("nl", "Mijn werkgever is gevestigd in Nederland"),
    ("lb", "Mäi Patron huet säi Sëtz an Holland"),
])
def test_where_the_employer_is_based_answers_the_question_without_moving_the_user(language, text):
    # The reply asks "tell me where your employer is based" of someone working in two states.
    current = {"residence_country": "DE", "work_country": ["DE", "BE"], "employment_status": "employee",
               "residence_work_share": 10.0}
    slots = mine_slots(message(text), current=current)
    assert slots.get("employer_country") == "NL"
    assert "residence_country" not in slots and "work_country" not in slots
    decision = resolve(situation_from_slots({**current, **slots})).decision()
    assert (decision.case, decision.competent_country) == ("work_several_states_employer_seat", "NL")
