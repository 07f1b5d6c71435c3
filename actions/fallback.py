from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import answer_from_knowledge, personal_part, question_text, utter_knowledge


class ActionHandleFallback(Action):
    """Low NLU confidence: a question the knowledge base answers reliably gets that answer, after the
    personal result when the message told enough to decide the insurer (as a knowledge answer does).
    Without a reliable passage, that personal result alone is still an answer; only when there is
    neither is the user asked to rephrase, in their language."""

    def name(self) -> Text:
        return "action_handle_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        question = question_text(tracker)
        if question is not None:
            reply = await answer_from_knowledge(tracker, question)
            if reply.found:
                return utter_knowledge(dispatcher, tracker, reply)
        personal = personal_part(tracker)
        if personal is not None:
            dispatcher.utter_message(text=personal.text)
            return [SlotSet("last_lookup", personal.lookup)]
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []
