"""The situation extractor on phrasings seen in real users' messages (fr, de, nl, lb, en).

Each table lists (language, message, expected Situation fields); fields not listed must stay empty, so a test
also fails when a fact lands in the wrong field (a pension country taken as the residence, a country in
apposition taken as a second place of work, a denied country kept).
"""
from collections import Counter

import pytest

from assistant.insurance import extract
from assistant.insurance.extract import Extraction
from assistant.insurance.situation import Situation

EMPTY = dict(residence_country=None, work_countries=(), status=None, pension_countries=(), residence_place=None,
             current_insurer=None, sending_country=None, insured_person_country=None, administration_country=None,
             residence_work_share=None)


def _situation_fields(message):
    extraction = extract(message)
    return extraction, {k: getattr(extraction.situation, k) for k in EMPTY}


def _ids(table):
    return [f"{row[0]}:{row[1][:45]}" for row in table]


def _covers_every_language(table, at_least=2):
    counts = Counter(row[0] for row in table)
    return set(counts) == {"fr", "de", "nl", "lb", "en"} and min(counts.values()) >= at_least


# 1. Pension countries given as an adjective or a phrase -------------------------------------------------------
PENSIONS = [
    ("nl", "Ik ben gepensioneerd, krijg alleen een Duits pensioen en woon in Nederland",
     dict(residence_country="NL", status="pensioner", pension_countries=("DE",))),
    ("nl", "Ik krijg een Nederlands pensioen en woon in België",
     dict(residence_country="BE", status="pensioner", pension_countries=("NL",))),
    ("nl", "Ik krijg AOW uit Nederland en woon in België",
     dict(residence_country="BE", status="pensioner", pension_countries=("NL",))),
    ("nl", "Ik krijg een pensioen van de Duitse staat en woon in Nederland",
     dict(residence_country="NL", status="pensioner", pension_countries=("DE",))),
    ("nl", "Mijn pensioen komt uit Luxemburg, ik woon in Maastricht",
     dict(residence_country="NL", status="pensioner", pension_countries=("LU",), residence_place="Maastricht")),
    ("de", "Ich wohne in Frankreich und bekomme eine deutsche Rente",
     dict(residence_country="FR", status="pensioner", pension_countries=("DE",))),
    ("de", "Ich beziehe eine französische Rente und wohne in Saarbrücken",
     dict(residence_country="DE", status="pensioner", pension_countries=("FR",), residence_place="Saarbrücken")),
    ("de", "Ich bin Rentner, bekomme nur eine deutsche Rente und wohne in den Niederlanden",
     dict(residence_country="NL", status="pensioner", pension_countries=("DE",))),
    ("de", "Ich bekomme eine luxemburgische und eine deutsche Rente, wohne in Trier",
     dict(residence_country="DE", status="pensioner", pension_countries=("LU", "DE"), residence_place="Trier")),
    ("de", "Ich bin Rentnerin mit einer belgischen Rente und wohne in Aachen",
     dict(residence_country="DE", status="pensioner", pension_countries=("BE",), residence_place="Aachen")),
    ("fr", "je touche une retraite allemande et j'habite en France",
     dict(residence_country="FR", status="pensioner", pension_countries=("DE",))),
    ("fr", "J'ai une pension belge et je vis à Longwy",
     dict(residence_country="FR", status="pensioner", pension_countries=("BE",), residence_place="Longwy")),
    ("fr", "ma pension est versée par la Belgique, je vis au Luxembourg",
     dict(residence_country="LU", status="pensioner", pension_countries=("BE",))),
    ("fr", "Je touche une retraite belge et une pension luxembourgeoise, j'habite en France",
     dict(residence_country="FR", status="pensioner", pension_countries=("BE", "LU"))),
    ("fr", "je perçois une pension de l'État belge et j'habite à Thionville",
     dict(residence_country="FR", status="pensioner", pension_countries=("BE",), residence_place="Thionville")),
    ("lb", "Ech kréien eng Pensioun aus Lëtzebuerg a wunnen zu Tréier",
     dict(residence_country="DE", status="pensioner", pension_countries=("LU",), residence_place="Trier")),
    ("lb", "ech kréien eng franséisch Pensioun a wunnen zu Esch",
     dict(residence_country="LU", status="pensioner", pension_countries=("FR",), residence_place="Esch-sur-Alzette")),
    ("lb", "meng Rent kënnt aus Däitschland, ech wunnen zu Lëtzebuerg",
     dict(residence_country="LU", status="pensioner", pension_countries=("DE",))),
    ("lb", "Meng Pensioun gëtt vu Frankräich bezuelt an ech wunnen an der Belsch",
     dict(residence_country="BE", status="pensioner", pension_countries=("FR",))),
    ("en", "I get a Belgian state pension and live in Luxembourg",
     dict(residence_country="LU", status="pensioner", pension_countries=("BE",))),
    ("en", "my pension is paid by Germany, I live in France",
     dict(residence_country="FR", status="pensioner", pension_countries=("DE",))),
    ("en", "I'm retired with a Dutch state pension, living in Belgium",
     dict(residence_country="BE", status="pensioner", pension_countries=("NL",))),
    ("en", "I get a German pension and live in France",
     dict(residence_country="FR", status="pensioner", pension_countries=("DE",))),
]


