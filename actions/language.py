from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.language.resolve import resolve_language
from assistant.settings import load_settings

DEFAULT_LANGUAGE = load_settings().default_language


class ActionResolveLanguage(Action):
    """Custom slot mapping of ``language``: runs after every user message."""

    def name(self) -> Text:
        return "action_resolve_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        latest = tracker.latest_message or {}
        language = resolve_language(
            entities=latest.get("entities") or [],
            intent=(latest.get("intent") or {}).get("name"),
            current=tracker.get_slot("language"),
            default=DEFAULT_LANGUAGE,
        )
        return [SlotSet("language", language)]
