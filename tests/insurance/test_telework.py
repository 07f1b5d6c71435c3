"""Telework from home: the framework agreement under Art. 16(1), Art. 13(1)(a) and the share of telework read from
messages in five languages."""
from dataclasses import replace

import pytest

from assistant.i18n import LANGUAGES, t
from assistant.insurance import COUNTRIES, Situation, decide, extract, extract_situation, render, resolve
from assistant.insurance.reference_data import load
from assistant.insurance.render import WORD_BUDGET, count_words, render_caveats

AGREEMENT = "Reg. 883/2004 Art. 16(1)"
SUBSTANTIAL = "Reg. 883/2004 Art. 13(1)(a)"
EMPLOYER_SEAT = "Reg. 883/2004 Art. 13(1)(b)(i)"

def _facts(residence, work, share=None, status="employee", **more):
    """Someone living in ``residence`` and employed in ``work`` who teleworks ``share`` % from home."""
    return dict(residence_country=residence, work_countries=[work] if isinstance(work, str) else work,
                status=status, teleworks=True, telework_share=share, **more)


# (label, facts, case, competent country, forms, one expected legal basis). From 25 % up to under 50 % the state of
# residence is competent unless the employer requests the A1 of the framework agreement: the A1 is the only form.
CASES = [
    ("Thionville, 40 %: FR, LU on request", _facts("FR", "LU", 40, residence_place="Thionville"),
     "telework_framework_agreement", "FR", ("A1",), AGREEMENT),
    ("Arlon, 30 %: BE, LU on request", _facts("BE", "LU", 30), "telework_framework_agreement", "BE", ("A1",),
     AGREEMENT),
    ("Kerkrade, DE employer, 40 %", _facts("NL", "DE", 40, status="frontier_worker"),
     "telework_framework_agreement", "NL", ("A1",), SUBSTANTIAL),
    ("exactly 25 % is already substantial", _facts("FR", "BE", 25), "telework_framework_agreement", "FR",
     ("A1",), AGREEMENT),
    ("49.9 % is still under 50 %", _facts("DE", "NL", 49.9), "telework_framework_agreement", "DE", ("A1",),
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
     "telework_framework_agreement", "FR", ("A1",), AGREEMENT),
    ("residence state listed, share not given", _facts("FR", ["LU", "FR"]), "telework_share_unknown", "LU", ("S1",),
     SUBSTANTIAL),
]


@pytest.mark.parametrize("label,facts,case,country,forms,basis", CASES, ids=[c[0] for c in CASES])
def test_decide_telework(label, facts, case, country, forms, basis):
    decision = decide(Situation(**facts))
    assert (decision.case, decision.competent_country, decision.forms) == (case, country, forms)
    assert basis in decision.legal_basis
    assert decision.sources and all(s.url.startswith("http") for s in decision.sources)


