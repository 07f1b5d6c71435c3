from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionHandleFallback(Action):
    """Low NLU confidence: ask the user to rephrase, in their language."""

    def name(self) -> Text:
        return "action_handle_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        # Once retrieval exists it is tried here first.
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []
