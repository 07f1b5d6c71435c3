from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionAnswerKnowledge(Action):
    def name(self) -> Text:
        return "action_answer_knowledge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        # Retrieval over the knowledge base lands with its own issue; until then say so.
        dispatcher.utter_message(response="utter_feature_coming_knowledge")
        return []