def test_the_agreement_case_leads_with_the_residence_state_and_says_who_decides():
    decision = decide(Situation("FR", ("LU",), "employee", telework_share=40))
    assert (decision.competent_country, decision.institution_ids[0], decision.confidence) == ("FR", "fr_cpam",
                                                                                             "uncertain")
    assert decision.legal_basis[0] == SUBSTANTIAL
    assert decision.caveats[0].key == "caveat_telework_agreement_assumed" and decision.caveats[0].values == \
        {"country": "LU"}
    assert {(c.country, c.scope) for c in decision.care} == {("FR", "care_full"), ("LU", "care_ehic")}
    replies = {language: render(decision, language) for language in LANGUAGES}
    assert "**Competent country: France**" in replies["en"] and "Luxembourg only if your employer requests" in \
        replies["en"]
    assert "⚠️ Assumed: your employer has not requested this A1. It decides" in replies["en"]
    assert "**Pays compétent : France**" in replies["fr"]
    assert "Luxembourg seulement si votre employeur" in replies["fr"]
    for language, reply in replies.items():
        assert "⚠️" in reply and "A1" in reply.split("\n")[0], language


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
def test_thionville_teleworker_gets_france_and_luxembourg_only_on_request(language):
    situation = extract_situation(THIONVILLE[language])
    assert (situation.residence_country, situation.work_countries, situation.telework_share) == ("FR", ("LU",), 40)
    resolution = resolve(situation)
    assert resolution.answerable
    decision = resolution.decision()
    assert decision.competent_country == "FR" and decision.case == "telework_framework_agreement"
    headline = render(decision, language, resolution.assumptions).split("\n")[0]
    assert headline.index(t("insurance", "country_FR", language)) \
        < headline.index(t("insurance", "country_LU", language))      # France first, Luxembourg on request (A1)
    assert "A1" in headline and "25" in headline and "50" in headline


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_share_answers_at_once_with_the_thresholds(language):
    resolution = resolve(Situation(residence_country="BE", work_countries=("LU",), teleworks=True))
    assert resolution.answerable and resolution.ask == ()
    assert [note.key for note in resolution.assumptions] == ["assumed_employee_telework"]
    decision = resolution.decision()
    assert decision.competent_country == "LU" and decision.confidence == "uncertain"
    reply = render(decision, language, resolution.assumptions)
    headline = reply.split("\n")[0]
    assert "25" in headline and "50" in headline and "A1" in headline
    # The case is uncertain because the share is not known: the first caveat says what is assumed.
    assert decision.caveats[0].key == "caveat_telework_share_assumed"
    assert "⚠️ " + t("insurance", "caveat_telework_share_assumed", language, threshold="25") in reply


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_uncertain_or_single_source_telework_answer_shows_a_caveat(language):
    for situation in _telework_grid():
        decision = decide(situation)
        if decision.confidence != "solid":
            assert "⚠️" in render(decision, language), (situation, decision.case)


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


def _tax_note(situation):
    return next((n for n in decide(situation).notes if n.key == "note_telework_tax"), None)


def test_income_tax_limit_is_mentioned_only_where_a_source_gives_it_with_its_year():
    # (residence, days, from which income year, how sure): FR and BE amendments in force, the DE protocol signed.
    for residence, year, confidence in (("FR", "2023", "solid"), ("BE", "2022", "solid"), ("DE", "2024", "uncertain")):
        note = _tax_note(Situation(residence, ("LU",), "employee", telework_share=40))
        assert (note.values, note.confidence) == ({"country": "LU", "days": "34", "year": year}, confidence)
    assert _tax_note(Situation("NL", ("DE",), "employee", telework_share=40)) is None
    assert _tax_note(Situation("NL", ("LU",), "employee", telework_share=40)) is None      # no source for NL-LU
    lines = render_caveats(decide(Situation("DE", ("LU",), "employee", telework_share=60)), "en")
    assert any("from 2024 on" in line and line.endswith("(not verified).") for line in lines)


def test_the_tax_note_is_for_employees_only():
    # The treaties' day counts are for salaried work: a self-employed teleworker gets no such note.
    assert _tax_note(Situation("FR", ("LU",), "self_employed", telework_share=10)) is None
    assert _tax_note(Situation("FR", ("LU",), "self_employed", telework_share=60)) is None
    assert _tax_note(Situation("FR", ("LU",), "frontier_worker", telework_share=10)) is not None


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


