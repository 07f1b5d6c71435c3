from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.safety.contacts import countries_in_context, emergency_contact_lines


class ActionEmergencyContacts(Action):
    """Adds the national out-of-hours numbers after the 112 line, when the country is known."""

    def name(self) -> Text:
        return "action_emergency_contacts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        latest = tracker.latest_message or {}
        # work_country is a list slot (people may work in several countries).
        work = tracker.get_slot("work_country") or []
        countries = countries_in_context(
            latest.get("entities") or [],
            tracker.get_slot("residence_country"),
            *(work if isinstance(work, list) else [work]),
        )
        for line in emergency_contact_lines(countries, tracker.get_slot("language")):
            dispatcher.utter_message(text=line)
        return []
