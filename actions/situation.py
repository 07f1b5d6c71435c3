""""My situation has changed": forget the old facts, keep only what this message says."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.dialogue.mining import mine_slots
from assistant.dialogue.slots import FACILITY_STATE_SLOTS, SITUATION_SLOTS


class ActionResetSituation(Action):
    def name(self) -> Text:
        return "action_reset_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        fresh = mine_slots(tracker.latest_message or {})
        events = [SlotSet(slot, None) for slot in (*SITUATION_SLOTS, *FACILITY_STATE_SLOTS, "requested_slot")
                  if slot not in fresh]
        return events + [SlotSet(slot, value) for slot, value in fresh.items()]
