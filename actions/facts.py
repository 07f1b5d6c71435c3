"""A message that gives facts without a question, or corrects them ("no, I work in Trier"): the answer
they are for, again with the new facts; or, when that is not clear, the question what to look up."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.insurer import ActionCompetentInsurer
from assistant.dialogue.turn import ASK_GOAL, FACILITY, INSURER, after_facts, facts_told

FACILITY_FORM = "facility_form"


class ActionAnswerFacts(Action):
    def name(self) -> Text:
        return "action_answer_facts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        last_lookup = (tracker.get_slot("last_lookup") or {}).get("lookup") \
            if isinstance(tracker.get_slot("last_lookup"), dict) else None
        step = after_facts(intent, facts_told(tracker.events), tracker.slots, last_lookup)
        if step == INSURER:
            return await ActionCompetentInsurer().run(dispatcher, tracker, domain)
        if step == FACILITY:
            return [FollowupAction(FACILITY_FORM)]
        dispatcher.utter_message(response="utter_ask_goal" if step == ASK_GOAL else "utter_anything_else")
        return []
