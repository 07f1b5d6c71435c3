"""Pensioners and their families (Reg. 883/2004 Art. 23-28; Art. 31, a pensioner who works, is in rules.py).

- a pension from the state of residence too: that state (Art. 23);
- pensions only from other states: the paying state bears the costs and issues the S1 (Art. 24(1) where the right
  to care in the state of residence depends on insurance or work, Art. 25 where it does not: the same route,
  and the institution of the place of residence knows which article it is);
- several paying states, none of them the residence: the one where the person was insured longest (Art. 24(2));
- care during a stay in the paying state: as if living there if it is listed in Annex IV (Art. 27(2); all five
  are, one source); former frontier workers may continue a treatment in the former state of work (Art. 28(1))
  and, if both states are in Annex V, get full care there with the S3 (Art. 28(2));
- the family follows the pensioner (Art. 24-26), not the rules of workers' families (Art. 17-18, Annex III).
"""
from __future__ import annotations

from typing import List, Optional

from assistant.insurance.building import ART_27_2, ART_28_1, ART_28_2, ask, insured_abroad, new, rules, same_country
from assistant.insurance.decision import CareRight, Decision, Note
from assistant.insurance.situation import Situation

_ART_27_1 = "Reg. 883/2004 Art. 27(1)"


def _in_annex_v(*countries: str) -> bool:
    return all(c in rules()["annex_v"]["countries"] for c in countries)


def former_work_state_care(country: str, cost_state: str) -> List[CareRight]:
    """Art. 28: continuing a treatment begun in the former state of work; full care there with the S3 only
    if that state and the state bearing the costs of the pensioner's care are both in Annex V."""
    rights = [CareRight(country, "care_art28_continuation", ART_28_1)]
    if _in_annex_v(country, cost_state):
        rights.append(CareRight(country, "care_art28_s3", ART_28_2, form="S3",
                                confidence=rules()["annex_v"]["confidence"]))
    return rights


def _annex_v_note(countries: List[str], cost_state: str) -> Note:
    """Whether the S3 exists between these states, said plainly (Annex V, one source)."""
    outside = [c for c in [*countries, cost_state] if not _in_annex_v(c)]
    if outside:
        return Note("caveat_annex_v_not_listed", {"country": outside[0]})
    return Note("caveat_annex_v", {"countries": ",".join(rules()["annex_v"]["countries"])})


def _annex_iv_care(state: str) -> Optional[CareRight]:
    """Art. 27(2): a pensioner and the family staying in the state that bears the costs get care there as if they
    lived there when Annex IV lists it (None when it does not)."""
    annex_iv = rules()["annex_iv"]
    if state not in (annex_iv["countries"] or ()):
        return None
    return CareRight(state, "care_full_stay", ART_27_2, confidence=annex_iv["confidence"])


def decide(situation: Situation) -> Decision:
    residence, pensions = situation.residence_country, situation.pension_countries
    others = [c for c in pensions if c != residence]
    if residence in pensions:
        return same_country(situation, residence) if not others else _pension_residence(situation, others)
    if len(others) == 1:
        return _pension_abroad(situation, others[0])
    decision = new(situation, "pension_several_states_abroad", None, "reason_several_pensions_abroad")
    decision.cross_border = True
    decision.ask = ask(*others, residence)
    return decision


def _pension_residence(situation: Situation, others: List[str]) -> Decision:
    """Art. 23: a pension from the state of residence makes it competent, whatever the other pensions."""
    residence = situation.residence_country
    decision = new(situation, "pension_residence", residence, "why_pension_residence")
    decision.cross_border = True
    decision.care = [CareRight(residence, "care_full")]
    for country in others:
        decision.care.extend(former_work_state_care(country, residence))
    decision.caveats.append(_annex_v_note(others, residence))
    return decision


def _pension_abroad(situation: Situation, state: str) -> Decision:
    """Art. 24(1)/25: the paying state bears the costs; S1 to the state of residence. Care there during a stay:
    full care where Annex IV lists it (a former frontier worker's Art. 28 rights there add nothing then), else
    what Art. 28 leaves a former frontier worker."""
    listed = _annex_iv_care(state)
    care = [listed] if listed else former_work_state_care(state, state)
    decision = insured_abroad(situation, "pension_one_state_abroad", state, "why_pension_abroad", care[0],
                              pension=True)
    decision.care[1:1] = care[1:]
    decision.caveats.append(Note("caveat_annex_iv", {"country": state}) if listed else _annex_v_note([state], state))
    decision.notes.append(Note("note_art24_or_25", {"residence_country": situation.residence_country}))
    return decision


def family_of_pensioner(situation: Situation) -> Decision:
    """The family of a pensioner is covered through the pensioner's competent state (Art. 24-26)."""
    insured_in = situation.insured_person_country
    if insured_in == situation.residence_country:
        decision = same_country(situation, insured_in)
    else:
        listed = _annex_iv_care(insured_in)
        decision = insured_abroad(situation, "family_of_pensioner", insured_in, "why_family_of_pensioner",
                                  listed or CareRight(insured_in, "care_ehic", _ART_27_1), pension=True)
        if listed:
            decision.caveats.append(Note("caveat_annex_iv", {"country": insured_in}))
    decision.notes.append(Note("note_family_of_pensioner"))
    decision.caveats.append(Note("caveat_own_insurance_first"))
    return decision
