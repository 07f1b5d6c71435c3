"""The reply an agent can read out or send, in the agent's language, with its source.

The patient may write Luxembourgish while the agent reads French: the suggestion is
what the assistant answered (or would answer) to the patient's last message, built
again in the agent's language from the same sources:

- an emergency: the 112 instruction, then the national numbers when the country is known;
- the competent insurer or the nearest facility: the lookup engines, rendered anew;
- a question on the conventions: the action server's knowledge search for the patient's words in
  the patient's language (same glossary and threshold, so the same document), shown in the agent's;
  "unavailable" when the action server does not answer;
- anything else: the same domain responses the assistant used, in the agent's language.
"""
from __future__ import annotations

import functools
import string
from dataclasses import asdict, dataclass, field
from typing import List, Optional

from assistant.dialogue.domain import load_domain
from assistant.insurance import FIELD_TO_SLOT
from assistant.safety.contacts import countries_in_context, emergency_contact_lines, emergency_numbers
from assistant.web.knowledge_client import KnowledgeUnavailable
from assistant.web.lookups import facility_lookup, insurer_lookup, place_of, situation_from
from assistant.web.tracker_view import TrackerView

KNOWLEDGE_INTENTS = {"ask_knowledge", "nlu_fallback", "out_of_scope"}
KNOWLEDGE_ACTIONS = {"action_answer_knowledge", "action_handle_fallback"}


@dataclass
class Suggestion:
    kind: str                        # emergency | insurer | facility | knowledge | response | unavailable | none
    language: str
    text: str
    sources: List[dict] = field(default_factory=list)
    score: Optional[float] = None

    def as_dict(self) -> dict:
        return asdict(self)


@functools.lru_cache(maxsize=1)
def _responses() -> dict:
    return load_domain()["responses"]


class _Blank(dict):
    def __missing__(self, key):
        return "…"


def domain_response(name: str, language: str, slots: Optional[dict] = None) -> Optional[str]:
    """A domain response in one language, slot placeholders filled as Rasa would."""
    for variation in _responses().get(name) or []:
        for condition in variation.get("condition") or []:
            if condition.get("name") == "language" and condition.get("value") == language:
                text = variation.get("text") or ""
                return string.Formatter().vformat(text, (), _Blank(slots or {})) if "{" in text else text
    return None


def _emergency(view: TrackerView, language: str) -> Suggestion:
    lines = [domain_response("utter_emergency", language) or "112"]
    countries = countries_in_context(
        [{"entity": e["entity"], "value": e["value"]} for e in view.entities],
        view.slots.get("residence_country"), view.slots.get("work_country"))
    lines += emergency_contact_lines(countries, language)
    sources = [numbers["source"] for country, numbers in emergency_numbers().items()
               if country in countries and numbers.get("source")]
    return Suggestion("emergency", language, "\n\n".join(lines), sources)


def _user_texts(view: TrackerView) -> List[str]:
    return [turn["text"] for turn in view.transcript if turn["who"] == "user"]


def _insurer(view: TrackerView, language: str) -> Optional[Suggestion]:
    situation = situation_from(view.slots, _user_texts(view))
    missing = situation.missing()
    if missing:
        # The form's next question, as the assistant asks it.
        question = domain_response(f"utter_ask_{FIELD_TO_SLOT[missing[0]]}", language)
        if question:
            return Suggestion("insurer", language, question)
    lookup = insurer_lookup(situation, language)
    return Suggestion("insurer", language, lookup["reply"], lookup["sources"])


def _facility(view: TrackerView, language: str) -> Optional[Suggestion]:
    place = place_of(view.slots, _user_texts(view))
    if not place:
        question = domain_response("utter_ask_residence_place", language)
        return Suggestion("facility", language, question) if question else None
    lookup = facility_lookup(place, language, view.slots.get("residence_country"))
    return Suggestion("facility", language, lookup["reply"], lookup["sources"])


def _knowledge(view: TrackerView, language: str, knowledge) -> Optional[Suggestion]:
    if knowledge is None or not view.last_user_text:
        return None
    try:
        # The patient's language, as the action asked: the agent's answer comes from the same document.
        answer = knowledge.search(view.last_user_text, view.language, language, k=1)["answer"]
    except KnowledgeUnavailable:
        return Suggestion("unavailable", language, "")
    if not answer:
        return None
    return Suggestion("knowledge", language, answer["text"], answer["sources"], answer["score"])


def _mirrored(view: TrackerView, language: str) -> Optional[Suggestion]:
    texts = [domain_response(name, language, view.slots) for name in view.turn_responses]
    texts = [t for t in texts if t]
    return Suggestion("response", language, "\n\n".join(texts)) if texts else None


def suggest(view: TrackerView, language: str, knowledge=None) -> Suggestion:
    actions = set(view.turn_actions)
    if view.intent == "emergency" or "utter_emergency" in view.turn_responses:
        return _emergency(view, language)
    candidates = []
    # Asked at most once per suggestion (it may be both a reason and the last resort): one request.
    knowledge_answer = functools.cache(lambda: _knowledge(view, language, knowledge))
    if view.active_form and view.turn_responses:
        # A form is asking for a fact: the agent asks the same question.
        candidates.append(lambda: _mirrored(view, language))
    if view.intent == "ask_medical_advice":
        candidates.append(lambda: _mirrored(view, language))
    if "action_competent_insurer" in actions or view.intent == "ask_competent_insurer" \
            or view.active_form == "insurer_form":
        candidates.append(lambda: _insurer(view, language))
    if "action_nearest_facility" in actions or view.intent == "ask_nearest_facility" \
            or view.active_form == "facility_form":
        candidates.append(lambda: _facility(view, language))
    if actions & KNOWLEDGE_ACTIONS or view.intent in KNOWLEDGE_INTENTS:
        candidates.append(knowledge_answer)
    candidates += [lambda: _mirrored(view, language), knowledge_answer]
    unavailable = None
    for candidate in candidates:
        suggestion = candidate()
        if suggestion and suggestion.text.strip():
            return suggestion
        if suggestion and suggestion.kind == "unavailable":
            unavailable = suggestion     # said only when nothing else can be suggested
    return unavailable or Suggestion("none", language, "")
