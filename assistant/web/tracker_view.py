"""What the agent console shows of one Rasa tracker: transcript, language, intent, slots, and the
sources the last knowledge answer cited (the `knowledge_sources` slot the knowledge actions set).

Every text a patient (or an agent) wrote, and every slot, is masked here (privacy_redaction.py): an
agent needs the question, not the NISS or IBAN typed with it. The suggested reply, the lookups and
the console's knowledge search are all built from this view, so they never see the identifiers either.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from assistant.i18n import LANGUAGES
from assistant.privacy_redaction import redact, redact_value

# The slots an agent needs at a glance, in the order they are shown.
SHOWN_SLOTS = ("residence_place", "postcode", "residence_country", "work_country", "pension_country",
               "employment_status", "current_insurer")
SOURCES_SLOT = "knowledge_sources"     # actions/knowledge.py


@dataclass
class TrackerView:
    sender_id: str
    transcript: List[dict] = field(default_factory=list)
    language: Optional[str] = None
    last_detected_language: Optional[str] = None
    language_source: Optional[str] = None
    intent: Optional[str] = None
    confidence: Optional[float] = None
    intent_ranking: List[dict] = field(default_factory=list)
    entities: List[dict] = field(default_factory=list)
    slots: dict = field(default_factory=dict)
    active_form: Optional[str] = None
    requested_slot: Optional[str] = None
    human_requested: bool = False
    emergency: bool = False
    last_user_text: str = ""
    turn_actions: List[str] = field(default_factory=list)
    turn_responses: List[str] = field(default_factory=list)
    channel: Optional[str] = None
    # The last knowledge answer: {"question", "time", "sources"}; the passages the patient got.
    knowledge: Optional[dict] = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _language_entity(entities: List[dict]):
    for entity in entities or []:
        if entity.get("entity") == "language":
            # EntitySynonymMapper may turn "nl" into the country code "NL": read it back as a language.
            value = str(entity.get("value") or "").lower()
            return (value if value in LANGUAGES else None), entity.get("source")
    return None, None


def view_of(tracker: dict) -> TrackerView:
    view = TrackerView(sender_id=tracker.get("sender_id", ""))
    slots = tracker.get("slots") or {}
    view.slots = {name: redact_value(slots.get(name)) for name in SHOWN_SLOTS
                  if slots.get(name) not in (None, "", [])}
    view.language = slots.get("language")
    view.requested_slot = slots.get("requested_slot")
    view.active_form = (tracker.get("active_loop") or {}).get("name")
    view.human_requested = bool(slots.get("human_requested"))
    view.channel = tracker.get("latest_input_channel")
    question = ""
    for event in tracker.get("events") or []:
        kind = event.get("event")
        if kind == "user":
            question = redact(event.get("text") or "")
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            language, _ = _language_entity(parse.get("entities"))
            view.transcript.append({"who": "user", "text": question,
                                    "time": event.get("timestamp"), "intent": intent.get("name"),
                                    "confidence": intent.get("confidence"), "language": language})
            view.turn_actions, view.turn_responses = [], []
            if intent.get("name") == "emergency":
                view.emergency = True
            if intent.get("name") == "ask_human":
                view.human_requested = True
        elif kind == "bot":
            metadata = event.get("metadata") or {}
            data = event.get("data") or {}
            buttons = [b.get("title") for b in (data.get("buttons") or data.get("quick_replies") or [])]
            by_agent = bool(metadata.get("sent_by_agent"))
            # What an agent typed is masked like what a patient typed; the assistant's own replies are
            # left whole, so the institutions' phone numbers they give stay readable.
            text = event.get("text") or ""
            view.transcript.append({"who": "agent" if by_agent else "bot",
                                    "text": redact(text) if by_agent else text, "time": event.get("timestamp"),
                                    "buttons": buttons, "response": metadata.get("utter_action")})
            if metadata.get("utter_action"):
                view.turn_responses.append(metadata["utter_action"])
        elif kind == "action" and event.get("name") != "action_listen":
            view.turn_actions.append(event.get("name"))
        elif kind == "slot" and event.get("name") == SOURCES_SLOT and event.get("value"):
            view.knowledge = {"question": question, "time": event.get("timestamp"),
                              "sources": list(event["value"])}
    latest = tracker.get("latest_message") or {}
    intent = latest.get("intent") or {}
    view.intent = intent.get("name")
    view.confidence = intent.get("confidence")
    view.intent_ranking = [{"name": r.get("name"), "confidence": r.get("confidence")}
                           for r in (latest.get("intent_ranking") or [])[:3]]
    view.last_detected_language, view.language_source = _language_entity(latest.get("entities"))
    view.entities = [{"entity": e.get("entity"), "value": redact_value(e.get("value")), "role": e.get("role")}
                     for e in latest.get("entities") or []
                     if e.get("entity") not in ("language", "language_guess", "requested_language")]
    view.last_user_text = redact(latest.get("text") or "")
    return view
