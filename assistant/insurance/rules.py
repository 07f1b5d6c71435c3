"""Which country's health insurance is competent for a situation, and what follows from it.

The logic follows Reg. (EC) 883/2004 as summarised in /work/shared/domain/facts.md section 3: one
applicable legislation (Art. 11), several states (Art. 13), residence outside the competent state
(Art. 17, S1), stay in the competent state (Art. 18), pensioners (Art. 23, 24, 28). Article strings,
sources, institutions and bilateral specifics live in data/insurance/*.yml.
"""
from __future__ import annotations

from typing import Iterable, List, Optional, Tuple

from assistant.insurance.bilateral import apply_bilateral_rules
from assistant.insurance.decision import CareRight, Decision, Note, RegistrationStep, Source
from assistant.insurance.reference_data import insurer_country, load, source, weakest
from assistant.insurance.situation import WORKER_STATUSES, Situation

ART_17 = "Reg. 883/2004 Art. 17"
ART_18 = "Reg. 883/2004 Art. 18(1)"
ART_18_2 = "Reg. 883/2004 Art. 18(2)"
ART_19 = "Reg. 883/2004 Art. 19"
ART_24 = "Reg. 883/2004 Art. 24(1)"
ART_28_1 = "Reg. 883/2004 Art. 28(1)"
ART_28_2 = "Reg. 883/2004 Art. 28(2)"

_GENERAL_CAVEATS = frozenset({"caveat_annex_iii", "caveat_own_insurance_first"})


def _rules():
    return load("rules")


