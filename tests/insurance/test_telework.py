"""Telework from home: the framework agreement under Art. 16(1), Art. 13(1)(a) and the share of telework read from
messages in five languages."""
import pytest

from assistant.i18n import LANGUAGES, t
from assistant.insurance import COUNTRIES, Situation, decide, extract, extract_situation, render, resolve
from assistant.insurance.reference_data import load
from assistant.insurance.render import WORD_BUDGET, count_words

AGREEMENT = "Reg. 883/2004 Art. 16(1)"
SUBSTANTIAL = "Reg. 883/2004 Art. 13(1)(a)"
EMPLOYER_SEAT = "Reg. 883/2004 Art. 13(1)(b)(i)"

def _facts(residence, work, share=None, status="employee", **more):
    """Someone living in ``residence`` and employed in ``work`` who teleworks ``share`` % from home."""
    return dict(residence_country=residence, work_countries=[work] if isinstance(work, str) else work,
                status=status, teleworks=True, telework_share=share, **more)


# (label, facts, case, competent country, forms, one expected legal basis)
CASES = [
    ("Thionville, 40 %: LU on request", _facts("FR", "LU", 40, residence_place="Thionville"),
     "telework_framework_agreement", "LU", ("A1", "S072"), AGREEMENT),
    ("Arlon, 30 %: LU on request", _facts("BE", "LU", 30), "telework_framework_agreement", "LU", ("A1", "BL1"),
     AGREEMENT),
    ("Kerkrade, DE employer, 40 %", _facts("NL", "DE", 40, status="frontier_worker"),
     "telework_framework_agreement", "DE", ("A1", "S1"), SUBSTANTIAL),
    ("exactly 25 % is already substantial", _facts("FR", "BE", 25), "telework_framework_agreement", "BE",
     ("A1", "S1"), AGREEMENT),
    ("49.9 % is still under 50 %", _facts("DE", "NL", 49.9), "telework_framework_agreement", "NL", ("A1", "S1"),
     AGREEMENT),
    ("24 % stays in the state of work", _facts("BE", "NL", 24), "telework_below_substantial", "NL", ("S1",),
     EMPLOYER_SEAT),
    ("one day a week (20 %)", _facts("FR", "LU", 20), "telework_below_substantial", "LU", ("S1",),
     "Reg. 883/2004 Art. 11(3)(a)"),
    ("exactly 50 %: state of residence", _facts("DE", "LU", 50), "telework_residence", "DE", (), SUBSTANTIAL),
    ("80 %: state of residence", _facts("LU", "FR", 80), "telework_residence", "LU", (), SUBSTANTIAL),
    ("self-employed, 30 %: no agreement", _facts("BE", "LU", 30, status="self_employed"), "telework_residence",
     "BE", (), "Reg. 883/2004 Art. 13(2)(a)"),
    ("self-employed, 10 %", _facts("BE", "LU", 10, status="self_employed"), "telework_below_substantial", "LU",
     ("BL1",), "Reg. 883/2004 Art. 13(2)(b)"),
    ("share not given: state of work", _facts("FR", "LU"), "telework_share_unknown", "LU", ("S1",),
     "Reg. 883/2004 Art. 11(3)(a)"),
    ("share given as work in the residence state", _facts("FR", ["LU", "FR"], residence_work_share=40),
     "telework_framework_agreement", "LU", ("A1", "S1"), AGREEMENT),
    ("residence state listed, share not given", _facts("FR", ["LU", "FR"]), "telework_share_unknown", "LU", ("S1",),
     SUBSTANTIAL),
]


@pytest.mark.parametrize("label,facts,case,country,forms,basis", CASES, ids=[c[0] for c in CASES])
def test_decide_telework(label, facts, case, country, forms, basis):
    decision = decide(Situation(**facts))
    assert (decision.case, decision.competent_country, decision.forms) == (case, country, forms)
    assert basis in decision.legal_basis
    assert decision.sources and all(s.url.startswith("http") for s in decision.sources)


def test_the_agreement_a1_is_asked_in_the_employer_state():
    expected = {"LU": "lu_ccss", "FR": "fr_urssaf", "BE": "be_onss", "DE": "de_dvka", "NL": "nl_svb"}
    for employer_state, office in expected.items():
        residence = "BE" if employer_state != "BE" else "FR"
        decision = decide(Situation(residence, (employer_state,), "employee", telework_share=30))
        a1 = decision.registration[0]
        assert (a1.form, a1.purpose, a1.issued_by) == ("A1", "telework", office)


def test_all_five_countries_signed_and_each_signature_has_a_source():
    signatories = load("rules")["telework_agreement"]["signatories"]
    assert set(signatories) == set(COUNTRIES)
    assert all(entry["sources"] and entry["confidence"] == "solid" for entry in signatories.values())


