"""decide(): competent country, institution, forms and legal basis for the five countries and every status."""
import pytest

from assistant.insurance import Situation, decide

A11A = "Reg. 883/2004 Art. 11(3)(a)"
BL1_CONVENTION = "Belgium–Luxembourg convention of 24 March 1994"

# (label, situation, case, competent country, competent institution, forms, one expected legal basis)
CASES = [
    # -- activity in one state ------------------------------------------------------------------
    ("BE->LU employee gets BL1", dict(residence_country="BE", work_countries=["LU"], status="employee"),
     "work_one_state", "LU", "lu_cns", ("BL1",), BL1_CONVENTION),
    ("BE->LU frontier worker gets BL1", dict(residence_country="BE", work_countries=["LU"], status="frontier_worker"),
     "work_one_state", "LU", "lu_cns", ("BL1",), A11A),
    ("BE->LU self-employed gets BL1", dict(residence_country="BE", work_countries=["LU"], status="self_employed"),
     "work_one_state", "LU", "lu_cns", ("BL1",), A11A),
    ("Longwy->LU gets S072", dict(residence_country="FR", work_countries=["LU"], status="employee",
                                  residence_place="Longwy"),
     "work_one_state", "LU", "lu_cns", ("S072",), A11A),
    ("Moselle postcode->LU gets S072", dict(residence_country="FR", work_countries=["LU"], status="frontier_worker",
                                            residence_place="57100 Thionville"),
     "work_one_state", "LU", "lu_cns", ("S072",), A11A),
    ("Lille (59, not Grand Est)->LU gets S1", dict(residence_country="FR", work_countries=["LU"], status="employee",
                                                   residence_place="Lille"),
     "work_one_state", "LU", "lu_cns", ("S1",), A11A),
    ("FR (place unknown)->LU gets S1", dict(residence_country="FR", work_countries=["LU"], status="employee"),
     "work_one_state", "LU", "lu_cns", ("S1",), A11A),
    ("FR->BE frontier worker", dict(residence_country="FR", work_countries=["BE"], status="frontier_worker"),
     "work_one_state", "BE", "be_mutualite", ("S1",), A11A),
    ("FR->BE: CAAMI is an alternative", dict(residence_country="FR", work_countries=["BE"], status="employee"),
     "work_one_state", "BE", "be_caami", ("S1",), "Reg. 883/2004 Art. 17"),
    ("DE->LU employee", dict(residence_country="DE", work_countries=["LU"], status="employee"),
     "work_one_state", "LU", "lu_cns", ("S1",), A11A),
    ("NL->DE employee (Verdragspolis)", dict(residence_country="NL", work_countries=["DE"], status="employee"),
     "work_one_state", "DE", "de_krankenkasse", ("S1",), A11A),
    ("NL->BE employee", dict(residence_country="NL", work_countries=["BE"], status="employee"),
     "work_one_state", "BE", "be_mutualite", ("S1",), A11A),
    ("NL->LU self-employed", dict(residence_country="NL", work_countries=["LU"], status="self_employed"),
     "work_one_state", "LU", "lu_cns", ("S1",), A11A),
    ("BE->NL employee", dict(residence_country="BE", work_countries=["NL"], status="employee"),
     "work_one_state", "NL", "nl_zorgverzekeraar", ("S1",), A11A),
    ("BE->DE employee", dict(residence_country="BE", work_countries=["DE"], status="employee"),
     "work_one_state", "DE", "de_krankenkasse", ("S1",), "Reg. 883/2004 Art. 18"),
    ("DE->NL self-employed", dict(residence_country="DE", work_countries=["NL"], status="self_employed"),
     "work_one_state", "NL", "nl_zorgverzekeraar", ("S1",), A11A),
    ("LU->DE employee", dict(residence_country="LU", work_countries=["DE"], status="employee"),
     "work_one_state", "DE", "de_krankenkasse", ("S1",), A11A),
    ("LU->FR employee", dict(residence_country="LU", work_countries=["FR"], status="employee"),
     "work_one_state", "FR", "fr_cpam", ("S1",), A11A),
    ("FR->DE frontier worker", dict(residence_country="FR", work_countries=["DE"], status="frontier_worker"),
     "work_one_state", "DE", "de_krankenkasse", ("S1",), A11A),
    ("DE->FR employee", dict(residence_country="DE", work_countries=["FR"], status="employee"),
     "work_one_state", "FR", "fr_cpam", ("S1",), A11A),
    # -- same country ----------------------------------------------------------------------------
    ("LU employee in LU", dict(residence_country="LU", work_countries=["LU"], status="employee"),
     "same_country", "LU", "lu_cns", (), None),
    ("BE self-employed in BE", dict(residence_country="BE", work_countries=["BE"], status="self_employed"),
     "same_country", "BE", "be_mutualite", (), None),
    ("NL 'frontier worker' living and working in NL", dict(residence_country="NL", work_countries=["NL"],
                                                            status="frontier_worker"),
     "same_country", "NL", "nl_zorgverzekeraar", (), None),
    ("FR family member of someone insured in FR", dict(residence_country="FR", status="family_member",
                                                       insured_person_country="FR"),
     "same_country", "FR", "fr_cpam", (), None),
    # -- several states (Art. 13) ------------------------------------------------------------------
    ("BE+LU, 30% in BE -> BE", dict(residence_country="BE", work_countries=["BE", "LU"], status="employee",
                                   residence_work_share=30),
     "work_several_states_residence", "BE", "be_mutualite", (), "Reg. 883/2004 Art. 13(1)(a)"),
    ("BE+LU, exactly 25% in BE -> BE", dict(residence_country="BE", work_countries=["LU", "BE"], status="employee",
                                           residence_work_share=25),
     "work_several_states_residence", "BE", "be_mutualite", (), "Reg. 987/2009 Art. 14(8)"),
    ("FR+DE self-employed, 60% in FR -> FR", dict(residence_country="FR", work_countries=["FR", "DE"],
                                                 status="self_employed", residence_work_share=60),
     "work_several_states_residence", "FR", "fr_cpam", (), "Reg. 883/2004 Art. 13(2)(a)"),
    ("BE+LU, 10% in BE -> open", dict(residence_country="BE", work_countries=["BE", "LU"], status="employee",
                                     residence_work_share=10),
     "work_several_states_unresolved", None, None, (), "Reg. 883/2004 Art. 13"),
    ("DE resident working in FR and LU -> open", dict(residence_country="DE", work_countries=["FR", "LU"],
                                                      status="employee"),
     "work_several_states_unresolved", None, None, (), "Reg. 883/2004 Art. 13"),
    # -- posted workers ----------------------------------------------------------------------------
    ("posted BE->DE, living in BE", dict(residence_country="BE", work_countries=["DE"], status="posted_worker",
                                         sending_country="BE"),
     "posted", "BE", "be_mutualite", ("A1", "EHIC"), "Reg. 883/2004 Art. 12(1)"),
    ("posted FR->LU, living in BE", dict(residence_country="BE", work_countries=["LU"], status="posted_worker",
                                         sending_country="FR"),
     "posted", "FR", "fr_cpam", ("A1", "S1", "EHIC"), "Reg. 883/2004 Art. 12(1)"),
    ("posted DE->LU, living in LU", dict(residence_country="LU", work_countries=["LU"], status="posted_worker",
                                         sending_country="DE"),
     "posted", "DE", "de_krankenkasse", ("A1", "S1", "EHIC"), "Reg. 883/2004 Art. 12(1)"),
    ("'posted' within NL is no posting", dict(residence_country="NL", work_countries=["NL"], status="posted_worker",
                                              sending_country="NL"),
     "same_country", "NL", "nl_zorgverzekeraar", (), None),
    # -- civil servants ------------------------------------------------------------------------------
    ("FR resident, LU civil servant", dict(residence_country="FR", work_countries=["LU"], status="civil_servant"),
     "civil_servant", "LU", "lu_cns", ("S1",), "Reg. 883/2004 Art. 11(3)(b)"),
    ("DE resident employed by NL administration", dict(residence_country="DE", status="civil_servant",
                                                       administration_country="NL"),
     "civil_servant", "NL", "nl_zorgverzekeraar", ("S1",), "Reg. 883/2004 Art. 11(3)(b)"),
    ("BE civil servant working in LU for BE", dict(residence_country="BE", work_countries=["LU"],
                                                   status="civil_servant", administration_country="BE"),
     "same_country", "BE", "be_mutualite", (), None),
    # -- pensioners ------------------------------------------------------------------------------------
    ("Longwy, Belgian pension only", dict(residence_country="FR", status="pensioner", pension_countries=["BE"],
                                          residence_place="Longwy"),
     "pension_one_state_abroad", "BE", "be_mutualite", ("S1",), "Reg. 883/2004 Art. 24(1)"),
    ("BE resident, Dutch pension only -> CAK", dict(residence_country="BE", status="pensioner",
                                                    pension_countries=["NL"]),
     "pension_one_state_abroad", "NL", "nl_cak", ("S1",), "Reg. 883/2004 Art. 24(1)"),
    ("LU resident, German pension only", dict(residence_country="LU", status="pensioner", pension_countries=["DE"]),
     "pension_one_state_abroad", "DE", "de_krankenkasse", ("S1",), "Reg. 883/2004 Art. 28"),
    ("DE resident, LU pension only", dict(residence_country="DE", status="pensioner", pension_countries=["LU"]),
     "pension_one_state_abroad", "LU", "lu_cns", ("S1",), "Reg. 883/2004 Art. 24(1)"),
    ("NL resident, NL + BE pensions -> NL", dict(residence_country="NL", status="pensioner",
                                                 pension_countries=["BE", "NL"]),
     "pension_residence", "NL", "nl_zorgverzekeraar", (), "Reg. 883/2004 Art. 23"),
    ("LU resident, FR + BE pensions -> open", dict(residence_country="LU", status="pensioner",
                                                   pension_countries=["FR", "BE"]),
     "pension_several_states_abroad", None, None, (), "Reg. 883/2004 Art. 24(2)(b)"),
    ("DE resident, German pension", dict(residence_country="DE", status="pensioner", pension_countries=["DE"]),
     "same_country", "DE", "de_krankenkasse", (), None),
    # -- unemployed, students, not working -----------------------------------------------------------------
    ("wholly unemployed BE->LU frontier worker", dict(residence_country="BE", work_countries=["LU"],
                                                      status="unemployed"),
     "unemployed", "BE", "be_mutualite", (), "Reg. 883/2004 Art. 11(3)(c)"),
    ("unemployed in FR", dict(residence_country="FR", status="unemployed"),
     "unemployed", "FR", "fr_cpam", (), "Reg. 883/2004 Art. 11(3)(c)"),
    ("student living in DE", dict(residence_country="DE", status="student"),
     "inactive", "DE", "de_krankenkasse", (), "Reg. 883/2004 Art. 11(3)(e)"),
    ("not working, NL", dict(residence_country="NL", status="not_working"),
     "inactive", "NL", "nl_zorgverzekeraar", (), "Reg. 883/2004 Art. 11(3)(e)"),
    ("not working, LU", dict(residence_country="LU", status="not_working"),
     "inactive", "LU", "lu_cns", (), "Reg. 883/2004 Art. 11(3)(e)"),
    # -- family members ------------------------------------------------------------------------------------
    ("FR resident co-insured via LU worker", dict(residence_country="FR", status="family_member",
                                                  insured_person_country="LU"),
     "family", "LU", "lu_cns", ("S1",), "Reg. 883/2004 Art. 18(2)"),
    ("BE resident co-insured via LU worker", dict(residence_country="BE", status="family_member",
                                                  insured_person_country="LU"),
     "family", "LU", "lu_cns", ("S1",), "Reg. 883/2004 Art. 17"),
    ("NL resident co-insured via DE worker", dict(residence_country="NL", status="family_member",
                                                  insured_person_country="DE"),
     "family", "DE", "de_krankenkasse", ("S1",), "Reg. 883/2004 Art. 17"),
]


@pytest.mark.parametrize("label,facts,case,country,institution,forms,basis", CASES, ids=[c[0] for c in CASES])
def test_decide(label, facts, case, country, institution, forms, basis):
    decision = decide(Situation(**facts))
    assert decision.case == case
    assert decision.competent_country == country
    if institution:
        assert institution in decision.institution_ids
    else:
        assert decision.institution_ids == ()
    assert decision.forms == forms
    if basis:
        assert basis in decision.legal_basis
    assert decision.sources, "every decision cites a source"
    assert all(s.url.startswith("http") for s in decision.sources)
    assert decision.ask, "every decision says whom to ask"


def test_table_covers_every_country_and_status():
    from assistant.insurance import COUNTRIES, STATUSES
    facts = [c[1] for c in CASES]
    assert {f["residence_country"] for f in facts} == set(COUNTRIES)
    assert {c[3] for c in CASES if c[3]} == set(COUNTRIES)
    assert {f["status"] for f in facts} == set(STATUSES)


def _step(decision, form):
    return next(s for s in decision.registration if s.form == form)


def test_bl1_is_issued_by_cns_and_registered_with_the_belgian_mutualite():
    step = _step(decide(Situation("BE", ("LU",), "employee")), "BL1")
    assert (step.issued_by, step.registered_with, step.confidence) == ("lu_cns", "be_mutualite", "solid")


def test_s072_is_sent_by_cns_directly_to_the_cpam():
    step = _step(decide(Situation("FR", ("LU",), "employee", residence_place="Thionville")), "S072")
    assert step.sent_directly and (step.issued_by, step.registered_with) == ("lu_cns", "fr_cpam")


def test_unknown_french_department_warns_about_s072():
    decision = decide(Situation("FR", ("LU",), "employee"))
    assert "caveat_s072_if_grand_est" in [c.key for c in decision.caveats]


def test_frontier_workers_are_told_zoast_does_not_apply():
    for residence, work in (("BE", "LU"), ("FR", "BE"), ("FR", "LU")):
        notes = [n.key for n in decide(Situation(residence, (work,), "frontier_worker")).notes]
        assert "note_zoast_excluded" in notes
    assert "note_zoast_excluded" not in [n.key for n in decide(Situation("DE", ("LU",), "employee")).notes]


def test_de_nl_verdragspolis_registers_with_cz_for_sure_but_not_for_belgian_s1():
    de = _step(decide(Situation("NL", ("DE",), "employee")), "S1")
    assert (de.registered_with, de.registration_confidence) == ("nl_cz", "solid")
    be = decide(Situation("NL", ("BE",), "employee"))
    assert _step(be, "S1").registration_confidence == "uncertain"
    assert be.confidence == "uncertain"
    assert "caveat_nl_cz_unverified" in [c.key for c in be.caveats]


