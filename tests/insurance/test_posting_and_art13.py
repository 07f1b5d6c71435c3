"""Posting (Art. 12: 24 months, the A1 and who issues it), employed and self-employed (Art. 13(3)) and the
employer's seat (Art. 13(1)(b)(i))."""
import pytest

from assistant.i18n import LANGUAGES
from assistant.insurance import Situation, decide, extract_situation, render
from assistant.insurance.reference_data import institution_name
from assistant.insurance.render import render_caveats

# (label, facts, case, competent country, forms, one expected legal basis)
CASES = [
    ("posted 18 months BE->DE", dict(residence_country="BE", work_countries=["DE"], status="posted_worker",
                                     sending_country="BE", posting_months=18),
     "posted", "BE", ("A1", "EHIC"), "Reg. 883/2004 Art. 12(1)"),
    ("posted exactly 24 months LU->FR", dict(residence_country="LU", work_countries=["FR"], status="posted_worker",
                                             sending_country="LU", posting_months=24),
     "posted", "LU", ("A1", "EHIC"), "Reg. 883/2004 Art. 12(1)"),
    ("posted 30 months BE->DE: Germany", dict(residence_country="BE", work_countries=["DE"], status="posted_worker",
                                              sending_country="BE", posting_months=30),
     "posted_beyond_limit", "DE", ("S1",), "Reg. 883/2004 Art. 16(1)"),
    ("posted 36 months FR->LU, living in Thionville", dict(residence_country="FR", work_countries=["LU"],
                                                          status="posted_worker", sending_country="FR",
                                                          posting_months=36, residence_place="Thionville"),
     "posted_beyond_limit", "LU", ("S072",), "Reg. 883/2004 Art. 11(3)(a)"),
    ("posted 30 months DE->LU, living in LU", dict(residence_country="LU", work_countries=["LU"],
                                                   status="posted_worker", sending_country="DE", posting_months=30),
     "posted_beyond_limit", "LU", (), "Reg. 883/2004 Art. 12(1)"),
    # -- Art. 13(3) ---------------------------------------------------------------------------------
    ("employee in LU, self-employed in FR", dict(residence_country="FR", work_countries=["LU"], status="employee",
                                                 self_employment_countries=["FR"]),
     "employed_and_self_employed", "LU", ("S1",), "Reg. 883/2004 Art. 13(3)"),
    ("employee in BE, self-employed in LU", dict(residence_country="BE", work_countries=["BE"],
                                                 status="frontier_worker", self_employment_countries=["LU"]),
     "employed_and_self_employed", "BE", (), "Reg. 883/2004 Art. 13(3)"),
    ("self-employed where employed: nothing special", dict(residence_country="DE", work_countries=["LU"],
                                                           status="employee", self_employment_countries=["LU"]),
     "work_one_state", "LU", ("S1",), "Reg. 883/2004 Art. 11(3)(a)"),
    ("employed in two states + self-employed: Art. 13(1) on the employment",
     dict(residence_country="BE", work_countries=["BE", "LU"], status="employee", residence_work_share=40,
          self_employment_countries=["NL"]),
     "work_several_states_residence", "BE", (), "Reg. 883/2004 Art. 13(3)"),
    # -- Art. 13(1)(b)(i) ------------------------------------------------------------------------------
    ("10 % at home, LU employer -> LU", dict(residence_country="BE", work_countries=["BE", "LU"], status="employee",
                                            residence_work_share=10, employer_country="LU"),
     "work_several_states_employer_seat", "LU", ("BL1",), "Reg. 883/2004 Art. 13(1)(b)(i)"),
    ("no work at home, FR employer -> FR", dict(residence_country="DE", work_countries=["FR", "LU"],
                                               status="employee", employer_country="FR"),
     "work_several_states_employer_seat", "FR", ("S1",), "Reg. 883/2004 Art. 13(1)(b)(i)"),
    ("employer in the residence state", dict(residence_country="NL", work_countries=["DE", "BE"], status="employee",
                                            employer_country="NL"),
     "work_several_states_employer_seat", "NL", (), "Reg. 883/2004 Art. 13(1)(b)(i)"),
    ("30 % at home beats the employer's seat", dict(residence_country="BE", work_countries=["BE", "LU"],
                                                    status="employee", residence_work_share=30,
                                                    employer_country="LU"),
     "work_several_states_residence", "BE", (), "Reg. 883/2004 Art. 13(1)(a)"),
    ("self-employed: centre of interest, not an employer", dict(residence_country="DE", work_countries=["FR", "LU"],
                                                               status="self_employed", employer_country="FR"),
     "work_several_states_unresolved", None, (), "Reg. 883/2004 Art. 13"),
]


@pytest.mark.parametrize("label,facts,case,country,forms,basis", CASES, ids=[c[0] for c in CASES])
def test_decide(label, facts, case, country, forms, basis):
    decision = decide(Situation(**facts))
    assert (decision.case, decision.competent_country, decision.forms) == (case, country, forms)
    assert basis in decision.legal_basis
    assert decision.sources and decision.ask


# (sending country, the A1 issuer, or the issuers by status)
A1_ISSUERS = [
    ("LU", "lu_ccss", ()),
    ("NL", "nl_svb", ()),
    ("BE", None, (("be_onss", "employees"), ("be_inasti", "self_employed"))),
    ("FR", None, (("fr_urssaf", "general_scheme"), ("fr_msa", "agricultural_scheme"))),
    ("DE", None, (("de_krankenkasse", "statutory_members"), ("de_drv", "not_statutory"))),
]


@pytest.mark.parametrize("sending,issuer,options", A1_ISSUERS, ids=[a[0] for a in A1_ISSUERS])
def test_the_a1_comes_from_the_sending_country(sending, issuer, options):
    host = "BE" if sending != "BE" else "NL"
    decision = decide(Situation(sending, (host,), "posted_worker", sending_country=sending))
    a1 = decision.registration[0]
    assert (a1.form, a1.purpose, a1.issued_by, a1.issuer_options) == ("A1", "posting", issuer, options)
    for language in LANGUAGES:
        reply = render(decision, language)
        for office in [issuer] if issuer else [o for o, _ in options]:
            assert institution_name(office, language, short=True) in reply


def test_posting_states_the_24_month_limit_and_what_follows():
    decision = decide(Situation("BE", ("DE",), "posted_worker", sending_country="BE"))
    assert decision.caveats[0].values == {"months": "24"}
    extension = next(n for n in decision.notes if n.key == "note_posting_extension")
    assert extension.values == {"months": "24", "institution": "be_onss"}
    beyond = decide(Situation("BE", ("DE",), "posted_worker", sending_country="BE", posting_months=30))
    assert beyond.reason.values["institution"] == "be_onss" and beyond.rules_status == "employee"
    for language in LANGUAGES:
        assert "24" in render(beyond, language).split("\n")[0]


def test_several_states_decisions_name_who_decides():
    for facts in (dict(residence_work_share=10, employer_country="LU"), dict(residence_work_share=10),
                  dict(residence_work_share=30)):
        decision = decide(Situation("BE", ("BE", "LU"), "employee", **facts))
        assert "note_residence_institution_decides" in [n.key for n in decision.notes]


# (language, message, expected facts)
MESSAGES = [
    ("fr", "Je suis salarié au Luxembourg et indépendant en France, j'habite à Thionville",
     dict(residence_country="FR", work_countries=("LU",), status="employee", self_employment_countries=("FR",))),
    ("de", "Ich bin angestellt in Luxemburg und selbständig in Deutschland, ich wohne in Trier",
     dict(residence_country="DE", work_countries=("LU",), status="employee", self_employment_countries=("DE",))),
    ("en", "I live in Arlon, I am an employee in Luxembourg and self-employed in Belgium",
     dict(residence_country="BE", work_countries=("LU",), status="employee", self_employment_countries=("BE",))),
    ("fr", "Je travaille en Belgique et au Luxembourg pour un employeur luxembourgeois, j'habite en Belgique",
     dict(residence_country="BE", work_countries=("BE", "LU"), employer_country="LU")),
    ("de", "Ich wohne in Aachen und arbeite in Belgien und in den Niederlanden für eine niederländische Firma",
     dict(residence_country="DE", work_countries=("BE", "NL"), employer_country="NL")),
    ("fr", "Je suis détaché en Allemagne pour 30 mois, j'habite en Belgique",
     dict(residence_country="BE", work_countries=("DE",), status="posted_worker", posting_months=30.0)),
    ("de", "Ich arbeite in Luxemburg, entsandt für drei Jahre, und wohne in Trier",
     dict(residence_country="DE", work_countries=("LU",), status="posted_worker", posting_months=36.0)),
    ("nl", "Ik ben voor 2 jaar gedetacheerd naar België en woon in Nederland",
     dict(residence_country="NL", work_countries=("BE",), status="posted_worker", posting_months=24.0)),
    ("en", "I am posted to Germany for 18 months and live in Belgium",
     dict(residence_country="BE", work_countries=("DE",), status="posted_worker", posting_months=18.0)),
    ("lb", "Ech schaffen an Däitschland, detachéiert fir 30 Méint, a wunnen zu Arel",
     dict(residence_country="BE", work_countries=("DE",), status="posted_worker", posting_months=30.0)),
]


