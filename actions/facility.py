from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionNearestFacility(Action):
    def name(self) -> Text:
        return "action_nearest_facility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        # The facility lookup lands with its own issue; until then say so.
        dispatcher.utter_message(response="utter_feature_coming_facility")
        return []
