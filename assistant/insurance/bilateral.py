"""Applies the bilateral / national specifics of rules.yml (BL1, S072, Verdragspolis...) to a decision."""
from __future__ import annotations

from typing import Any, Dict

from assistant.insurance.decision import Decision, Note, Source
from assistant.insurance.lexicon import french_department
from assistant.insurance.reference_data import load, source

# Forms that a bilateral document replaces: the standard EU registration document.
_REPLACEABLE_FORM = "S1"


def _matches(rule: Dict[str, Any], decision: Decision) -> bool:
    situation = decision.situation
    competent = decision.competent_country
    if "residence" in rule and situation.residence_country not in rule["residence"]:
        return False
    if "competent" in rule and competent not in rule["competent"]:
        return False
    if "statuses" in rule and (decision.rules_status or situation.status) not in rule["statuses"]:
        return False
    if "insured_abroad" in rule:
        insured_abroad = competent is not None and competent != situation.residence_country
        if insured_abroad != rule["insured_abroad"]:
            return False
    if "departments" in rule:
        department = french_department(situation.residence_place)
        wanted = rule["departments"]
        if (department is not None) if wanted == "unknown" else (department not in wanted):
            return False
    return True


def _source(source_id: str) -> Source:
    entry = source(source_id)
    return Source(entry["title"], entry["url"], entry.get("confidence", "solid"))


def _case_source_first(decision: Decision) -> bool:
    """The case's own source stays first (telework, posting past 24 months...): the case is the point."""
    return bool((load("rules")["cases"].get(decision.case) or {}).get("own_source_first"))


def apply_bilateral_rules(decision: Decision) -> Decision:
    """Changes ``decision`` in place where a bilateral rule applies, and returns it."""
    if not decision.determined:
        return decision
    for rule in load("rules").get("bilateral", ()):
        if not _matches(rule, decision):
            continue
        decision.applied_rules.append(rule["id"])
        for step in decision.registration:
            if step.registered_with is None:
                continue
            if "form" in rule and step.form == _REPLACEABLE_FORM:
                step.form = rule["form"]
                step.sent_directly = bool(rule.get("sent_directly"))
            if "registered_with" in rule:
                step.registered_with = rule["registered_with"]
                step.registration_confidence = rule.get("registration_confidence", "solid")
        if "form" in rule:
            for right in decision.care:
                if right.form == _REPLACEABLE_FORM:
                    right.form = rule["form"]
        decision.legal_basis.extend(b for b in rule.get("legal_basis", ()) if b not in decision.legal_basis)
        new_sources = [_source(s) for s in rule.get("sources", ())]
        if rule.get("source_first") and not _case_source_first(decision):
            decision.sources = new_sources + [s for s in decision.sources if s not in new_sources]
        else:
            decision.sources = decision.sources + [s for s in new_sources if s not in decision.sources]
        decision.notes.extend(Note(key) for key in rule.get("notes", ()))
        decision.caveats.extend(Note(key) for key in rule.get("caveats", ()))
    return decision
