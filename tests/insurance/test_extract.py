"""extract_situation(): facts already present in messages in fr, de, nl, lb, en."""
import pytest

from assistant.insurance import extract, extract_situation

# (language, message, expected fields; fields not listed must stay empty)
MESSAGES = [
    # English
    ("en", "I live in Arlon and work in Luxembourg as an employee",
     dict(residence_country="BE", work_countries=("LU",), status="employee", residence_place="Arlon")),
    ("en", "I live and work in Luxembourg", dict(residence_country="LU", work_countries=("LU",))),
    ("en", "I live in Esch and work in Saarbrucken, self employed",
     dict(residence_country="LU", work_countries=("DE",), status="self_employed", residence_place="Esch-sur-Alzette")),
    ("en", "I am posted by my Belgian employer to Germany, I live in Belgium",
     dict(residence_country="BE", work_countries=("DE",), status="posted_worker", sending_country="BE")),
    ("en", "I'm retired in Arlon, my pension comes from the Netherlands",
     dict(residence_country="BE", status="pensioner", pension_countries=("NL",), residence_place="Arlon")),
    ("en", "I live in Luxembourg, my pension is paid by France and Belgium",
     dict(residence_country="LU", status="pensioner", pension_countries=("FR", "BE"))),
    ("en", "my insurer is Partenamut, I live in Liège and work in Maastricht as an employee",
     dict(residence_country="BE", work_countries=("NL",), status="employee", residence_place="Liège",
          current_insurer="Partenamut")),
    # French
    ("fr", "je suis retraité, ma pension vient de Belgique, j'habite à Longwy",
     dict(residence_country="FR", status="pensioner", pension_countries=("BE",), residence_place="Longwy")),
    ("fr", "Je suis frontalier belge, je bosse au Luxembourg et je vis à Athus",
     dict(residence_country="BE", work_countries=("LU",), status="frontier_worker", residence_place="Athus")),
    ("fr", "Mon mari travaille au Luxembourg, nous habitons à Thionville, je suis co-assurée",
     dict(residence_country="FR", status="family_member", insured_person_country="LU", residence_place="Thionville")),
    ("fr", "Je suis fonctionnaire au Luxembourg et j'habite en Belgique",
     dict(residence_country="BE", work_countries=("LU",), status="civil_servant")),
    ("fr", "Je vis à Luxembourg-ville mais je travaille à Metz comme salariée",
     dict(residence_country="LU", work_countries=("FR",), status="employee", residence_place="Luxembourg-Ville")),
    ("fr", "J'habite dans la province de Luxembourg et je travaille au Grand-Duché",
     dict(residence_country="BE", work_countries=("LU",), residence_place="Province de Luxembourg")),
    ("fr", "je travaille en Belgique et au Luxembourg, j'habite en Belgique, 30 % en Belgique",
     dict(residence_country="BE", work_countries=("BE", "LU"), residence_work_share=30.0)),
    # German
    ("de", "Ich wohne in Saarbrücken und arbeite als Grenzgängerin in Frankreich",
     dict(residence_country="DE", work_countries=("FR",), status="frontier_worker", residence_place="Saarbrücken")),
    ("de", "In Luxemburg arbeite ich, wohne aber in Trier. Ich bin Angestellter.",
     dict(residence_country="DE", work_countries=("LU",), status="employee", residence_place="Trier")),
    ("de", "Ich bin von meinem deutschen Arbeitgeber nach Luxemburg entsandt und wohne in Trier",
     dict(residence_country="DE", work_countries=("LU",), status="posted_worker", sending_country="DE",
          residence_place="Trier")),
    ("de", "Ich wohne in Frankreich, bin Rentner und bekomme eine deutsche Rente",
     dict(residence_country="FR", status="pensioner", pension_countries=("DE",))),
    ("de", "Ich wohne in Aachen und arbeite in Belgien und in den Niederlanden",
     dict(residence_country="DE", work_countries=("BE", "NL"), residence_place="Aachen")),
    ("de", "Ich bin arbeitslos und wohne in Deutschland, vorher habe ich in den Niederlanden gearbeitet",
     dict(residence_country="DE", work_countries=("NL",), status="unemployed")),
    # Dutch
    ("nl", "Ik woon in Kerkrade en werk in Aken als werknemer",
     dict(residence_country="NL", work_countries=("DE",), status="employee", residence_place="Kerkrade")),
    ("nl", "Ik woon en werk in Nederland als zelfstandige",
     dict(residence_country="NL", work_countries=("NL",), status="self_employed")),
    ("nl", "Ik ben student en woon in België", dict(residence_country="BE", status="student")),
    ("nl", "Ik ben gepensioneerd, woon in Duitsland en krijg AOW",
     dict(residence_country="DE", status="pensioner", pension_countries=("NL",))),
    # Luxembourgish
    ("lb", "Ech wunnen zu Arel a schaffen zu Lëtzebuerg",
     dict(residence_country="BE", work_countries=("LU",), residence_place="Arlon")),
    ("lb", "Ech sinn pensionéiert, kréien eng Pensioun aus Lëtzebuerg a wunnen an der Belsch",
     dict(residence_country="BE", status="pensioner", pension_countries=("LU",))),
    ("lb", "Mäi Mann schafft zu Lëtzebuerg, mir wunnen zu Diddenuewen",
     dict(residence_country="FR", insured_person_country="LU", residence_place="Thionville")),
    ("lb", "Ech schaffen net a wunnen zu Esch",
     dict(residence_country="LU", status="not_working", residence_place="Esch-sur-Alzette")),
    ("lb", "Ech sinn Grenzgänger, wunnen zu Tréier a schaffen zu Gréiwemaacher",
     dict(residence_country="DE", work_countries=("LU",), status="frontier_worker", residence_place="Trier")),
]

EMPTY = dict(residence_country=None, work_countries=(), status=None, pension_countries=(), residence_place=None,
             current_insurer=None, sending_country=None, insured_person_country=None, administration_country=None,
             residence_work_share=None)


@pytest.mark.parametrize("language,message,expected", MESSAGES, ids=[m[1][:40] for m in MESSAGES])
def test_extracts_what_the_message_says(language, message, expected):
    situation = extract_situation(message)
    assert {k: getattr(situation, k) for k in EMPTY} == {**EMPTY, **expected}


def test_every_language_is_covered_by_at_least_four_messages():
    from collections import Counter
    counts = Counter(m[0] for m in MESSAGES)
    assert set(counts) == {"fr", "de", "nl", "lb", "en"} and min(counts.values()) >= 4


@pytest.mark.parametrize("message,field,value", [
    ("I live in Arlonn and work in Luxembourgg as an employe", "residence_country", "BE"),
    ("I live in Arlonn and work in Luxembourgg as an employe", "work_countries", ("LU",)),
    ("j'habitte à Thionvile et je travail au Luxembourg", "residence_place", "Thionville"),
    ("Ich wohne in Saarbruecken und arbeite in Luxembourg", "residence_country", "DE"),
    ("I live in Belgiun and I'm a pensionner with a Dutch pension", "pension_countries", ("NL",)),
])
def test_tolerates_typos(message, field, value):
    assert getattr(extract_situation(message), field) == value


@pytest.mark.parametrize("message", [
    "Je rentre en France chaque soir",          # "rentre" is not the German "Rente"
    "Bonjour, j'ai une question",
    "",
])
def test_does_not_invent_facts(message):
    situation = extract_situation(message)
    assert situation.pension_countries == () and situation.status is None


def test_nationality_alone_is_not_a_residence():
    situation = extract_situation("Je suis belge et j'habite en France")
    assert situation.residence_country == "FR"


def test_short_insurer_acronyms_only_in_capitals():
    assert extract_situation("Ich bin bei der AOK versichert").current_insurer == "AOK"
    assert extract_situation("ich wohne ca. 5 km von aok entfernt").current_insurer is None


@pytest.mark.parametrize("message,language", [
    ("Ech wunnen zu Arel a schaffen zu Lëtzebuerg", "lb"),
    ("Ik woon in Kerkrade en werk in Aken als werknemer", "nl"),
    ("Ich wohne in Trier und arbeite in Luxemburg", "de"),
    ("j'habite à Longwy et je travaille au Luxembourg", "fr"),
    ("I live in Arlon and work in Luxembourg", "en"),
])
def test_language_hint(message, language):
    assert extract(message).language_hint == language


def test_typos_still_work_without_rapidfuzz(monkeypatch):
    # The Rasa server's environment has no rapidfuzz: the standard-library fallback must do the same job.
    from assistant.insurance import lexicon as lexicon_module
    monkeypatch.setattr(lexicon_module, "process", None)
    situation = extract_situation("I live in Arlonn and work in Luxembourgg as an employe")
    assert (situation.residence_country, situation.work_countries, situation.status) == ("BE", ("LU",), "employee")


def test_similar_but_different_words_are_not_matched():
    # "versichert" is not "mitversichert": the person is a frontier worker, not a co-insured family member.
    situation = extract_situation("Ich bin Grenzgänger, wohne in Forbach und arbeite in Saarbrücken, bei der AOK versichert")
    assert situation.status == "frontier_worker"
    assert (situation.residence_country, situation.work_countries, situation.current_insurer) == ("FR", ("DE",), "AOK")