def test_frontier_worker_gets_full_care_on_both_sides():
    care = {(c.country, c.scope, c.form) for c in decide(Situation("BE", ("LU",), "frontier_worker")).care}
    assert care == {("LU", "care_full", None), ("BE", "care_full_with_form", "BL1")}


def test_pensioner_abroad_gets_residence_care_and_full_care_during_stays_in_the_pension_state():
    # Belgium is in Annex IV (one source): full care there during stays (Art. 27(2)), which covers what a former
    # frontier worker's Art. 28 rights would give there.
    decision = decide(Situation("FR", pension_countries=("BE",), status="pensioner"))
    care = {(c.country, c.scope, c.legal_basis, c.confidence) for c in decision.care}
    assert care == {("FR", "care_full_with_form", "Reg. 883/2004 Art. 24(1)", "solid"),
                    ("BE", "care_full_stay", "Reg. 883/2004 Art. 27(2)", "single_source")}
    assert "caveat_annex_iv" in [c.key for c in decision.caveats]
    assert _step(decision, "S1").registered_with == "fr_cpam"


def test_dutch_pension_s1_comes_from_the_cak():
    decision = decide(Situation("DE", pension_countries=("NL",), status="pensioner"))
    assert _step(decision, "S1").issued_by == "nl_cak"
    assert "note_cak_form121" in [n.key for n in decision.notes]


def test_several_states_without_share_asks_for_it():
    situation = Situation("BE", ("BE", "LU"), "employee")
    assert situation.missing() == ("residence_work_share",)
    assert decide(situation).case == "incomplete"


def test_several_states_rule_is_sourced_and_says_25_percent_is_an_indicator():
    # Art. 14(8) of Reg. 987/2009 is sourced (legal500_art14_8, ccss_art13): the rule is solid, the 25 % an indicator.
    decision = decide(Situation("BE", ("BE", "LU"), "employee", residence_work_share=50))
    assert decision.confidence == "solid"
    assert decision.sources[0].url.startswith("https://ccss.public.lu/")
    assert "caveat_several_states_indicator" in [c.key for c in decision.caveats]


def test_unresolved_cases_say_so_and_point_to_someone():
    decision = decide(Situation("DE", ("FR", "LU"), "employee"))
    assert not decision.determined and decision.confidence == "uncertain"
    assert decision.reason.key == "reason_not_working_in_residence"
    assert "de_dvka" in decision.ask


def test_posted_worker_answer_is_marked_uncertain():
    decision = decide(Situation("BE", ("DE",), "posted_worker", sending_country="BE"))
    assert decision.confidence == "uncertain"
    assert decision.caveats[0].key == "caveat_posted_unverified"
    assert _step(decision, "A1").issued_by is None


def test_students_and_inactive_people_are_uncertain():
    for status, caveat in (("student", "caveat_students"), ("not_working", "caveat_inactive")):
        decision = decide(Situation("BE", status=status))
        assert decision.confidence == "uncertain"
        assert caveat in [c.key for c in decision.caveats]


def test_luxembourg_family_coinsurance_note():
    decision = decide(Situation("FR", status="family_member", insured_person_country="LU"))
    assert "note_lu_family" in [n.key for n in decision.notes]
    assert "caveat_annex_iii" in [c.key for c in decision.caveats]


def test_same_country_is_not_cross_border():
    decision = decide(Situation("LU", ("LU",), "employee"))
    assert not decision.cross_border and decision.registration == []
    assert decision.reason.key == "why_same_country"


def test_insurer_from_a_third_country_is_questioned():
    odd = decide(Situation("LU", ("LU",), "employee", current_insurer="AOK"))
    assert odd.caveats[0].key == "caveat_current_insurer_elsewhere"
    assert odd.caveats[0].values == {"insurer": "AOK", "country": "DE"}
    # A Belgian frontier worker insured in LU is registered with a Belgian mutualité: nothing odd.
    normal = decide(Situation("BE", ("LU",), "employee", current_insurer="Partenamut"))
    assert "caveat_current_insurer_elsewhere" not in [c.key for c in normal.caveats]


@pytest.mark.parametrize("facts,missing", [
    (dict(), ("residence_country", "status")),
    (dict(residence_country="BE"), ("status",)),
    (dict(residence_country="BE", status="employee"), ("work_countries",)),
    (dict(residence_country="BE", status="pensioner", work_countries=["LU"]), ("pension_countries",)),
    (dict(residence_country="BE", status="posted_worker", work_countries=["DE"]), ("sending_country",)),
    (dict(status="posted_worker"), ("residence_country", "work_countries", "sending_country")),
    (dict(residence_country="FR", status="family_member"), ("insured_person_country",)),
    (dict(residence_country="FR", status="civil_servant"), ("work_countries",)),
    (dict(residence_country="FR", status="student"), ()),
    (dict(residence_country="FR", status="unemployed"), ()),
])
def test_missing_asks_exactly_what_the_status_needs(facts, missing):
    assert Situation(**facts).missing() == missing


def test_situation_validates_and_normalises():
    situation = Situation("be", "lu,de", "Self-Employed")
    assert (situation.residence_country, situation.work_countries, situation.status) == ("BE", ("LU", "DE"),
                                                                                          "self_employed")
    with pytest.raises(ValueError):
        Situation("ES")
    with pytest.raises(ValueError):
        Situation("BE", status="astronaut")


def test_situation_from_rasa_slots():
    situation = Situation.from_mapping({"residence_country": "BE", "work_country": "LU",
                                        "employment_status": "employee", "language": "fr"})
    assert situation == Situation("BE", ("LU",), "employee")
    assert decide(situation).competent_country == "LU"