# (language, message, telework said (True), denied (False) or not mentioned (None), share in %)
SHARES = [
    ("en", "I telework 40% from home", True, 40.0),
    ("en", "I work from home 2 days a week", True, 40.0),
    ("en", "one day a week I work from home", True, 20.0),
    ("en", "a day a week at home", True, 20.0),
    ("en", "2 days out of 4 from home", True, 50.0),
    ("en", "I sometimes telework", True, None),
    ("en", "I live in Arlon and work in Luxembourg", None, None),
    ("fr", "je télétravaille deux jours par semaine", True, 40.0),
    ("fr", "télétravail 3 jours sur 5", True, 60.0),
    ("fr", "je fais du télétravail 30 pour cent", True, 30.0),
    ("fr", "Je suis en télétravail", True, None),
    ("fr", "je suis à la maison", None, None),
    ("fr", "je ne télétravaille que deux jours par semaine", True, 40.0),     # "ne ... que" is "only"
    ("de", "Ich bin einen Tag pro Woche im Homeoffice", True, 20.0),
    ("de", "2 Tage die Woche Homeoffice", True, 40.0),
    ("de", "40 Prozent Telearbeit", True, 40.0),
    ("nl", "ik werk 2 dagen per week thuis", True, 40.0),
    ("nl", "één dag per week thuiswerken", True, 20.0),
    ("nl", "ik woon thuis bij mijn ouders", None, None),
    ("lb", "Ech maachen zwee Deeg d'Woch Teletravail", True, 40.0),
    ("lb", "eng Dag d'Woch vun doheem", True, 20.0),
    ("de", "Ich arbeite nicht nur im Homeoffice", True, None),
    ("en", "I'm keen on telework, 2 days a week", True, 40.0),        # English "keen" is no Luxembourgish "no"
    # Denials: the telework word under a negation is no telework, and says there is none.
    ("fr", "je ne télétravaille plus", False, None),
    ("fr", "Je ne fais plus de télétravail depuis janvier", False, None),
    ("de", "Ich mache kein Homeoffice mehr", False, None),
    ("de", "ich arbeite nicht im Homeoffice", False, None),
    ("en", "I don't telework at all", False, None),
    ("en", "I no longer work from home 2 days a week", False, None),
    ("nl", "ik werk niet meer thuis", False, None),
    ("nl", "Ik doe geen thuiswerk meer", False, None),
    ("lb", "ech maachen keen Teletravail méi", False, None),
    ("lb", "Ech schaffen net méi vun doheem", False, None),
]


@pytest.mark.parametrize("language,message,teleworks,share", SHARES, ids=[s[1] for s in SHARES])
def test_telework_share_from_free_text(language, message, teleworks, share):
    situation = extract(message).situation
    assert (situation.teleworks, situation.telework_share) == (teleworks, share)


def test_share_phrasings_and_denials_cover_the_five_languages():
    from collections import Counter
    counts = Counter(language for language, _, said, share in SHARES if said and share is not None)
    assert set(counts) == set(LANGUAGES) and min(counts.values()) >= 2
    assert {language for language, _, said, _ in SHARES if said is False} == set(LANGUAGES)


@pytest.mark.parametrize("message", ["I don't work from home", "je ne travaille plus depuis chez moi",
                                     "ich arbeite nicht im Homeoffice", "ik werk niet meer thuis",
                                     "Ech schaffen net méi vun doheem"])
def test_not_working_from_home_is_no_not_working_status(message):
    # "I don't work" before "from home" denies the telework, not work: the status is not "not working".
    extraction = extract(message)
    assert extraction.situation.status is None and extraction.situation.teleworks is False
    assert "status" not in extraction.negated


@pytest.mark.parametrize("message", [
    "I live in Arlon and work in Belgium and Luxembourg, I don't telework",
    "J'habite à Arlon, je travaille en Belgique et au Luxembourg et je ne télétravaille plus",
    "Ich wohne in Arlon, arbeite in Belgien und Luxemburg und mache kein Homeoffice mehr",
    "Ik woon in Aarlen, werk in België en Luxemburg en doe geen thuiswerk meer",
    "Ech wunnen zu Arel, schaffen an der Belsch an zu Lëtzebuerg a maachen keen Teletravail méi",
])
def test_a_denied_telework_is_not_assumed_and_the_share_in_the_residence_state_is_still_asked(message):
    situation = extract_situation(message)
    assert (situation.residence_country, set(situation.work_countries), situation.teleworks) == \
        ("BE", {"BE", "LU"}, False)
    assert replace(situation, status="employee").missing() == ("residence_work_share",)


@pytest.mark.parametrize("message", ["I live in Arlon and work in Luxembourg, I don't telework at all",
                                     "J'habite à Arlon et je travaille au Luxembourg, je ne télétravaille plus"])
def test_a_denied_telework_is_not_assumed_in_the_reply(message):
    resolution = resolve(extract_situation(message))
    assert [note.key for note in resolution.assumptions] == ["assumed_worker"]
    assert resolution.decision().case == "work_one_state"
