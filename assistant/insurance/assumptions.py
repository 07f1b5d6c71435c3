"""Answer first: decide with what the person told, assuming what would not change the answer.

Someone who says where they live and where they work is insured in the state of work whether they
are employed or self-employed (Reg. 883/2004 Art. 11(3)(a)): asking for the status would delay the
answer and change nothing, so the status is assumed and the reply says so. Only a fact that changes
the answer is asked for, and while asking, the reply already says what the known facts decide (the
general rule for this status, or the competent country when the work country alone decides it).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional, Tuple

from assistant.insurance.decision import Decision, Note
from assistant.insurance.rules import decide
from assistant.insurance.situation import WORKER_STATUSES, Situation

# The status assumed from what the message says, and the i18n key of the sentence that says so.
_ASSUMED_WORKER = ("employee", "assumed_worker")
# With telework, employed and self-employed differ (the framework agreement is for employees): the assumption says so.
_ASSUMED_TELEWORKER = ("employee", "assumed_employee_telework")
_ASSUMED_PENSIONER = ("pensioner", "assumed_pensioner")
_ASSUMED_FAMILY = ("family_member", "assumed_family_member")


@dataclass(frozen=True)
class Resolution:
    told: Situation                       # what the person said
    assumed: Situation                    # with the assumptions applied
    assumptions: Tuple[Note, ...] = ()    # what was assumed, to be said in the reply
    ask: Tuple[str, ...] = ()             # Situation fields that still change the answer, in asking order
    partial: Optional[Note] = None        # while asking: what the known facts already decide

    @property
    def answerable(self) -> bool:
        return not self.ask

    def decision(self) -> Decision:
        """The decision on the assumed situation (only when answerable)."""
        return decide(self.assumed)

    @property
    def knows_anything(self) -> bool:
        told = self.told
        return bool(told.residence_country or told.status or told.work_countries or told.pension_countries
                    or told.insured_person_country or told.sending_country)


def _assumed_status(told: Situation) -> Optional[Tuple[str, str]]:
    if told.status:
        return None
    if len(told.work_countries) == 1:
        # One state of work: employed and self-employed are both insured there (Art. 11(3)(a)). In several
        # states the two differ (Art. 13(1) employer's seat, 13(2) centre of interest): the status is asked.
        return _ASSUMED_TELEWORKER if told.teleworks else _ASSUMED_WORKER
    if told.pension_countries:
        return _ASSUMED_PENSIONER
    if told.insured_person_country:
        return _ASSUMED_FAMILY
    return None


def _partial(assumed: Situation, ask: Tuple[str, ...]) -> Note:
    """What the facts known so far already say, shown before the question."""
    status, residence = assumed.status, assumed.residence_country
    if status in WORKER_STATUSES:
        if len(assumed.work_countries) == 1:
            return Note("partial_work_country", {"country": assumed.work_countries[0]})
        if "residence_work_share" in ask:
            return Note("partial_several_states", {"residence_country": residence})
        return Note("partial_worker")
    if status == "pensioner":
        if assumed.still_working:
            return Note("partial_pensioner_working")
        if residence:
            return Note("partial_pensioner_residence", {"residence_country": residence})
        return Note("partial_pensioner")
    if status == "posted_worker":
        return Note("partial_posted")
    if status == "civil_servant":
        return Note("partial_civil_servant")
    if status == "family_member":
        return Note("partial_family_member")
    if status in ("unemployed", "student", "not_working"):
        return Note("partial_inactive")
    if len(assumed.work_countries) > 1:
        return Note("partial_several_states", {"residence_country": residence})
    if residence:
        return Note("partial_residence_only", {"residence_country": residence})
    return Note("partial_general")


def resolve(told: Situation) -> Resolution:
    """What can be answered now, under which assumptions, and what must still be asked."""
    assumed, assumptions = told, []
    guess = _assumed_status(told)
    if guess:
        status, key = guess
        assumed = replace(told, status=status)
        countries = told.work_countries or told.pension_countries or (told.insured_person_country,)
        assumptions.append(Note(key, {"countries": ",".join(countries)}))
    ask = assumed.missing()
    partial = _partial(assumed, ask) if ask else None
    return Resolution(told, assumed, tuple(assumptions), ask, partial)
