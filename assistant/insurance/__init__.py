"""Competent-insurer lookup for cross-border patients (BE, FR, LU, DE, NL).

    from assistant.insurance import Situation, decide, extract_situation, render
    situation = extract_situation("I live in Arlon and work in Luxembourg as an employee")
    situation.missing()            # facts still needed for this status
    resolution = resolve(situation)  # answer first: what is assumed, what still changes the answer
    decision = decide(situation)   # competent country, institutions, forms, care, legal basis, sources
    render(decision, "fr")         # short chat reply

Pure Python (standard library, pyyaml, rapidfuzz): no Rasa imports, usable from actions and the shell
(``python -m assistant.insurance --help``). Facts come from data/insurance/*.yml.
"""
from assistant.insurance.assumptions import Resolution, resolve
from assistant.insurance.decision import CareRight, Decision, Note, RegistrationStep, Source
from assistant.insurance.extract import extract, extract_situation
from assistant.insurance.render import render
from assistant.insurance.rules import decide
from assistant.insurance.situation import COUNTRIES, FIELD_TO_SLOT, STATUSES, Situation

__all__ = [
    "COUNTRIES",
    "FIELD_TO_SLOT",
    "STATUSES",
    "CareRight",
    "Decision",
    "Note",
    "RegistrationStep",
    "Resolution",
    "Situation",
    "Source",
    "decide",
    "extract",
    "extract_situation",
    "render",
    "resolve",
]
