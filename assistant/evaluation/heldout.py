"""The held-out questions (tests/nlu/heldout/): loading, leakage checks against the NLU data, and scoring.

A held-out question is what a real person asked (or, for Luxembourgish and a few rare routes, what we
wrote to sound like one), with the route the first reply must take and the facts a correct reading finds.
Scoring reads what the assistant actually did from the conversation tracker, so the route is the reply
the user gets (the knowledge answer, the insurer answer, a question back...), not only the intent.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

from assistant.insurance.situation import COUNTRIES

ROOT = Path(__file__).resolve().parents[2]
HELDOUT_DIR = ROOT / "tests" / "nlu" / "heldout"
NLU_DIR = ROOT / "data" / "nlu"
LANGUAGES = ("fr", "de", "nl", "lb", "en")
ROUTES = ("knowledge", "insurer", "facility", "emergency", "medical_advice", "human", "out_of_scope", "inform")
SPLITS = ("dev", "test")
ENTITY_KEYS = ("residence_country", "work_country", "pension_country", "employment_status",
               "residence_place", "care_type")

# The intent each route is served by (README of tests/nlu/heldout).
INTENT_OF_ROUTE = {"knowledge": "ask_knowledge", "insurer": "ask_competent_insurer",
                   "facility": "ask_nearest_facility", "emergency": "emergency",
                   "medical_advice": "ask_medical_advice", "human": "ask_human",
                   "out_of_scope": "out_of_scope", "inform": "inform"}
# What the first action after the user's message says about the route the reply took.
ROUTE_OF_ACTION = {
    "action_answer_knowledge": "knowledge",
    "action_competent_insurer": "insurer",
    "insurer_form": "insurer",
    "action_nearest_facility": "facility",
    "facility_form": "facility",
    "utter_emergency": "emergency",
    "utter_no_diagnosis": "medical_advice",
    "utter_handover": "human",
    "utter_out_of_scope": "out_of_scope",
    "utter_ask_goal": "inform",
    # Facts without a question: it answers what they are for, or asks what the user wants to know.
    "action_answer_facts": "inform",
}
# Actions that run on every message before the answer (slot mappings) or that only listen.
_BOOKKEEPING = {"action_listen", "action_extract_slots", "action_validate_slot_mappings",
                "action_session_start"}
# Bumped whenever what counts as the right route changes (retraining compares figures of the same scoring).
# 2: a knowledge answer that begins with the personal insurer result counts for both routes.
HELDOUT_SCORING = 2
# Near-duplicates: a held-out text this similar to a training example counts as leaked.
LEAK_SIMILARITY = 92


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    route: str
    split: str
    origin: str
    url: Optional[str] = None
    entities: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0

    @property
    def expected_intent(self) -> str:
        return INTENT_OF_ROUTE[self.route]


class HeldoutError(ValueError):
    """A malformed held-out file; the message names the file and the question."""


def load_questions(directory: Path = HELDOUT_DIR) -> List[Question]:
    questions: List[Question] = []
    for language in LANGUAGES:
        path = directory / f"{language}.yml"
        if not path.exists():
            continue
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for number, entry in enumerate(entries, start=1):
            questions.append(_question(entry, language, f"{path.name} #{number}", number))
    return questions


def _question(entry: Mapping[str, Any], language: str, where: str, number: int) -> Question:
    text = str(entry.get("text") or "").strip()
    if not text:
        raise HeldoutError(f"{where}: no text")
    route, split, origin = entry.get("route"), entry.get("split"), entry.get("origin")
    if route not in ROUTES:
        raise HeldoutError(f"{where}: route {route!r} is not one of {', '.join(ROUTES)}")
    if split not in SPLITS:
        raise HeldoutError(f"{where}: split {split!r} is not dev or test")
    if origin not in ("real", "written"):
        raise HeldoutError(f"{where}: origin {origin!r} is not real or written")
    if origin == "real" and not str(entry.get("url") or "").startswith("http"):
        raise HeldoutError(f"{where}: a real question needs the url it was taken from")
    entities = dict(entry.get("entities") or {})
    unknown = set(entities) - set(ENTITY_KEYS)
    if unknown:
        raise HeldoutError(f"{where}: unknown entity keys {sorted(unknown)}")
    for key in ("residence_country", "work_country", "pension_country"):
        codes = entities.get(key)
        codes = [codes] if isinstance(codes, str) else list(codes or [])
        if any(code not in COUNTRIES for code in codes):
            # Only the five countries are ever recognised: another one could never be found.
            raise HeldoutError(f"{where}: {key} {codes}: only {', '.join(COUNTRIES)}")
    return Question(text, language, route, split, origin, entry.get("url"), entities, number)


# ------------------------------------------------------------------------------ leakage

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")


def plain_example(example: str) -> str:
    """A training example without its entity annotations: "[Arlon]{...}" -> "Arlon"."""
    return _ANNOTATION.sub(r"\1", example)


def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing do not make a question new."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", folded))


def training_examples(nlu_dir: Path = NLU_DIR) -> List[Tuple[str, str]]:
    """(file name, plain text) of every example in the NLU training data."""
    examples: List[Tuple[str, str]] = []
    for path in sorted(nlu_dir.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append((path.name, plain_example(line[2:].strip())))
    return examples


def leaks(questions: Sequence[Question], examples: Sequence[Tuple[str, str]],
          similarity: float = LEAK_SIMILARITY) -> List[Tuple[Question, str, str, float]]:
    """Held-out questions found in the training data, exactly or nearly: (question, file, example, score)."""
    from rapidfuzz import fuzz, process

    normalised = [normalise(plain_example(text)) for _, text in examples]
    exact = {text: index for index, text in enumerate(normalised)}
    found = []
    for question in questions:
        key = normalise(question.text)
        if key in exact:
            index = exact[key]
            found.append((question, examples[index][0], examples[index][1], 100.0))
            continue
        best = process.extractOne(key, normalised, scorer=fuzz.ratio, score_cutoff=similarity)
        if best:
            found.append((question, examples[best[2]][0], examples[best[2]][1], best[1]))
    return found


# ------------------------------------------------------------------------------ scoring

@dataclass
class Outcome:
    question: Question
    route: str                                  # what the assistant did
    intent: Optional[str]
    confidence: float
    language: Optional[str]                     # the conversation's language after the message
    slots: Mapping[str, Any]
    replies: List[str] = field(default_factory=list)

    @property
    def route_ok(self) -> bool:
        # "knowledge+insurer": the passage with the personal insurer result, which serves both routes.
        return self.question.route in self.route.split("+")

    def entity_results(self) -> Dict[str, bool]:
        # The care type only matters to (and is only kept for) the nearest-facility lookup.
        return {key: entity_matches(key, expected, self.slots.get(key))
                for key, expected in self.question.entities.items()
                if key != "care_type" or self.question.route == "facility"}


def entity_matches(key: str, expected: Any, actual: Any) -> bool:
    if key in ("work_country", "pension_country"):
        want = [expected] if isinstance(expected, str) else list(expected or [])
        got = [actual] if isinstance(actual, str) else list(actual or [])
        return sorted(want) == sorted(got)
    if key == "residence_place":
        return actual is not None and normalise(str(expected)) in normalise(str(actual)) \
            or actual is not None and normalise(str(actual)) in normalise(str(expected))
    return expected == actual


def route_from_events(events: Sequence[Mapping[str, Any]]) -> Tuple[str, Optional[str], float]:
    """(route, intent, confidence) of the last user message in a tracker's events."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    if last_user is None:
        return "none", None, 0.0
    parse = events[last_user].get("parse_data") or {}
    intent = (parse.get("intent") or {}).get("name")
    confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
    after = events[last_user + 1:]
    route = "none"
    for event in after:
        if event.get("event") != "action" or event.get("name") in _BOOKKEEPING:
            continue
        name = event.get("name")
        if name == "action_handle_fallback":
            answered = any(e.get("event") == "slot" and e.get("name") == "knowledge_sources" and e.get("value")
                           for e in after)
            route = "knowledge" if answered else "fallback"
        else:
            route = ROUTE_OF_ACTION.get(name, name)
        if any(_insurer_decided(e) for e in after):
            if route == "knowledge":
                route = "knowledge+insurer"     # the passage came after the personal insurer result
            elif route == "fallback":
                route = "insurer"               # no passage, but the personal insurer result
        break
    return route, intent, confidence


def _insurer_decided(event: Mapping[str, Any]) -> bool:
    value = event.get("value")
    return event.get("event") == "slot" and event.get("name") == "last_lookup" \
        and isinstance(value, Mapping) and value.get("lookup") == "competent_insurer"


@dataclass
class Figures:
    n: int
    route_accuracy: float
    entity_accuracy: Optional[float]
    language_accuracy: float


def figures(outcomes: Iterable[Outcome]) -> Figures:
    outcomes = list(outcomes)
    if not outcomes:
        return Figures(0, 0.0, None, 0.0)
    entity_checks = [ok for o in outcomes for ok in o.entity_results().values()]
    return Figures(
        n=len(outcomes),
        route_accuracy=sum(o.route_ok for o in outcomes) / len(outcomes),
        entity_accuracy=sum(entity_checks) / len(entity_checks) if entity_checks else None,
        language_accuracy=sum(o.language == o.question.language for o in outcomes) / len(outcomes),
    )


def confusions(outcomes: Iterable[Outcome]) -> Dict[Tuple[str, str], int]:
    counts: Dict[Tuple[str, str], int] = {}
    for outcome in outcomes:
        if not outcome.route_ok:
            key = (outcome.question.route, outcome.route)
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))
