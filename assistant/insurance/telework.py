"""Telework from home, in the state of residence, for an employer based in another state.

Working from home is work in the state of residence, so someone who teleworks works in two states (Art. 13):
- under 25 % of the working time at home: the state of the employer's seat stays competent (Art. 13(1)(b)(i);
  occasional telework does not even count, Art. 11(3)(a));
- 25 % or more: the state of residence is competent (Art. 13(1)(a), 25 % from Art. 14(8) of Reg. 987/2009).
  Under the framework agreement on habitual cross-border telework (Art. 16(1), in force 1 July 2023) the
  employer's state is competent instead only if the employer (with the employee) requests it and the A1 is issued,
  while the telework is under 50 % of the working time; employees only, both states signatories. Whether the
  employer asked is not known here: the reply leads with the state of residence and says what would change it;
- 50 % or more: the state of residence.
A telework share nobody gave does not stop the answer: the state of work, saying that under 25 % is assumed.
"""
from __future__ import annotations

from typing import Optional

from assistant.insurance.building import ART_19, new, recast, residence_decides_note, rules, work_one_state
from assistant.insurance.decision import CareRight, Decision, Note, RegistrationStep
from assistant.insurance.situation import WORKER_STATUSES, Situation


def _employer_state(situation: Situation) -> Optional[str]:
    """The one state of work other than the state of residence (None when there are several)."""
    abroad = [c for c in situation.work_countries if c != situation.residence_country]
    return abroad[0] if len(abroad) == 1 else None


def applies(situation: Situation) -> bool:
    return bool(situation.teleworks) and situation.status in WORKER_STATUSES and bool(situation.residence_country) \
        and _employer_state(situation) is not None


def _share(situation: Situation) -> Optional[float]:
    # "Je travaille au Luxembourg et en France (télétravail, 40 %)": the share of work at home, however given.
    if situation.telework_share is not None:
        return situation.telework_share
    return situation.residence_work_share if situation.residence_country in situation.work_countries else None


def _limits() -> dict:
    return {"threshold": rules()["several_states_substantial_share_percent"],
            "limit": rules()["telework_agreement"]["limit_percent"]}


def _agreement_applies(situation: Situation, seat: str) -> bool:
    signatories = rules()["telework_agreement"]["signatories"]
    return situation.status != "self_employed" and situation.residence_country in signatories and seat in signatories


def decide(situation: Situation) -> Decision:
    seat = situation.employer_country or _employer_state(situation)
    share = _share(situation)
    limits = _limits()
    if share is None:
        decision = _in_state_of_work(situation, seat, "telework_share_unknown", "why_telework_share_unknown")
        # The case is uncertain because the share is not known: say what the answer takes it to be.
        decision.caveats.insert(0, Note("caveat_telework_share_assumed", {"threshold": str(limits["threshold"])}))
    elif share < limits["threshold"]:
        decision = _in_state_of_work(situation, seat, "telework_below_substantial", "why_telework_below")
        decision.notes.append(residence_decides_note())
    elif share < limits["limit"] and _agreement_applies(situation, seat):
        decision = _framework_agreement(situation, seat, share)
    else:
        decision = _in_state_of_residence(situation, seat, share)
    _add_tax_note(decision, seat)
    return decision


def _in_state_of_work(situation: Situation, seat: str, case: str, reason: str) -> Decision:
    decision = work_one_state(situation, seat)
    return recast(decision, situation, case, reason, country=seat, residence_country=situation.residence_country,
                  **_limits())


def _residence_route(situation: Situation, seat: str, case: str, reason: str, share: float) -> Decision:
    """25 % or more at home: the state of residence (Art. 13(1)(a)); the employer's state only for stays there."""
    residence = situation.residence_country
    decision = new(situation, case, residence, reason, residence_country=residence, country=seat,
                   share=f"{share:g}", **_limits())
    decision.cross_border = True
    decision.care = [CareRight(residence, "care_full"), CareRight(seat, "care_ehic", ART_19)]
    return decision


def _framework_agreement(situation: Situation, seat: str, share: float) -> Decision:
    """25 % up to under 50 %: the state of residence unless the employer requests the A1 under the framework
    agreement in the state of its seat. Which one holds is the employer's request, not known here: the answer
    leads with the default and the caveat says what it assumes and who decides."""
    decision = _residence_route(situation, seat, "telework_framework_agreement", "why_telework_agreement", share)
    office = rules()["telework_agreement"]["request_to"][seat]
    decision.registration = [RegistrationStep("A1", issued_by=office["institution"],
                                              issuer_confidence=office["confidence"], purpose="telework")]
    decision.caveats = [Note("caveat_telework_agreement_assumed", {"country": seat}),
                        Note("caveat_telework_agreement_conditions",
                             {"years": str(rules()["telework_agreement"]["a1_valid_years"])})]
    decision.notes.append(residence_decides_note())
    return decision


def _in_state_of_residence(situation: Situation, seat: str, share: float) -> Decision:
    """25 % or more at home with the agreement out of reach (50 % or more, self-employed, a state not signed)."""
    decision = _residence_route(situation, seat, "telework_residence", "why_telework_residence", share)
    if share >= _limits()["limit"]:
        decision.notes.append(Note("note_telework_over_limit", {"limit": str(_limits()["limit"])}))
    elif situation.status == "self_employed":
        decision.caveats.append(Note("caveat_telework_agreement_employees_only"))
    else:
        decision.caveats.append(Note("caveat_telework_not_signatory", {"country": seat}))
    decision.notes.append(residence_decides_note())
    return decision


def _add_tax_note(decision: Decision, seat: str) -> None:
    """Income tax has its own limit (days a year), set by the tax treaty of the two states: found only for
    employees of employers in Luxembourg (the treaties count days of salaried work; the self-employed are taxed by
    other articles)."""
    situation = decision.situation
    if situation.status == "self_employed":
        return
    tax = ((rules().get("telework_tax_days") or {}).get(seat) or {}).get(situation.residence_country)
    if tax:
        decision.notes.append(Note("note_telework_tax", {"country": seat, "days": str(tax["days"]),
                                                         "year": str(tax["from_income_year"])},
                                   confidence=tax["confidence"]))
