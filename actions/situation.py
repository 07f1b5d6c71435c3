"""Slot filling for the user's situation, shared by the insurer and the facility forms.

``action_extract_situation`` is the custom slot mapping of every situation slot (see domain.yml): Rasa
runs it after each user message, so the first message ("I live in Arlon and work in Luxembourg as an
employee") fills everything it says, inside a form or not, and the forms ask only for what is missing.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.geo.gazetteer import default_gazetteer
from assistant.insurance.lexicon import lexicon
from actions.situation_mining import mine_slots
from actions.slot_values import FACILITY_STATE_SLOTS, SITUATION_SLOTS

# Load the lexicon and the gazetteer when the action server starts, not on the first user's message.
lexicon()
default_gazetteer()


def _active_loop(tracker: Tracker):
    return (tracker.active_loop or {}).get("name")


class ActionExtractSituation(Action):
    """Custom slot mapping: the situation facts of the latest message."""

    def name(self) -> Text:
        return "action_extract_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        values = mine_slots(tracker.latest_message or {}, _active_loop(tracker), tracker.get_slot("requested_slot"))
        return [SlotSet(slot, value) for slot, value in values.items()]


class ActionResetSituation(Action):
    """"My situation has changed": forget the old facts, keep only what this message says."""

    def name(self) -> Text:
        return "action_reset_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        fresh = mine_slots(tracker.latest_message or {})
        events = [SlotSet(slot, None) for slot in (*SITUATION_SLOTS, *FACILITY_STATE_SLOTS, "requested_slot")
                  if slot not in fresh]
        return events + [SlotSet(slot, value) for slot, value in fresh.items()]
