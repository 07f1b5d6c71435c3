"""Posted workers (Art. 12): insured in the sending state for at most 24 months, proven by an A1.

The A1 is issued in the sending state (data/insurance/rules.yml `posting`: ONSS or INASTI in Belgium, Urssaf or
MSA in France, CCSS in Luxembourg, the health fund or the DRV in Germany, SVB in the Netherlands). Past 24 months
the state of work becomes competent (Art. 11(3)(a)) unless the states agree an exception (Art. 16), which the
employer asks for in the sending state; where the body that takes that request is not sourced (Luxembourg) the
reply says it is not verified. Whether the posting conditions are met is the issuing body's call.
"""
from __future__ import annotations

from typing import Callable, List

from assistant.insurance.building import (
    ART_17,
    ART_18,
    ART_19,
    adopt,
    as_status,
    competent_institutions,
    new,
    rules,
    s1_step,
    specific_rule,
)
from assistant.insurance.decision import CareRight, Decision, Note, RegistrationStep
from assistant.insurance.situation import Situation

Worker = Callable[[Situation], Decision]


def a1_step(sending: str) -> RegistrationStep:
    """The A1 of a posting: its issuer, or the issuers to choose from by status."""
    entry = rules()["posting"]["a1_issuers"][sending]
    issuers = entry["issuers"]
    step = RegistrationStep("A1", issuer_confidence=entry["confidence"], purpose="posting")
    if len(issuers) == 1:
        step.issued_by = issuers[0]["institution"]
    else:
        step.issuer_options = tuple((i["institution"], i.get("for")) for i in issuers)
    return step


def decide(situation: Situation, worker: Worker) -> Decision:
    sending = situation.sending_country
    hosts = [c for c in situation.work_countries if c != sending]
    if not hosts:
        # Working in the sending country itself is not a posting abroad.
        return adopt(worker(as_status(situation, "employee")), situation)
    limit = rules()["posting"]["max_months"]
    if situation.posting_months is not None and situation.posting_months > limit:
        return _beyond_limit(situation, worker, limit)
    return _posted(situation, hosts, limit)


def _posted(situation: Situation, hosts: List[str], limit: int) -> Decision:
    sending, residence = situation.sending_country, situation.residence_country
    decision = new(situation, "posted", sending, "why_posted")
    decision.cross_border = True
    decision.registration = [a1_step(sending)]
    decision.care = [CareRight(sending, "care_full", ART_18 if residence != sending else "")]
    if residence != sending:
        decision.registration.append(s1_step(sending, residence))
        if residence not in hosts:
            decision.care.append(CareRight(residence, "care_full_with_form", ART_17, form="S1"))
    for host in hosts:
        if host == residence:
            decision.care.append(CareRight(host, "care_full_with_form", ART_17, form="S1"))
        else:
            decision.care.append(CareRight(host, "care_ehic", ART_19))
    decision.registration.append(RegistrationStep("EHIC", issued_by=competent_institutions(sending)[0]))
    decision.caveats.insert(0, Note("caveat_posted_unverified", {"months": str(limit)}))
    decision.notes.append(_extension_note(sending, limit))
    return decision


def _extension_note(sending: str, limit: int) -> Note:
    office = rules()["posting"]["extension_request_to"][sending]
    return Note("note_posting_extension", {"months": str(limit), "institution": office["institution"]},
                office["confidence"])


def _beyond_limit(situation: Situation, worker: Worker, limit: int) -> Decision:
    """Past 24 months: an ordinary worker in the state of work, unless an Art. 16 exception was agreed."""
    hosts = tuple(c for c in situation.work_countries if c != situation.sending_country)
    decision = worker(as_status(situation, "employee", work_countries=hosts))
    office = rules()["posting"]["extension_request_to"][situation.sending_country]
    return specific_rule(decision, situation, "posted_beyond_limit", "why_posted_beyond_limit",
                         "Reg. 883/2004 Art. 12(1)", reason_confidence=office["confidence"], months=limit,
                         sending_country=situation.sending_country, institution=office["institution"])