@pytest.mark.parametrize("language,message,expected", PENSIONS, ids=_ids(PENSIONS))
def test_pension_country_from_adjective_or_phrase(language, message, expected):
    extraction, fields = _situation_fields(message)
    assert fields == {**EMPTY, **expected}
    assert extraction.unassigned == [] and extraction.negated == {}


@pytest.mark.parametrize("phrase,country", [
    ("ein Duits pensioen", "DE"), ("een Duitse pensioen", "DE"), ("ein Nederlands pensioen", "NL"),
    ("een Luxemburgse pensioen", "LU"), ("een Belgisch pensioen", "BE"), ("een Frans pensioen", "FR"),
    ("eine belgischen Rente", "BE"), ("einer französischen Rente", "FR"), ("ein deutsches Ruhegehalt", "DE"),
    ("eine niederländische Rente", "NL"), ("eine luxemburgische Altersrente", "LU"),
    ("une pension néerlandaise", "NL"), ("une retraite allemande", "DE"), ("deux pensions belges", "BE"),
    ("la retraite luxembourgeoise", "LU"), ("une pension française", "FR"),
    ("eng franséischer Pensioun", "FR"), ("eng däitsch Pensioun", "DE"), ("eng belsch Pensioun", "BE"),
    ("eng lëtzebuergesch Pensioun", "LU"), ("eng hollännesch Pensioun", "NL"),
    ("a Belgian state pension", "BE"), ("a Luxembourgish pension", "LU"),
])
def test_inflected_adjectives_next_to_a_pension_word(phrase, country):
    situation = extract(phrase).situation
    assert situation.pension_countries == (country,) and situation.residence_country is None


def test_pension_tables_cover_every_language():
    assert _covers_every_language(PENSIONS, at_least=4)


@pytest.mark.parametrize("message", ["I pay rent in Belgium", "my rent in Luxembourg is too high"])
def test_english_rent_is_not_a_pension(message):
    situation = extract(message).situation
    assert situation.pension_countries == () and situation.status is None


