from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import answer_from_knowledge, question_text, utter_knowledge


class ActionHandleFallback(Action):
    """Low NLU confidence: a question the knowledge base answers reliably gets that answer (after the
    personal result, when the message told the situation, as a knowledge answer does); anything else is
    asked to be rephrased, in the user's language."""

    def name(self) -> Text:
        return "action_handle_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        question = question_text(tracker)
        if question is not None:
            reply = await answer_from_knowledge(tracker, question)
            if reply.found:
                return utter_knowledge(dispatcher, tracker, reply)
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []
