"""The one call per user message that fills the custom-mapped slots: the conversation's language and
the user's situation (Rasa runs ``action_validate_slot_mappings`` once after every message)."""
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker, ValidationAction
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.dialogue.mining import mine_slots
from assistant.geo.gazetteer import default_gazetteer
from assistant.insurance.lexicon import lexicon
from assistant.language.resolve import resolve_language
from assistant.settings import load_settings

DEFAULT_LANGUAGE = load_settings().default_language
# Load the lexicon and the gazetteer when the action server starts, not on the first user's message.
lexicon()
default_gazetteer()


class ValidateSlotMappings(ValidationAction):
    """Language first (every reply depends on it), then the situation facts of the message."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        latest = tracker.latest_message or {}
        language = resolve_language(
            entities=latest.get("entities") or [],
            intent=(latest.get("intent") or {}).get("name"),
            current=tracker.get_slot("language"),
            default=DEFAULT_LANGUAGE,
        )
        events = [SlotSet("language", language)] if language != tracker.get_slot("language") else []
        active_loop = (tracker.active_loop or {}).get("name")
        mined = mine_slots(latest, active_loop, tracker.get_slot("requested_slot"), tracker.slots)
        return events + [SlotSet(slot, value) for slot, value in mined.items()]