# 2. A place with its country (or region) in apposition is one location ----------------------------------------
APPOSITIONS = [
    ("de", "ich wohne in Forbach in Frankreich und arbeite in Saarbrücken",
     dict(residence_country="FR", work_countries=("DE",), residence_place="Forbach")),
    ("de", "Ich lebe in Forbach (Frankreich) und arbeite in Saarbrücken",
     dict(residence_country="FR", work_countries=("DE",), residence_place="Forbach")),
    ("de", "Ich wohne in Perl im Saarland und arbeite in Remich",
     dict(residence_country="DE", work_countries=("LU",), residence_place="Perl")),
    ("de", "ich wohne in Frankreich, in Forbach, und arbeite in Saarbrücken",
     dict(residence_country="FR", work_countries=("DE",), residence_place="Forbach")),
    ("fr", "je vis à Arlon en Belgique et je travaille au Luxembourg",
     dict(residence_country="BE", work_countries=("LU",), residence_place="Arlon")),
    ("fr", "j'habite à Longwy en France mais je bosse à Esch au Luxembourg",
     dict(residence_country="FR", work_countries=("LU",), residence_place="Longwy")),
    ("fr", "je vis à Thionville en Moselle et je travaille au Luxembourg",
     dict(residence_country="FR", work_countries=("LU",), residence_place="Thionville")),
    ("fr", "j'habite en province de Luxembourg, à Bastogne",
     dict(residence_country="BE", residence_place="Bastogne")),
    ("nl", "ik woon in Kerkrade (Nederland) en werk in Aken",
     dict(residence_country="NL", work_countries=("DE",), residence_place="Kerkrade")),
    ("nl", "ik woon in Maastricht, Nederland en werk in Luik, België",
     dict(residence_country="NL", work_countries=("BE",), residence_place="Maastricht")),
    ("nl", "Ik woon in Nederland, in Vaals", dict(residence_country="NL", residence_place="Vaals")),
    ("lb", "ech wunnen zu Arel an der Belsch a schaffen zu Lëtzebuerg",
     dict(residence_country="BE", work_countries=("LU",), residence_place="Arlon")),
    ("lb", "Ech wunnen zu Tréier an Däitschland a schaffen zu Réimech",
     dict(residence_country="DE", work_countries=("LU",), residence_place="Trier")),
    ("en", "I live in Thionville, France and work in Luxembourg",
     dict(residence_country="FR", work_countries=("LU",), residence_place="Thionville")),
    ("en", "I live in Kerkrade in the Netherlands and work in Aachen in Germany",
     dict(residence_country="NL", work_countries=("DE",), residence_place="Kerkrade")),
    ("en", "I live in Thionville (France) and work in Luxembourg City",
     dict(residence_country="FR", work_countries=("LU",), residence_place="Thionville")),
]


@pytest.mark.parametrize("language,message,expected", APPOSITIONS, ids=_ids(APPOSITIONS))
def test_place_and_its_country_are_one_location(language, message, expected):
    extraction, fields = _situation_fields(message)
    assert fields == {**EMPTY, **expected}
    assert extraction.unassigned == [] and extraction.conflicts == []
    # The less precise name points to the precise one and keeps the same roles.
    duplicates = [m for m in extraction.mentions if m.same_as is not None]
    assert duplicates
    for mention in duplicates:
        kept = extraction.mentions[mention.same_as]
        assert kept.location.value == mention.location.value and kept.roles == mention.roles


@pytest.mark.parametrize("message,expected", [
    # Two towns of one country, or two countries: two locations.
    ("ich wohne in Trier, in Bitburg arbeite ich",
     dict(residence_country="DE", work_countries=("DE",), residence_place="Trier")),
    ("je vis à Metz, au Luxembourg je travaille",
     dict(residence_country="FR", work_countries=("LU",), residence_place="Metz")),
    ("je travaille en Belgique, au Luxembourg et en France", dict(work_countries=("BE", "LU", "FR"))),
])
def test_different_places_are_not_apposition(message, expected):
    assert _situation_fields(message)[1] == {**EMPTY, **expected}


def test_apposition_tables_cover_every_language():
    assert _covers_every_language(APPOSITIONS)


# 3. Corrections and negations --------------------------------------------------------------------------------
CORRECTIONS = [
    ("de", "ich arbeite doch in Trier, nicht in Luxemburg", dict(work_countries=("DE",)), {"work": ["LU"]}),
    ("de", "Ich wohne nicht mehr in Luxemburg, sondern in Trier",
     dict(residence_country="DE", residence_place="Trier"), {"residence": ["LU"]}),
    ("de", "eigentlich wohne ich in Perl", dict(residence_country="DE", residence_place="Perl"), {}),
    ("de", "Ich habe keinen Wohnsitz in Deutschland", {}, {"residence": ["DE"]}),
    ("fr", "non, je travaille en Allemagne, pas au Luxembourg", dict(work_countries=("DE",)), {"work": ["LU"]}),
    ("fr", "je ne travaille pas au Luxembourg mais en France", dict(work_countries=("FR",)), {"work": ["LU"]}),
    ("fr", "en fait j'habite à Thionville", dict(residence_country="FR", residence_place="Thionville"), {}),
    ("fr", "je ne vis plus en France, j'habite à Arlon",
     dict(residence_country="BE", residence_place="Arlon"), {"residence": ["FR"]}),
    ("nl", "nee, ik werk in België en niet in Nederland", dict(work_countries=("BE",)), {"work": ["NL"]}),
    ("nl", "ik werk niet in Nederland maar in België", dict(work_countries=("BE",)), {"work": ["NL"]}),
    ("nl", "eigenlijk woon ik in Kerkrade", dict(residence_country="NL", residence_place="Kerkrade"), {}),
    ("nl", "ik woon niet meer in Nederland", {}, {"residence": ["NL"]}),
    ("lb", "neen, ech schaffen net zu Lëtzebuerg mee zu Tréier", dict(work_countries=("DE",)), {"work": ["LU"]}),
    ("lb", "ech wunnen net méi zu Lëtzebuerg mee zu Tréier",
     dict(residence_country="DE", residence_place="Trier"), {"residence": ["LU"]}),
    ("lb", "eigentlech wunnen ech zu Diddeleng", dict(residence_country="LU", residence_place="Dudelange"), {}),
    ("en", "not in France, I live in Belgium", dict(residence_country="BE"), {"residence": ["FR"]}),
    ("en", "I do not work in Germany but in Luxembourg", dict(work_countries=("LU",)), {"work": ["DE"]}),
    ("en", "actually I work in Luxembourg, not in Belgium", dict(work_countries=("LU",)), {"work": ["BE"]}),
    ("en", "I don't live in France, I live in Belgium", dict(residence_country="BE"), {"residence": ["FR"]}),
    # A denied pension or status.
    ("de", "Ich habe keine deutsche Rente", {}, {"pension": ["DE"]}),
    ("nl", "ik krijg geen AOW, ik woon in België", dict(residence_country="BE"), {"pension": ["NL"]}),
    ("fr", "je ne suis pas retraité, je travaille au Luxembourg", dict(work_countries=("LU",)),
     {"status": ["pensioner"]}),
    ("de", "Ich bin kein Rentner und arbeite in Luxemburg", dict(work_countries=("LU",)), {"status": ["pensioner"]}),
    ("en", "I'm not retired, I work in Luxembourg", dict(work_countries=("LU",)), {"status": ["pensioner"]}),
]


@pytest.mark.parametrize("language,message,expected,negated", CORRECTIONS, ids=_ids(CORRECTIONS))
def test_corrections_change_only_the_field_they_name(language, message, expected, negated):
    extraction, fields = _situation_fields(message)
    assert fields == {**EMPTY, **expected}
    assert extraction.negated == negated
    assert extraction.unassigned == []          # a denied country is never offered as a bare answer
    assert extraction.correction


def test_correction_tables_cover_every_language():
    assert _covers_every_language(CORRECTIONS, at_least=3)


@pytest.mark.parametrize("message,expected,unassigned", [
    # "not only ... but also": both are asserted.
    ("Ich arbeite nicht nur in Luxemburg, sondern auch in Belgien", dict(work_countries=("LU", "BE")), []),
    ("je ne travaille qu'au Luxembourg", dict(work_countries=("LU",)), []),
    # Dutch "net" (just) and "pas" (only since), English "net": no negation.
    ("ik ben net in België komen wonen", dict(residence_country="BE"), []),
    ("Ik woon pas sinds 2020 in België", dict(residence_country="BE"), []),
    ("I earn a net salary in Luxembourg", {}, ["LU"]),
    # "I don't know whether", "not far from": no negation of the place.
    ("Ik weet niet of ik in België verzekerd ben", {}, ["BE"]),
    ("un hosto pas loin de Courtrai côté français ?", {}, ["BE"]),
    # A not-working phrase with no place after it is still a status.
    ("Ech schaffen net a wunnen zu Esch",
     dict(residence_country="LU", status="not_working", residence_place="Esch-sur-Alzette"), []),
    ("Ich arbeite nicht, wohne in Trier",
     dict(residence_country="DE", status="not_working", residence_place="Trier"), []),
    # Denying a town of the country the message asserts denies no country.
    ("Ech wunnen zu Esch, net zu Diddeleng", dict(residence_country="LU", residence_place="Esch-sur-Alzette"), []),
])
def test_what_is_not_a_negation(message, expected, unassigned):
    extraction, fields = _situation_fields(message)
    assert fields == {**EMPTY, **expected}
    assert extraction.negated == {} and extraction.unassigned == unassigned


def test_negated_mentions_are_marked_for_callers():
    extraction = extract("ich arbeite doch in Trier, nicht in Luxemburg")
    denied = [m for m in extraction.mentions if m.negated]
    assert [(m.text, m.roles) for m in denied] == [("Luxemburg", ["work"])]
    assert {"text": "Luxemburg", "kinds": ["country"], "roles": ["work"], "fuzzy": False, "negated": True} \
        in extraction.describe()


def test_plain_messages_are_not_corrections():
    extraction = extract("I live in Arlon and work in Luxembourg as an employee")
    assert extraction.negated == {} and not extraction.correction


# 4. Several places in one message, each to its role; informal verbs ------------------------------------------
SEVERAL_PLACES = [
    ("en", "I live in Kerkrade, work in Aachen and my wife works in Heerlen",
     dict(residence_country="NL", work_countries=("DE",), residence_place="Kerkrade", insured_person_country="NL")),
    ("en", "I commute from Thionville to Luxembourg City every day",
     dict(residence_country="FR", work_countries=("LU",), residence_place="Thionville")),
    ("de", "Ich wohne in Perl, arbeite in Remich und bin bei der AOK versichert",
     dict(residence_country="DE", work_countries=("LU",), residence_place="Perl", current_insurer="AOK")),
    ("de", "i schaff in Luxemburg und wohn in Perl",
     dict(residence_country="DE", work_countries=("LU",), residence_place="Perl")),
    ("de", "Ich wohn in Saarlouis und schaffe in Luxemburg",
     dict(residence_country="DE", work_countries=("LU",), residence_place="Saarlouis")),
    ("de", "ich pendle von Trier nach Luxemburg",
     dict(residence_country="DE", work_countries=("LU",), residence_place="Trier")),
    ("de", "Ich wohne in Merzig und jobbe in Luxemburg",
     dict(residence_country="DE", work_countries=("LU",), residence_place="Merzig")),
    ("fr", "je vis à Longwy et je bosse à Esch",
     dict(residence_country="FR", work_countries=("LU",), residence_place="Longwy")),
    ("fr", "je taffe au Luxembourg et j'habite à Longwy",
     dict(residence_country="FR", work_countries=("LU",), residence_place="Longwy")),
    ("fr", "je fais la navette de Thionville à Luxembourg",
     dict(residence_country="FR", work_countries=("LU",), residence_place="Thionville")),
    ("nl", "wonend in Maastricht, werkzaam in Luik",
     dict(residence_country="NL", work_countries=("BE",), residence_place="Maastricht")),
    ("nl", "Ik woon in Kerkrade en pendel naar Aken",
     dict(residence_country="NL", work_countries=("DE",), residence_place="Kerkrade")),
    ("nl", "Ik woon in Heerlen, mijn man werkt in Aken en ik ben meeverzekerd",
     dict(residence_country="NL", status="family_member", residence_place="Heerlen", insured_person_country="DE")),
    ("lb", "Wunnen zu Diddeleng, schaffen zu Thionville",
     dict(residence_country="LU", work_countries=("FR",), residence_place="Dudelange")),
    ("lb", "Ech wunnen zu Esch a jobben zu Tréier",
     dict(residence_country="LU", work_countries=("DE",), residence_place="Esch-sur-Alzette")),
    ("lb", "Mir wunnen zu Péiteng, mäi Mann schafft zu Arel",
     dict(residence_country="LU", residence_place="Pétange", insured_person_country="BE")),
]


@pytest.mark.parametrize("language,message,expected", SEVERAL_PLACES, ids=_ids(SEVERAL_PLACES))
def test_each_place_gets_its_own_role(language, message, expected):
    extraction, fields = _situation_fields(message)
    assert fields == {**EMPTY, **expected}
    assert extraction.unassigned == [] and extraction.conflicts == []


def test_several_places_tables_cover_every_language():
    assert _covers_every_language(SEVERAL_PLACES)


# 5. Questions mixed with facts; hypothetical "another member state" -----------------------------------------
QUESTIONS = [
    ("fr", "Je vis en Meurthe-et-Moselle et je travaille au Luxembourg : quel formulaire la CNS envoie-t-elle "
           "à la CPAM ?",
     dict(residence_country="FR", work_countries=("LU",), residence_place="Meurthe-et-Moselle")),
    ("en", "Which form do I need if I live in France and work in Luxembourg?",
     dict(residence_country="FR", work_countries=("LU",))),
    ("de", "Ich wohne in Trier und arbeite in Luxemburg, welches Formular schickt die CNS an die AOK?",
     dict(residence_country="DE", work_countries=("LU",), residence_place="Trier")),
    ("nl", "Ik woon in Kerkrade en werk in Aken: betaalt CZ of de AOK mijn zorg?",
     dict(residence_country="NL", work_countries=("DE",), residence_place="Kerkrade")),
    ("lb", "Ech wunnen zu Arel a schaffen zu Lëtzebuerg, wien bezillt, d'CNS oder Partenamut?",
     dict(residence_country="BE", work_countries=("LU",), residence_place="Arlon")),
    # One's own insurer named in a question is still one's insurer.
    ("de", "Ich bin bei der AOK versichert, welches Formular brauche ich?", dict(current_insurer="AOK")),
    ("nl", "Valt mijn vrouw onder mijn Duitse AOK of onder de CM?", dict(current_insurer="AOK")),
    ("en", "is my Techniker Krankenkasse still competent if I live across the border in Vaals?",
     dict(residence_country="NL", residence_place="Vaals", current_insurer="Techniker Krankenkasse")),
]


@pytest.mark.parametrize("language,message,expected", QUESTIONS, ids=_ids(QUESTIONS))
def test_questions_keep_their_facts_and_insurers_asked_about_are_not_the_persons(language, message, expected):
    extraction, fields = _situation_fields(message)
    assert fields == {**EMPTY, **expected}
    assert extraction.unassigned == []


HYPOTHETICAL = [
    ("en", "I live in one member state and work in another. What form gives me healthcare where I live?"),
    ("en", "What if I work in another member state?"),
    ("fr", "je vis dans un autre État membre"),
    ("fr", "Quel formulaire si je vis dans un autre État membre que celui où je travaille ?"),
    ("de", "Welches Formular brauche ich, wenn ich in einem anderen Mitgliedstaat arbeite?"),
    ("de", "ich wohne in einem anderen Mitgliedstaat"),
    ("nl", "Welk formulier heb ik nodig als ik in een andere lidstaat woon?"),
    ("nl", "ik werk in een ander EU-land"),
    ("lb", "Wat fir e Formulaire brauch ech wann ech an engem anere Memberstaat wunnen?"),
    ("lb", "Ech schaffen an engem anere Land vun der EU"),
]


@pytest.mark.parametrize("language,message", HYPOTHETICAL, ids=_ids(HYPOTHETICAL))
def test_another_member_state_never_yields_a_country(language, message):
    extraction, fields = _situation_fields(message)
    assert fields == EMPTY
    assert extraction.unassigned == [] and extraction.negated == {}


def test_question_tables_cover_every_language():
    assert _covers_every_language(QUESTIONS + [(lang, msg, {}) for lang, msg in HYPOTHETICAL], at_least=2)


# API ---------------------------------------------------------------------------------------------------------
def test_extraction_stays_constructible_as_before():
    # Callers and tests built Extraction with five fields; the new ones have defaults.
    extraction = Extraction(Situation(), [], [], None, [])
    assert extraction.negated == {} and extraction.correction is False


# "My employer" (an employee phrase) does not hide a posting ------------------------------------------------------
# "mon employeur", "my employer"... say employee, and the lexicon matches the longest phrase from its first word:
# the posting phrase after them ("m'envoie", "sends me") and the employer's adjective ("belge") must still count.
EMPLOYER_POSTING = [
    ("fr", "détaché par mon employeur belge en Allemagne", dict(status="posted_worker", sending_country="BE")),
    ("fr", "J'habite à Arlon et mon employeur m'envoie en Allemagne",
     dict(residence_country="BE", residence_place="Arlon", status="posted_worker", work_countries=("DE",))),
    ("en", "I live in Arlon and my employer sends me to Germany",
     dict(residence_country="BE", residence_place="Arlon", status="posted_worker", work_countries=("DE",))),
    ("de", "Ich wohne in Trier und mein Arbeitgeber schickt mich nach Frankreich",
     dict(residence_country="DE", residence_place="Trier", status="posted_worker", work_countries=("FR",))),
    ("nl", "mijn werkgever stuurt mij naar Duitsland", dict(status="posted_worker", work_countries=("DE",))),
]