@pytest.mark.parametrize("language,message,expected", MESSAGES, ids=[m[1][:40] for m in MESSAGES])
def test_extracts_the_new_facts(language, message, expected):
    situation = extract_situation(message)
    assert {k: getattr(situation, k) for k in expected} == expected


def test_a_single_status_is_not_split():
    situation = extract_situation("Je suis indépendant au Luxembourg et en France, j'habite en France")
    assert situation.status == "self_employed" and situation.self_employment_countries == ()


# "based in" and its kin after an employer noun give the employer's country, not the person's residence.
EMPLOYER_SEATS = [
    ("en", "I live in Arlon and telework 2 days a week for my employer based in Luxembourg"),
    ("en", "I live in Arlon; my employer is based in Luxembourg"),
    ("fr", "J'habite à Arlon et mon employeur est domicilié au Luxembourg"),
    ("fr", "J'habite à Arlon, je travaille pour une société basée au Luxembourg"),
    ("de", "Ich wohne in Arlon, mein Arbeitgeber ist ansässig in Luxemburg"),
    ("de", "Ich wohne in Arlon und arbeite für eine Firma mit Sitz in Luxemburg"),
    ("nl", "Ik woon in Aarlen en mijn werkgever is gedomicilieerd in Luxemburg"),
    ("nl", "Ik woon in Aarlen en werk voor een bedrijf gevestigd in Luxemburg"),
    ("lb", "Ech wunnen zu Arel a mäi Patron ass zu Lëtzebuerg baséiert"),
    ("lb", "Ech wunnen zu Arel a schaffe fir eng Firma mat Sëtz zu Lëtzebuerg"),
]


@pytest.mark.parametrize("language,message", EMPLOYER_SEATS, ids=[m[1][:50] for m in EMPLOYER_SEATS])
def test_where_the_employer_is_based_is_the_employer_country_not_the_residence(language, message):
    from assistant.insurance import extract
    extraction = extract(message)
    assert (extraction.situation.residence_country, extraction.situation.employer_country) == ("BE", "LU")
    assert not extraction.conflicts


def test_based_in_without_an_employer_is_still_where_one_lives():
    situation = extract_situation("I'm based in Thionville and employed in Luxembourg")
    assert (situation.residence_country, situation.work_countries, situation.employer_country) == \
        ("FR", ("LU",), None)


@pytest.mark.parametrize("message,months", [
    ("Ich bin entsandt, nicht für 30 Monate, sondern für 18 Monate", 18.0),
    ("I am posted to Germany, not for 30 months but for 18 months", 18.0),
    ("Je suis détaché en Allemagne pour 18 mois, pas 30 mois", 18.0),
])
def test_a_denied_posting_length_is_not_the_posting_length(message, months):
    assert extract_situation(message).posting_months == months


@pytest.mark.parametrize("language", LANGUAGES)
def test_who_takes_the_request_past_24_months_is_marked_when_no_source_names_it(language):
    from assistant.i18n import t
    unverified = t("insurance", "unverified", language)
    # Luxembourg: not sourced, said "not verified" in the note and in the reason; France: the Urssaf (the CLEISS
    # page), sourced and said plainly.
    lu = decide(Situation("LU", ("FR",), "posted_worker", sending_country="LU"))
    note = next(n for n in lu.notes if n.key == "note_posting_extension")
    assert note.confidence == "uncertain" and unverified in render_caveats(lu, language)[-1]
    beyond = decide(Situation("LU", ("FR",), "posted_worker", sending_country="LU", posting_months=30))
    assert unverified in render(beyond, language).split("\n")[0]
    fr = decide(Situation("FR", ("LU",), "posted_worker", sending_country="FR", posting_months=30))
    assert fr.reason.values["institution"] == "fr_urssaf" and unverified not in render(fr, language).split("\n")[0]
