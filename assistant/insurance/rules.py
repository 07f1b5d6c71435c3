"""Which country's health insurance is competent for a situation, and what follows from it.

The logic follows Reg. (EC) 883/2004 as summarised in /work/shared/domain/facts.md section 3 and the sources of
rules.yml: one applicable legislation (Art. 11), several states (Art. 13: 13(1)(a) residence with a substantial
part, 13(1)(b)(i) the employer's seat, 13(3) employed and self-employed), telework (telework.py), posting (posting.py),
residence outside the competent state (Art. 17, S1), stay in the competent state (Art. 18), pensioners
(pensions.py, Art. 23-28, 31 here). Article strings, sources, institutions and bilateral specifics live in
data/insurance/*.yml; building.py fills them in.
"""
from __future__ import annotations

from assistant.insurance import pensions, posting, telework
from assistant.insurance.bilateral import apply_bilateral_rules
from assistant.insurance.building import (
    ART_18,
    ART_18_2,
    ART_19,
    as_status,
    ask,
    elsewhere_with_ehic,
    insured_abroad,
    new,
    residence_decides_note,
    rules,
    same_country,
    specific_rule,
    work_one_state,
)
from assistant.insurance.decision import CareRight, Decision, Note
from assistant.insurance.reference_data import insurer_country, weakest
from assistant.insurance.situation import WORKER_STATUSES, Situation

_GENERAL_CAVEATS = frozenset({"caveat_annex_iii", "caveat_own_insurance_first"})


# -- the cases --------------------------------------------------------------------------------

def _worker(situation: Situation) -> Decision:
    if _employed_and_self_employed_abroad(situation):
        return _employed_and_self_employed(situation)
    if telework.applies(situation):
        return telework.decide(situation)
    if situation.works_in_several_states:
        return _several_states(situation)
    return work_one_state(situation, situation.work_countries[0])


def _employed_and_self_employed_abroad(situation: Situation) -> bool:
    return situation.status in ("employee", "frontier_worker") and bool(situation.work_countries) \
        and any(c not in situation.work_countries for c in situation.self_employment_countries)


def _employed_and_self_employed(situation: Situation) -> Decision:
    """Art. 13(3): the state(s) of the employment decide; the self-employment elsewhere does not count."""
    decision = _worker(as_status(situation, situation.status, self_employment_countries=()))
    countries = ",".join(situation.self_employment_countries)
    return specific_rule(decision, situation, "employed_and_self_employed", "why_employed_and_self_employed",
                          "Reg. 883/2004 Art. 13(3)", countries=countries)


def _several_states(situation: Situation) -> Decision:
    residence = situation.residence_country
    threshold = rules()["several_states_substantial_share_percent"]
    share = situation.residence_work_share
    if residence in situation.work_countries and share is not None and share >= threshold:
        return _several_states_residence(situation, share)
    seat = situation.employer_country
    if seat and situation.status != "self_employed":
        return _employer_seat(situation, seat)
    if residence not in situation.work_countries:
        reason = "reason_not_working_in_residence"
    elif share is None:
        reason = "reason_share_unknown"
    else:
        reason = "reason_share_below"
    decision = new(situation, "work_several_states_unresolved", None, reason, threshold=threshold)
    decision.cross_border = True
    decision.ask = ask(residence, *situation.work_countries)
    decision.caveats.append(Note("caveat_several_states_indicator"))
    decision.notes.append(residence_decides_note())
    return decision


def _several_states_residence(situation: Situation, share: float) -> Decision:
    """Art. 13(1)(a): a substantial part (25 % or more) in the state of residence makes it competent."""
    residence = situation.residence_country
    decision = new(situation, "work_several_states_residence", residence, "why_several_states_residence")
    decision.cross_border = True
    decision.care = [CareRight(residence, "care_full")] + [
        CareRight(c, "care_ehic", ART_19) for c in situation.work_countries if c != residence]
    decision.caveats.append(Note("caveat_several_states_indicator"))
    limit = rules()["telework_agreement"]["limit_percent"]
    if share < limit and situation.status != "self_employed":
        # The part in the state of residence may be telework: then the framework agreement may apply.
        decision.caveats.insert(0, Note("caveat_telework_agreement_possible",
                                        {"residence_country": residence, "limit": str(limit)}))
    decision.notes.append(residence_decides_note())
    return decision


def _employer_seat(situation: Situation, seat: str) -> Decision:
    """Art. 13(1)(b)(i): no substantial part in the state of residence, one employer: the state of its seat."""
    if seat == situation.residence_country:
        decision = new(situation, "work_several_states_employer_seat", seat, "why_employer_seat")
        decision.care = [CareRight(seat, "care_full"), elsewhere_with_ehic()]
    else:
        decision = insured_abroad(situation, "work_several_states_employer_seat", seat, "why_employer_seat",
                                  CareRight(seat, "care_full", ART_18))
    decision.cross_border = True
    decision.caveats.append(Note("caveat_one_employer"))
    decision.notes.append(residence_decides_note())
    return decision