@pytest.mark.parametrize("language,message,expected", EMPLOYER_POSTING, ids=_ids(EMPLOYER_POSTING))
def test_posting_wins_over_my_employer(language, message, expected):
    extraction, fields = _situation_fields(message)
    assert fields == {**EMPTY, **expected}


def test_my_employer_still_says_employee_and_names_the_employers_country():
    situation = extract("I live in Arlon and my employer is in Luxembourg").situation
    assert (situation.status, situation.work_countries, situation.employer_country) == ("employee", ("LU",), "LU")
    assert extract("détaché par mon employeur belge en Allemagne").situation.employer_country == "BE"


# 4. "I do not work" with a pension, and a work country only as a plan -------------------------------------------
NOT_WORKING_PENSIONERS = [
    ("nl", "Ik woon in België en krijg uitsluitend één of meer pensioen(en) uit Nederland. Ik werk niet. "
           "Wat als ik in België ga werken?", dict(residence_country="BE", pension_countries=("NL",))),
    ("nl", "Ik woon in België en krijg een pensioen uit Nederland. Ik werk niet. Ik hoor dat wanneer ik in België "
           "ga werken, ik geen premies in Nederland meer hoef te betalen.",
     dict(residence_country="BE", pension_countries=("NL",))),
    ("fr", "J'habite en France, je touche une pension luxembourgeoise et je ne travaille pas. "
           "Et si je travaille en Belgique plus tard ?", dict(residence_country="FR", pension_countries=("LU",))),
    ("de", "Ich wohne in Belgien, bekomme eine deutsche Rente und arbeite nicht. Was passiert, wenn ich in "
           "Luxemburg arbeiten würde?", dict(residence_country="BE", pension_countries=("DE",))),
    ("lb", "Ech wunnen zu Lëtzebuerg, kréien eng franséisch Pensioun an ech schaffen net. A wann ech an "
           "d'Belsch schaffe ginn?", dict(residence_country="LU", pension_countries=("FR",))),
    ("en", "I live in Belgium, get a Dutch pension and I don't work. What if I start working in Germany?",
     dict(residence_country="BE", pension_countries=("NL",))),
]


def test_work_a_pensioner_states_stays_work():
    # "not working" phrases that only limit the work ("pas le week-end") do not erase the work stated after them.
    situation = extract("J'habite en France, je touche une pension belge. Je ne travaille pas le week-end mais "
                        "je travaille au Luxembourg").situation
    assert situation.work_countries == ("LU",) and situation.pension_countries == ("BE",)
    # Without a pension, nothing hides the work country.
    assert extract("I do not work full time, I work part-time in Luxembourg and live in Belgium"
                   ).situation.work_countries == ("LU",)


@pytest.mark.parametrize("language,message,expected", NOT_WORKING_PENSIONERS, ids=_ids(NOT_WORKING_PENSIONERS))
def test_who_does_not_work_and_draws_a_pension_is_a_pensioner(language, message, expected):
    # The planned work country must not turn the person into a worker, nor leave them "not working" in their
    # state of residence: the pension country pays (Art. 24), and the planned country is kept as unassigned.
    extraction, fields = _situation_fields(message)
    assert fields == {**EMPTY, **expected, "status": "pensioner"}
    assert len(extraction.unassigned) == 1


# The country one moves to is the residence.
MOVES = [
    ("de", "ich ziehe in die Niederlande und arbeite weiter in Aachen",
     dict(residence_country="NL", work_countries=("DE",))),
    ("de", "Wir ziehen in die Wallonie, ich arbeite weiter in Luxemburg",
     dict(residence_country="BE", work_countries=("LU",), residence_place="Wallonie")),
    ("fr", "Nous allons déménager en Belgique et je travaille toujours au Luxembourg",
     dict(residence_country="BE", work_countries=("LU",))),
    ("nl", "We verhuizen naar België en ik blijf in Nederland werken",
     dict(residence_country="BE", work_countries=("NL",))),
    ("lb", "Mir plënneren an d'Belsch an ech schaffe weider zu Lëtzebuerg",
     dict(residence_country="BE", work_countries=("LU",))),
    ("en", "We are moving to Belgium and I keep working in Luxembourg",
     dict(residence_country="BE", work_countries=("LU",))),
]