def _unique(items: Iterable[str]) -> Tuple[str, ...]:
    seen: List[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return tuple(seen)


def _ask(*countries: Optional[str]) -> Tuple[str, ...]:
    table = _rules()["ask"]
    return _unique(i for c in countries if c for i in table.get(c, ()))


def _competent_institutions(country: str, on_pension_abroad: bool = False) -> Tuple[str, ...]:
    if on_pension_abroad:
        special = _rules()["competent_institutions_living_abroad_on_pension"].get(country)
        if special:
            return tuple(special)
    return tuple(_rules()["competent_institutions"][country])


def _new(situation: Situation, case: str, competent: Optional[str], reason: str, **reason_values) -> Decision:
    """A decision with the legal basis, sources and confidence that rules.yml gives the case."""
    config = _rules()["cases"][case]
    basis = (config.get("legal_basis_by_status") or {}).get(situation.status) or config["legal_basis"]
    sources = [Source(**{k: v for k, v in source(s).items() if k in ("title", "url", "confidence")})
               for s in config["sources"]]
    return Decision(
        situation=situation,
        case=case,
        competent_country=competent,
        institution_ids=_competent_institutions(competent) if competent else (),
        reason=Note(reason, dict(reason_values)),
        legal_basis=list(basis),
        sources=sources,
        confidence=config["confidence"],
        ask=_ask(competent, situation.residence_country),
        cross_border=competent is not None and competent != situation.residence_country,
    )


def _s1_step(competent: str, residence: str, pension: bool = False) -> RegistrationStep:
    """The S1: issued in the competent country, registered in the country of residence (Art. 17)."""
    issuers = _rules()["s1_issuer"]
    issuer = (_rules().get("s1_issuer_pension") or {}).get(competent) if pension else None
    issuer = issuer or issuers[competent]
    registrar = _rules()["s1_registration"][residence]
    return RegistrationStep(
        form="S1",
        issued_by=issuer["institution"],
        registered_with=registrar["institution"],
        issuer_confidence=issuer.get("confidence", "solid"),
        registration_confidence=registrar.get("confidence", "solid"),
    )


def _elsewhere_with_ehic() -> CareRight:
    return CareRight(None, "care_ehic", ART_19)


# -- the cases --------------------------------------------------------------------------------

def _same_country(situation: Situation, country: str) -> Decision:
    decision = _new(situation, "same_country", country, "why_same_country")
    decision.cross_border = False
    decision.care = [CareRight(country, "care_full"), _elsewhere_with_ehic()]
    return decision


def _insured_abroad(situation: Situation, case: str, competent: str, reason: str,
                    competent_care: CareRight, pension: bool = False) -> Decision:
    """Insured in ``competent`` while living in another country: S1 to the country of residence."""
    residence = situation.residence_country
    decision = _new(situation, case, competent, reason)
    if pension:
        decision.institution_ids = _competent_institutions(competent, on_pension_abroad=True)
    decision.registration = [_s1_step(competent, residence, pension=pension)]
    decision.care = [competent_care,
                     CareRight(residence, "care_full_with_form", ART_24 if pension else ART_17, form="S1")]
    return decision


def _worker(situation: Situation) -> Decision:
    if situation.works_in_several_states:
        return _several_states(situation)
    work = situation.work_countries[0]
    if work == situation.residence_country:
        decision = _same_country(situation, work)
        if situation.status == "frontier_worker":
            decision.caveats.append(Note("caveat_not_frontier_worker"))
        return decision
    decision = _insured_abroad(situation, "work_one_state", work, "why_work", CareRight(work, "care_full", ART_18))
    decision.caveats.append(Note("caveat_annex_iii"))
    return decision


def _several_states(situation: Situation) -> Decision:
    residence = situation.residence_country
    threshold = _rules()["several_states_substantial_share_percent"]
    share = situation.residence_work_share
    if residence in situation.work_countries and share is not None and share >= threshold:
        decision = _new(situation, "work_several_states_residence", residence, "why_several_states_residence")
        decision.cross_border = True
        decision.care = [CareRight(residence, "care_full")] + [
            CareRight(c, "care_ehic", ART_19) for c in situation.work_countries if c != residence]
        decision.caveats.append(Note("caveat_several_states_single_source"))
        return decision
    if residence not in situation.work_countries:
        reason = "reason_not_working_in_residence"
    elif share is None:
        reason = "reason_share_unknown"
    else:
        reason = "reason_share_below"
    decision = _new(situation, "work_several_states_unresolved", None, reason, threshold=str(threshold))
    decision.cross_border = True
    decision.ask = _ask(residence, *situation.work_countries)
    decision.caveats.append(Note("caveat_several_states_single_source"))
    return decision


def _posted(situation: Situation) -> Decision:
    sending, residence = situation.sending_country, situation.residence_country
    hosts = [c for c in situation.work_countries if c != sending]
    if not hosts:
        # Working in the sending country itself is not a posting abroad.
        decision = _worker(Situation(**{**situation.to_dict(), "status": "employee"}))
        decision.situation = situation
        return decision
    decision = _new(situation, "posted", sending, "why_posted")
    decision.cross_border = True
    decision.registration = [RegistrationStep("A1", issued_by=None, registered_with=None,
                                              issuer_confidence="uncertain")]
    decision.care = [CareRight(sending, "care_full", ART_18 if residence != sending else "")]
    if residence != sending:
        decision.registration.append(_s1_step(sending, residence))
        if residence not in hosts:
            decision.care.append(CareRight(residence, "care_full_with_form", ART_17, form="S1"))
    for host in hosts:
        if host == residence:
            decision.care.append(CareRight(host, "care_full_with_form", ART_17, form="S1"))
        else:
            decision.care.append(CareRight(host, "care_ehic", ART_19))
    decision.registration.append(RegistrationStep("EHIC", issued_by=_competent_institutions(sending)[0]))
    decision.caveats.insert(0, Note("caveat_posted_unverified"))
    return decision


def _civil_servant(situation: Situation) -> Decision:
    administration = situation.administration_country or situation.work_countries[0]
    if administration == situation.residence_country:
        decision = _same_country(situation, administration)
    else:
        decision = _insured_abroad(situation, "civil_servant", administration, "why_civil_servant",
                                   CareRight(administration, "care_full", ART_18))
    assumed = situation.administration_country is None
    decision.caveats.append(Note("caveat_civil_servant_assumed" if assumed else "caveat_civil_servant"))
    return decision


def _former_work_state_care(country: str) -> List[CareRight]:
    """Art. 28: retired frontier workers keep some care rights in their former state of work."""
    return [CareRight(country, "care_art28_continuation", ART_28_1),
            CareRight(country, "care_art28_s3", ART_28_2, form="S3", confidence="uncertain")]


def _pensioner(situation: Situation) -> Decision:
    residence, pensions = situation.residence_country, situation.pension_countries
    others = [c for c in pensions if c != residence]
    if residence in pensions:
        if not others:
            return _same_country(situation, residence)
        decision = _new(situation, "pension_residence", residence, "why_pension_residence")
        decision.cross_border = True
        decision.care = [CareRight(residence, "care_full")]
        for country in others:
            decision.care.extend(_former_work_state_care(country))
        decision.caveats.append(Note("caveat_annex_v"))
        return decision
    if len(others) == 1:
        state = others[0]
        decision = _insured_abroad(situation, "pension_one_state_abroad", state, "why_pension_abroad",
                                   CareRight(state, "care_art28_continuation", ART_28_1), pension=True)
        decision.care.insert(1, CareRight(state, "care_art28_s3", ART_28_2, form="S3", confidence="uncertain"))
        decision.caveats.extend([Note("caveat_annex_v"), Note("caveat_pension_state_care")])
        return decision
    decision = _new(situation, "pension_several_states_abroad", None, "reason_several_pensions_abroad")
    decision.cross_border = True
    decision.ask = _ask(*others, residence)
    return decision


def _unemployed(situation: Situation) -> Decision:
    residence = situation.residence_country
    decision = _new(situation, "unemployed", residence, "why_unemployed")
    decision.care = [CareRight(residence, "care_full"), _elsewhere_with_ehic()]
    if any(c != residence for c in situation.work_countries):
        decision.cross_border = True
        decision.notes.append(Note("note_unemployed_frontier"))
    decision.caveats.append(Note("caveat_unemployed_benefit_abroad"))
    return decision


def _inactive(situation: Situation) -> Decision:
    residence = situation.residence_country
    decision = _new(situation, "inactive", residence, "why_inactive")
    decision.care = [CareRight(residence, "care_full"), _elsewhere_with_ehic()]
    decision.caveats.append(Note("caveat_students" if situation.status == "student" else "caveat_inactive"))
    return decision


def _family_member(situation: Situation) -> Decision:
    insured_in = situation.insured_person_country
    if insured_in == situation.residence_country:
        decision = _same_country(situation, insured_in)
    else:
        decision = _insured_abroad(situation, "family", insured_in, "why_family",
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
                        ask=_ask(situation.residence_country))
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
