"""Pensioners and their families: Art. 23-28 (Annex IV, Annex V) and Art. 31 (a pensioner who still works)."""
import pytest

from assistant.i18n import LANGUAGES
from assistant.insurance import Situation, decide, extract_situation, render, resolve
from assistant.insurance.reference_data import load

# (label, facts, case, competent country, competent institution, forms, one expected legal basis)
CASES = [
    ("Art. 23: LU resident with LU and NL pensions", dict(residence_country="LU", status="pensioner",
                                                         pension_countries=["LU", "NL"]),
     "pension_residence", "LU", "lu_cns", (), "Reg. 883/2004 Art. 23"),
    ("Art. 23: FR resident with FR and BE pensions", dict(residence_country="FR", status="pensioner",
                                                         pension_countries=["BE", "FR"]),
     "pension_residence", "FR", "fr_cpam", (), "Reg. 883/2004 Art. 28"),
    ("Art. 24/25: BE resident, NL pension only", dict(residence_country="BE", status="pensioner",
                                                      pension_countries=["NL"]),
     "pension_one_state_abroad", "NL", "nl_cak", ("S1",), "Reg. 883/2004 Art. 25"),
    ("Art. 24/25: DE resident, LU pension only", dict(residence_country="DE", status="pensioner",
                                                      pension_countries=["LU"]),
     "pension_one_state_abroad", "LU", "lu_cns", ("S1",), "Reg. 883/2004 Art. 27(2)"),
    ("Art. 31: retired, still working in LU, living in Longwy", dict(residence_country="FR", status="pensioner",
                                                                     work_countries=["LU"], still_working=True,
                                                                     residence_place="Longwy"),
     "pensioner_working", "LU", "lu_cns", ("S072",), "Reg. 883/2004 Art. 31"),
    ("Art. 31: retired, working where they live", dict(residence_country="BE", status="pensioner",
                                                        work_countries=["BE"], pension_countries=["NL"],
                                                        still_working=True),
     "pensioner_working", "BE", "be_mutualite", (), "Reg. 883/2004 Art. 31"),
    ("family of a NL pensioner, living in DE", dict(residence_country="DE", status="family_member",
                                                    insured_person_country="NL", insured_person_pensioner=True),
     "family_of_pensioner", "NL", "nl_cak", ("S1",), "Reg. 883/2004 Art. 26"),
    ("family of a BE pensioner, living in BE", dict(residence_country="BE", status="family_member",
                                                    insured_person_country="BE", insured_person_pensioner=True),
     "same_country", "BE", "be_mutualite", (), None),
]


@pytest.mark.parametrize("label,facts,case,country,institution,forms,basis", CASES, ids=[c[0] for c in CASES])
def test_decide(label, facts, case, country, institution, forms, basis):
    decision = decide(Situation(**facts))
    assert (decision.case, decision.competent_country, decision.forms) == (case, country, forms)
    assert institution in decision.institution_ids
    if basis:
        assert basis in decision.legal_basis
    assert decision.sources and decision.ask


def test_annex_v_lists_four_of_the_five_and_annex_iv_all_five_each_with_its_source():
    rules = load("rules")
    assert set(rules["annex_v"]["countries"]) == {"BE", "DE", "FR", "LU"}
    assert rules["annex_v"]["source"] in rules["sources"]
    # Annex IV: Your Europe's list as reproduced by the Greek contact point, the annex itself not found.
    annex_iv = rules["annex_iv"]
    assert set(annex_iv["countries"]) == {"BE", "DE", "FR", "LU", "NL"}
    assert annex_iv["confidence"] == "single_source" and annex_iv["source"] in rules["sources"]


@pytest.mark.parametrize("residence,pensions,s3_in", [
    ("FR", ("FR", "BE"), "BE"),     # Art. 23: the residence state bears the costs, both listed
    ("LU", ("LU", "DE"), "DE"),
    ("NL", ("NL", "BE"), None),     # the cost-bearing state (NL) is not listed
    ("BE", ("BE", "NL"), None),     # the Netherlands is not in Annex V
])
def test_the_s3_follows_annex_v(residence, pensions, s3_in):
    decision = decide(Situation(residence, status="pensioner", pension_countries=pensions))
    s3 = [c.country for c in decision.care if c.form == "S3"]
    assert s3 == ([s3_in] if s3_in else [])
    keys = [c.key for c in decision.caveats]
    assert ("caveat_annex_v" in keys) == bool(s3_in) and ("caveat_annex_v_not_listed" in keys) != bool(s3_in)


@pytest.mark.parametrize("language,listed", [
    ("fr", "Belgique, Allemagne, France et Luxembourg"), ("de", "Belgien, Deutschland, Frankreich und Luxemburg"),
    ("nl", "België, Duitsland, Frankrijk en Luxemburg"), ("lb", "d'Belsch, Däitschland, Frankräich a Lëtzebuerg"),
    ("en", "Belgium, Germany, France and Luxembourg")])
def test_the_annex_v_caveat_names_the_listed_countries_from_the_data(language, listed):
    decision = decide(Situation("FR", status="pensioner", pension_countries=("FR", "BE")))
    assert listed in render(decision, language)       # Luxembourgish "a" before L (n-rule)


@pytest.mark.parametrize("residence,paying", [("BE", "LU"), ("DE", "NL"), ("FR", "BE")])
def test_care_during_a_stay_in_the_paying_state_follows_annex_iv_from_one_source(residence, paying):
    decision = decide(Situation(residence, status="pensioner", pension_countries=(paying,)))
    annex_iv = next(c for c in decision.caveats if c.key == "caveat_annex_iv")
    assert annex_iv.values == {"country": paying}
    stay = next(c for c in decision.care if c.country == paying)
    assert (stay.scope, stay.legal_basis, stay.confidence) == ("care_full_stay", "Reg. 883/2004 Art. 27(2)",
                                                               "single_source")
    assert [n.key for n in decision.notes if n.key == "note_art24_or_25"]
    for language in LANGUAGES:
        reply = render(decision, language)
        assert "27" in reply and "IV" in reply          # the caveat is shown, the first one


def test_a_pensioners_family_follows_the_pensioner_not_the_frontier_workers_family_rules():
    decision = decide(Situation("DE", status="family_member", insured_person_country="NL",
                                insured_person_pensioner=True))
    keys = [c.key for c in decision.caveats]
    assert "caveat_annex_iii" not in keys and "caveat_annex_iv" in keys
    assert ("NL", "care_full_stay") in {(c.country, c.scope) for c in decision.care}     # Art. 27(2), Annex IV
    assert "note_family_of_pensioner" in [n.key for n in decision.notes]
    assert decision.registration[0].issued_by == "nl_cak"


def test_a_working_pensioner_is_asked_where_they_work_not_where_the_pension_comes_from():
    resolution = resolve(Situation(residence_country="FR", status="pensioner", still_working=True))
    assert resolution.ask == ("work_countries",)
    assert resolution.partial.key == "partial_pensioner_working"
    # Work that is over does not make a working pensioner: the pension country is asked.
    assert resolve(Situation(residence_country="FR", status="pensioner", work_countries=("LU",))).ask == \
        ("pension_countries",)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_working_pensioner_reply_cites_art_31_and_what_is_unverified(language):
    decision = decide(Situation("FR", ("LU",), "pensioner", still_working=True))
    reply = render(decision, language)
    assert "31" in reply.split("\n")[0] and "⚠️" in reply
    assert decision.rules_status == "employee"          # bilateral rules read it as a worker: S072 / S1 ...
    assert "caveat_art31" in [c.key for c in decision.caveats]


# (language, message, expected facts)
MESSAGES = [
    ("fr", "Je suis retraité mais je travaille encore au Luxembourg, j'habite à Longwy",
     dict(status="pensioner", work_countries=("LU",), still_working=True)),
    ("de", "Ich bin Rentner und arbeite noch in Luxemburg, ich wohne in Trier",
     dict(status="pensioner", work_countries=("LU",), still_working=True)),
    ("en", "I am retired but still working in Luxembourg and I live in Arlon",
     dict(status="pensioner", work_countries=("LU",), still_working=True)),
    ("fr", "Je suis retraité, ancien frontalier au Luxembourg, j'habite à Longwy",
     dict(status="pensioner", still_working=False)),
    ("fr", "Mon mari est retraité et touche une pension belge, nous habitons en France",
     dict(status=None, insured_person_country="BE", insured_person_pensioner=True, pension_countries=())),
    ("en", "My wife is retired, she gets a Dutch pension, we live in Germany, I am co-insured",
     dict(status="family_member", insured_person_country="NL", insured_person_pensioner=True)),
    ("nl", "Mijn man is gepensioneerd en krijgt een Duits pensioen, ik ben meeverzekerd",
     dict(status="family_member", insured_person_country="DE", insured_person_pensioner=True)),
]


@pytest.mark.parametrize("language,message,expected", MESSAGES, ids=[m[1][:40] for m in MESSAGES])
def test_extracts_pensioner_facts(language, message, expected):
    situation = extract_situation(message)
    assert {k: getattr(situation, k) for k in expected} == expected


def test_a_family_pension_makes_the_person_an_assumed_family_member():
    resolution = resolve(extract_situation("Mon mari est retraité et touche une pension belge, nous habitons en France"))
    assert resolution.assumed.status == "family_member" and resolution.answerable
    assert resolution.decision().case == "family_of_pensioner"
