"""Building blocks of the decisions (used by rules.py, telework.py, posting.py, pensions.py).

A case module decides WHICH case applies; these helpers fill in what rules.yml says about the case (legal basis,
sources, confidence), the institutions, the S1 route and the care on each side.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, Iterable, List, Optional, Tuple

from assistant.insurance.decision import CareRight, Decision, Note, RegistrationStep, Source
from assistant.insurance.reference_data import load, source
from assistant.insurance.situation import Situation

ART_17 = "Reg. 883/2004 Art. 17"
ART_18 = "Reg. 883/2004 Art. 18(1)"
ART_18_2 = "Reg. 883/2004 Art. 18(2)"
ART_19 = "Reg. 883/2004 Art. 19"
ART_24 = "Reg. 883/2004 Art. 24(1)"
ART_26 = "Reg. 883/2004 Art. 26"
ART_27_2 = "Reg. 883/2004 Art. 27(2)"
ART_28_1 = "Reg. 883/2004 Art. 28(1)"
ART_28_2 = "Reg. 883/2004 Art. 28(2)"

# The cases whose reason a more specific rule may replace: one state of work, or none abroad.
_PLAIN_WORK_CASES = frozenset({"work_one_state", "same_country"})


def rules() -> Dict[str, Any]:
    return load("rules")


def unique(items: Iterable[str]) -> Tuple[str, ...]:
    seen: List[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return tuple(seen)


def ask(*countries: Optional[str]) -> Tuple[str, ...]:
    table = rules()["ask"]
    return unique(i for c in countries if c for i in table.get(c, ()))


def competent_institutions(country: str, on_pension_abroad: bool = False) -> Tuple[str, ...]:
    if on_pension_abroad:
        special = rules()["competent_institutions_living_abroad_on_pension"].get(country)
        if special:
            return tuple(special)
    return tuple(rules()["competent_institutions"][country])


def source_of(source_id: str) -> Source:
    entry = source(source_id)
    return Source(entry["title"], entry["url"], entry.get("confidence", "solid"))


def _case_config(situation: Situation, case: str) -> Tuple[List[str], List[Source], str]:
    config = rules()["cases"][case]
    basis = (config.get("legal_basis_by_status") or {}).get(situation.status) or config["legal_basis"]
    return list(basis), [source_of(s) for s in config["sources"]], config["confidence"]


def new(situation: Situation, case: str, competent: Optional[str], reason: str, **reason_values) -> Decision:
    """A decision with the legal basis, sources and confidence that rules.yml gives the case."""
    basis, sources, confidence = _case_config(situation, case)
    return Decision(
        situation=situation,
        case=case,
        competent_country=competent,
        institution_ids=competent_institutions(competent) if competent else (),
        reason=Note(reason, {k: str(v) for k, v in reason_values.items()}),
        legal_basis=basis,
        sources=sources,
        confidence=confidence,
        ask=ask(competent, situation.residence_country),
        cross_border=competent is not None and competent != situation.residence_country,
    )


def recast(decision: Decision, situation: Situation, case: str, reason: str, *, reason_confidence: str = "solid",
           **reason_values) -> Decision:
    """The same route (institutions, forms, care) under another case: its legal basis, sources and reason.
    Used where a special rule leads to the same country as a general one (Art. 31, Art. 13(3), telework).
    The decision keeps the status its route was built for (``rules_status``) and gets the person's situation.
    ``reason_confidence``: how sure a fact the reason names is (the body that takes a request)."""
    basis, sources, confidence = _case_config(situation, case)
    adopt(decision, situation)
    decision.case = case
    decision.reason = Note(reason, {k: str(v) for k, v in reason_values.items()}, reason_confidence)
    decision.legal_basis = basis + [b for b in decision.legal_basis if b not in basis]
    decision.sources = sources + [s for s in decision.sources if s not in sources]
    decision.confidence = confidence
    return decision


def specific_rule(decision: Decision, situation: Situation, case: str, reason: str, article: str, *,
                  reason_confidence: str = "solid", **values) -> Decision:
    """A special rule (Art. 13(3), Art. 31, a posting past 24 months) that leads back to the general one: its
    case and reason where the general decision is a plain one, else only its article in front of the legal basis."""
    if decision.case in _PLAIN_WORK_CASES:
        return recast(decision, situation, case, reason, reason_confidence=reason_confidence, **values)
    adopt(decision, situation)
    decision.legal_basis.insert(0, article)
    return decision


def adopt(decision: Decision, situation: Situation) -> Decision:
    """Gives a decision made on another reading of the situation (``as_status``) the person's own situation,
    keeping the status whose rules it applied."""
    if decision.situation.status != situation.status:
        decision.rules_status = decision.situation.status
    decision.situation = situation
    return decision


def as_status(situation: Situation, status: str, **changes) -> Situation:
    """The situation read with another status (a posted worker past 24 months is an ordinary employee)."""
    return replace(situation, status=status, **changes)


def s1_step(competent: str, residence: str, pension: bool = False) -> RegistrationStep:
    """The S1: issued in the competent country, registered in the country of residence (Art. 17)."""
    issuer = (rules().get("s1_issuer_pension") or {}).get(competent) if pension else None
    issuer = issuer or rules()["s1_issuer"][competent]
    registrar = rules()["s1_registration"][residence]
    return RegistrationStep(
        form="S1",
        issued_by=issuer["institution"],
        registered_with=registrar["institution"],
        issuer_confidence=issuer.get("confidence", "solid"),
        registration_confidence=registrar.get("confidence", "solid"),
    )


def elsewhere_with_ehic() -> CareRight:
    return CareRight(None, "care_ehic", ART_19)


def same_country(situation: Situation, country: str) -> Decision:
    decision = new(situation, "same_country", country, "why_same_country")
    decision.cross_border = False
    decision.care = [CareRight(country, "care_full"), elsewhere_with_ehic()]
    return decision


def insured_abroad(situation: Situation, case: str, competent: str, reason: str,
                   competent_care: CareRight, pension: bool = False) -> Decision:
    """Insured in ``competent`` while living in another country: S1 to the country of residence."""
    residence = situation.residence_country
    decision = new(situation, case, competent, reason)
    if pension:
        decision.institution_ids = competent_institutions(competent, on_pension_abroad=True)
    decision.registration = [s1_step(competent, residence, pension=pension)]
    decision.care = [competent_care,
                     CareRight(residence, "care_full_with_form", ART_24 if pension else ART_17, form="S1")]
    return decision


def work_one_state(situation: Situation, work: str) -> Decision:
    """Employed or self-employed in one state (Art. 11(3)(a)): insured there, S1 where one lives."""
    if work == situation.residence_country:
        decision = same_country(situation, work)
        if situation.status == "frontier_worker":
            decision.caveats.append(Note("caveat_not_frontier_worker"))
        return decision
    decision = insured_abroad(situation, "work_one_state", work, "why_work", CareRight(work, "care_full", ART_18))
    decision.caveats.append(Note("caveat_annex_iii"))
    return decision


def residence_decides_note() -> Note:
    """Work in two states: the institution of the state of residence determines the legislation (Art. 16 of
    Reg. 987/2009, ccss_art13); the assistant cannot."""
    return Note("note_residence_institution_decides")
