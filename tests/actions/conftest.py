"""Runs the custom actions on rasa_sdk Trackers built here, the way the Rasa server calls them.

``FormConversation`` replays Rasa 3.6's form loop (forms.py: extraction, validation of the slots set
since the last message, rejection when nothing was extracted, asking the next slot) so that whole
conversations can be tested in milliseconds; tests/integration/test_lookups_rest.py runs the real server.
"""
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.facility import ActionAskResidencePlace, ActionNearestFacility, ValidateFacilityForm
from actions.insurer import ActionCompetentInsurer, ValidateInsurerForm
from actions.slot_mappings import ValidateSlotMappings
from assistant.dialogue.domain import load_domain
from tests.aio import run_async

DOMAIN = load_domain()
FORMS = {
    "insurer_form": (ValidateInsurerForm(), ActionCompetentInsurer()),
    "facility_form": (ValidateFacilityForm(), ActionNearestFacility()),
}
ASK_ACTIONS = {"residence_place": ActionAskResidencePlace()}


def message(text: str, intent: str = "inform", entities=(), language: Optional[str] = None) -> Dict[str, Any]:
    return {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": [dict(e) for e in entities]}


def entity(name: str, value: str, role: Optional[str] = None) -> Dict[str, Any]:
    found = {"entity": name, "value": value}
    if role:
        found["role"] = role
    return found


def make_tracker(slots: Dict[str, Any], latest: Optional[Dict[str, Any]] = None, events: Optional[List] = None,
                 active_loop: Optional[str] = None) -> Tracker:
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots)
    return Tracker("test", all_slots, latest or message(""), events or [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, tracker: Tracker):
    dispatcher = CollectingDispatcher()
    events = run_async(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def slot_events(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


class FormConversation:
    """A conversation with the two forms, as Rasa would run them (without NLU: messages come parsed)."""

    def __init__(self, language: str = "fr", **slots):
        self.slots: Dict[str, Any] = {"language": language, **slots}
        self.active: Optional[str] = None
        self.replies: List[Dict[str, Any]] = []

    def _tracker(self, latest, candidates: Dict[str, Any]) -> Tracker:
        events = [{"event": "slot", "name": "requested_slot", "value": self.slots.get("requested_slot")},
                  {"event": "action", "name": self.active or "form"}]
        events += [{"event": "slot", "name": k, "value": v} for k, v in candidates.items()]
        return make_tracker({**self.slots, **candidates}, latest, events, self.active)

    def say(self, latest: Dict[str, Any], start: Optional[str] = None) -> List[Dict[str, Any]]:
        """One user message; ``start`` activates that form (what the rules do for the question intents)."""
        self.replies = []
        mined = slot_events(run(ValidateSlotMappings(), make_tracker(self.slots, latest, [], self.active))[1])
        mined.pop("language", None)
        self.slots.update(mined)
        form = self.active or start
        if form is None:
            return self.replies
        validator, answer = FORMS[form]
        required = DOMAIN["forms"][form]["required_slots"]
        if self.active is None:
            candidates = {s: self.slots[s] for s in required if self.slots.get(s) is not None}
            self.active, self.slots["requested_slot"] = form, None
        else:
            requested = self.slots.get("requested_slot")
            candidates = {s: v for s, v in mined.items() if s in required or s == requested}
        messages, events = run(validator, self._tracker(latest, candidates))
        validated = {k: v for k, v in slot_events(events).items() if k != "requested_slot"}
        if self.slots.get("requested_slot") and not candidates and not validated:
            self.replies.append({"rejected": form})
            return self.replies
        self.replies += messages
        self.slots.update(slot_events(events))
        # The validation action decides the next question when it sets requested_slot, else Rasa does.
        if "requested_slot" not in slot_events(events):
            self.slots["requested_slot"] = next((s for s in required if self.slots.get(s) is None), None)
        requested = self.slots["requested_slot"]
        if requested:
            ask = ASK_ACTIONS.get(requested)
            if ask:
                self.replies += run(ask, make_tracker(self.slots, latest, [], self.active))[0]
            else:
                self.replies.append({"response": f"utter_ask_{requested}"})
            return self.replies
        self.active = None
        messages, events = run(answer, make_tracker(self.slots, latest))
        self.replies += messages
        self.slots.update(slot_events(events))
        return self.replies

    def texts(self) -> List[str]:
        return [r.get("text") or r.get("response") or "" for r in self.replies]


@pytest.fixture
def conversation():
    return FormConversation