THIONVILLE = {
    "en": "I live in Thionville, work in Luxembourg as an employee and telework 40% from home",
    "fr": "J'habite à Thionville, je suis salarié au Luxembourg et je télétravaille 40 % du temps",
    "de": "Ich wohne in Thionville, bin Angestellter in Luxemburg und arbeite zwei Tage pro Woche im Homeoffice",
    "nl": "Ik woon in Thionville, werk in Luxemburg als werknemer en werk 2 dagen per week thuis",
    "lb": "Ech wunnen zu Diddenuewen, schaffen als Salarié zu Lëtzebuerg an hunn 40 % Teletravail",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_thionville_teleworker_gets_luxembourg_on_request_and_france_without(language):
    situation = extract_situation(THIONVILLE[language])
    assert (situation.residence_country, situation.work_countries, situation.telework_share) == ("FR", ("LU",), 40)
    resolution = resolve(situation)
    assert resolution.answerable
    decision = resolution.decision()
    assert decision.competent_country == "LU" and decision.case == "telework_framework_agreement"
    headline = render(decision, language, resolution.assumptions).split("\n")[0]
    assert t("insurance", "country_LU", language) in headline       # competent on request (A1)...
    assert t("insurance", "country_FR", language) in headline       # ...France without the request
    assert "A1" in headline and "25" in headline and "50" in headline


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_share_answers_at_once_with_the_thresholds(language):
    resolution = resolve(Situation(residence_country="BE", work_countries=("LU",), teleworks=True))
    assert resolution.answerable and resolution.ask == ()
    assert [note.key for note in resolution.assumptions] == ["assumed_employee_telework"]
    decision = resolution.decision()
    assert decision.competent_country == "LU" and decision.confidence == "uncertain"
    headline = render(decision, language, resolution.assumptions).split("\n")[0]
    assert "25" in headline and "50" in headline and "A1" in headline


@pytest.mark.parametrize("language", LANGUAGES)
def test_below_and_over_the_thresholds_name_them(language):
    below = render(decide(Situation("BE", ("LU",), "employee", telework_share=20)), language).split("\n")[0]
    over = render(decide(Situation("BE", ("LU",), "employee", telework_share=60)), language).split("\n")[0]
    assert "25" in below and "25" in over and "60" in over


def test_thirty_percent_in_the_residence_state_mentions_the_agreement():
    # Work in two states with 30 % at home: the residence state, unless that part is telework under the agreement.
    decision = decide(Situation("BE", ("BE", "LU"), "employee", residence_work_share=30))
    assert decision.competent_country == "BE"
    assert decision.caveats[0].key == "caveat_telework_agreement_possible"
    for language in LANGUAGES:
        assert "A1" in render(decision, language)
    over = decide(Situation("BE", ("BE", "LU"), "employee", residence_work_share=60))
    assert "caveat_telework_agreement_possible" not in [c.key for c in over.caveats]


def test_work_in_two_states_names_who_decides():
    for situation in (Situation("BE", ("LU",), "employee", telework_share=10),
                      Situation("BE", ("LU",), "employee", telework_share=70),
                      Situation("BE", ("BE", "LU"), "employee", residence_work_share=30)):
        assert "note_residence_institution_decides" in [n.key for n in decide(situation).notes]


def test_income_tax_limit_is_mentioned_only_where_a_source_gives_it():
    notes = [n.key for n in decide(Situation("FR", ("LU",), "employee", telework_share=40)).notes]
    assert "note_telework_tax" in notes
    assert "note_telework_tax" not in [n.key for n in decide(Situation("NL", ("DE",), "employee",
                                                                         telework_share=40)).notes]


def _telework_grid():
    for residence in COUNTRIES:
        for work in COUNTRIES:
            if residence != work:
                for share in (None, 10, 30, 60):
                    yield Situation(residence, (work,), "employee", teleworks=True, telework_share=share)


@pytest.mark.parametrize("language", LANGUAGES)
def test_answer_first_and_short_for_every_pair_and_share(language):
    for situation in _telework_grid():
        reply = render(decide(situation), language)
        assert count_words(reply.split("\n")[0]) <= 60, reply
        assert count_words(reply) <= WORD_BUDGET + 5, reply
        assert "{" not in reply and "](https://" in reply


# (language, message, telework said, share in %)
SHARES = [
    ("en", "I telework 40% from home", True, 40.0),
    ("en", "I work from home 2 days a week", True, 40.0),
    ("en", "one day a week I work from home", True, 20.0),
    ("en", "a day a week at home", True, 20.0),
    ("en", "2 days out of 4 from home", True, 50.0),
    ("en", "I sometimes telework", True, None),
    ("en", "I live in Arlon and work in Luxembourg", False, None),
    ("fr", "je télétravaille deux jours par semaine", True, 40.0),
    ("fr", "télétravail 3 jours sur 5", True, 60.0),
    ("fr", "je fais du télétravail 30 pour cent", True, 30.0),
    ("fr", "Je suis en télétravail", True, None),
    ("fr", "je suis à la maison", False, None),
    ("de", "Ich bin einen Tag pro Woche im Homeoffice", True, 20.0),
    ("de", "2 Tage die Woche Homeoffice", True, 40.0),
    ("de", "40 Prozent Telearbeit", True, 40.0),
    ("nl", "ik werk 2 dagen per week thuis", True, 40.0),
    ("nl", "één dag per week thuiswerken", True, 20.0),
    ("nl", "ik woon thuis bij mijn ouders", False, None),
    ("lb", "Ech maachen zwee Deeg d'Woch Teletravail", True, 40.0),
    ("lb", "eng Dag d'Woch vun doheem", True, 20.0),
]


@pytest.mark.parametrize("language,message,teleworks,share", SHARES, ids=[s[1] for s in SHARES])
def test_telework_share_from_free_text(language, message, teleworks, share):
    situation = extract(message).situation
    assert (situation.teleworks, situation.telework_share) == (teleworks, share)


def test_share_phrasings_cover_the_five_languages():
    from collections import Counter
    counts = Counter(language for language, _, said, share in SHARES if said and share is not None)
    assert set(counts) == set(LANGUAGES) and min(counts.values()) >= 2