# German, Dutch and Luxembourgish put the verb last in a subordinate clause: it names the place before it.
VERB_LAST = [
    ("de", "da ich in Belgien arbeite und in Frankreich wohne", dict(residence_country="FR", work_countries=("BE",))),
    ("nl", "omdat ik in België werk en in Nederland woon", dict(residence_country="NL", work_countries=("BE",))),
    ("lb", "well ech zu Lëtzebuerg schaffen an zu Tréier wunnen",
     dict(residence_country="DE", work_countries=("LU",), residence_place="Trier")),
    ("fr", "parce que je travaille en Belgique et habite en France",
     dict(residence_country="FR", work_countries=("BE",))),
    ("en", "because I work in Belgium and live in France", dict(residence_country="FR", work_countries=("BE",))),
]


@pytest.mark.parametrize("language,message,expected", MOVES + VERB_LAST, ids=_ids(MOVES + VERB_LAST))
def test_the_verb_gives_the_place_its_role(language, message, expected):
    # The country one moves to is the residence; a verb at the end of a clause names the place before it.
    assert _situation_fields(message)[1] == {**EMPTY, **expected}


# 8. Moving house: the place moved to is the new residence, the place left decides nothing ---------------------
MOVES = [
    ("nl", "Ik ga naar Frankrijk verhuizen. Hoe verzeker ik me tegen ziektekosten?", dict(residence_country="FR")),
    ("nl", "Ik vestig mij in Frankrijk, wat gebeurt er met mijn zorgverzekering?", dict(residence_country="FR")),
    ("nl", "Wij zijn naar België geëmigreerd en werken niet meer",
     dict(residence_country="BE", status="not_working")),
    ("nl", "Ik verhuis van België naar Nederland", dict(residence_country="NL")),
    ("nl", "Ik verhuis naar Maastricht en blijf in Aken werken",
     dict(residence_country="NL", residence_place="Maastricht", work_countries=("DE",))),
    ("fr", "je déménage de France en Belgique, où serai-je assuré ?", dict(residence_country="BE")),
    ("fr", "Nous allons nous installer en Allemagne l'an prochain", dict(residence_country="DE")),
    ("de", "Ich möchte nach Frankreich auswandern, wo bin ich versichert?", dict(residence_country="FR")),
    ("de", "Wir sind von Belgien nach Deutschland umgezogen", dict(residence_country="DE")),
    ("lb", "ech plënneren op Lëtzebuerg a schaffen zu Tréier",
     dict(residence_country="LU", work_countries=("DE",))),
    ("lb", "mir sinn vun Arel op Lëtzebuerg geplënnert", dict(residence_country="LU")),
    ("en", "I am moving from France to Belgium, where will I be insured?", dict(residence_country="BE")),
    ("en", "We are relocating to the Netherlands but I keep my job in Germany",
     dict(residence_country="NL", work_countries=("DE",))),
    ("en", "I moved to Luxembourg from France and work in Belgium", dict(residence_country="LU", work_countries=("BE",))),
    # The place left is not a pension country, nor any other fact.
    ("fr", "Je suis retraité et je déménage de France en Belgique", dict(residence_country="BE", status="pensioner")),
    ("en", "I'm a pensioner moving to Belgium from the Netherlands", dict(residence_country="BE", status="pensioner")),
    ("de", "Ich bin aus Luxemburg nach Trier gezogen", dict(residence_country="DE", residence_place="Trier")),
    # Moving a thing is not moving house.
    ("en", "Can I move my appointment to the hospital in Luxembourg?", dict()),
    ("fr", "puis-je déménager mon dossier médical en Belgique ?", dict()),
]


@pytest.mark.parametrize("language,message,expected", MOVES, ids=_ids(MOVES))
def test_the_place_moved_to_is_the_residence(language, message, expected):
    _, fields = _situation_fields(message)
    assert fields == {**EMPTY, **expected}


def test_moves_cover_every_language():
    assert _covers_every_language(MOVES, at_least=2)