def _posted(situation: Situation) -> Decision:
    return posting.decide(situation, _worker)


def _civil_servant(situation: Situation) -> Decision:
    administration = situation.administration_country or situation.work_countries[0]
    if administration == situation.residence_country:
        decision = same_country(situation, administration)
    else:
        decision = insured_abroad(situation, "civil_servant", administration, "why_civil_servant",
                                  CareRight(administration, "care_full", ART_18))
    assumed = situation.administration_country is None
    decision.caveats.append(Note("caveat_civil_servant_assumed" if assumed else "caveat_civil_servant"))
    return decision


def _pensioner(situation: Situation) -> Decision:
    if not situation.still_working:
        return pensions.decide(situation)
    # Art. 31: a pensioner who works is insured through the work, like any worker.
    decision = _worker(as_status(situation, "employee", still_working=False))
    decision = specific_rule(decision, situation, "pensioner_working", "why_pensioner_working",
                              "Reg. 883/2004 Art. 31")
    decision.caveats.append(Note("caveat_art31"))
    return decision


def _unemployed(situation: Situation) -> Decision:
    residence = situation.residence_country
    decision = new(situation, "unemployed", residence, "why_unemployed")
    decision.care = [CareRight(residence, "care_full"), elsewhere_with_ehic()]
    if any(c != residence for c in situation.work_countries):
        decision.cross_border = True
        decision.notes.append(Note("note_unemployed_frontier"))
    decision.caveats.append(Note("caveat_unemployed_benefit_abroad"))
    return decision


def _inactive(situation: Situation) -> Decision:
    residence = situation.residence_country
    decision = new(situation, "inactive", residence, "why_inactive")
    decision.care = [CareRight(residence, "care_full"), elsewhere_with_ehic()]
    decision.caveats.append(Note("caveat_students" if situation.status == "student" else "caveat_inactive"))
    return decision


def _family_member(situation: Situation) -> Decision:
    if situation.insured_person_pensioner:
        return pensions.family_of_pensioner(situation)
    insured_in = situation.insured_person_country
    if insured_in == situation.residence_country:
        decision = same_country(situation, insured_in)
    else:
        decision = insured_abroad(situation, "family", insured_in, "why_family",
                                  CareRight(insured_in, "care_family_in_competent_state", ART_18_2))
        decision.caveats.append(Note("caveat_annex_iii"))
    decision.caveats.append(Note("caveat_own_insurance_first"))
    return decision


_BY_STATUS = {
    "posted_worker": _posted,
    "civil_servant": _civil_servant,
    "pensioner": _pensioner,
    "unemployed": _unemployed,
    "student": _inactive,
    "not_working": _inactive,
    "family_member": _family_member,
    **{status: _worker for status in WORKER_STATUSES},
}


# -- checks applied to every decision ------------------------------------------------------------

def _flag_unverified_steps(decision: Decision) -> None:
    """Put a caveat up front for every part of the route the sources do not confirm."""
    flags = []
    for step in decision.registration:
        if step.form in ("A1", "EHIC"):
            continue
        if step.issuer_confidence == "uncertain":
            flags.append(Note("caveat_issuer_unverified", {"country": decision.competent_country}))
        if step.registration_confidence == "uncertain":
            flags.append(Note("caveat_registration_unverified", {"country": decision.situation.residence_country}))
    decision.caveats[:0] = [f for f in flags if f not in decision.caveats]


def _check_current_insurer(decision: Decision) -> None:
    situation = decision.situation
    country = insurer_country(situation.current_insurer)
    if country and decision.determined and country not in (decision.competent_country, situation.residence_country):
        decision.caveats.insert(0, Note("caveat_current_insurer_elsewhere",
                                        {"insurer": situation.current_insurer, "country": country}))


def _order_caveats(decision: Decision) -> None:
    """Caveats about other people (family members) or generic limits go after the ones about this case."""
    decision.caveats.sort(key=lambda note: note.key in _GENERAL_CAVEATS)


def decide(situation: Situation) -> Decision:
    """The competent country and institution, forms, care rights, legal basis, sources and caveats."""
    missing = situation.missing()
    if missing:
        return Decision(situation=situation, case="incomplete", confidence="uncertain", missing=missing,
                        ask=ask(situation.residence_country))
    decision = _BY_STATUS[situation.status](situation)
    apply_bilateral_rules(decision)
    _order_caveats(decision)
    _flag_unverified_steps(decision)
    _check_current_insurer(decision)
    decision.confidence = weakest(decision.confidence, *(s.confidence for s in decision.registration
                                                         if s.form not in ("A1", "EHIC")))
    if not decision.determined:
        decision.confidence = "uncertain"
    return decision
