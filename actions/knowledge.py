"""Answers questions about rules and conventions from the knowledge base (assistant/knowledge/).

Importing this module in the action server's serving process loads the embedding model
and the index before the server listens (see assistant/knowledge/runtime.py), so the
first question is answered as fast as the others.
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.i18n import t
from assistant.knowledge import runtime
from assistant.knowledge.answer import KnowledgeReply

SOURCES_SLOT = "knowledge_sources"

runtime.preload_if_serving()


def question_text(tracker: Tracker) -> Optional[str]:
    """The user's words, or None for a button payload such as "/ask_knowledge"."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    return None if not text or text.startswith("/") else text


def countries_in_context(tracker: Tracker) -> List[str]:
    return [c for c in (tracker.get_slot("residence_country"), tracker.get_slot("work_country")) if c]


def sources_event(reply: KnowledgeReply, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """The cited documents for the agent console, when the domain declares the slot."""
    if SOURCES_SLOT in (domain or {}).get("slots", {}):
        return [SlotSet(SOURCES_SLOT, reply.sources())]
    return []


async def answer_from_knowledge(tracker: Tracker, question: str) -> KnowledgeReply:
    return await runtime.answer_async(question, tracker.get_slot("language"), countries_in_context(tracker))


class ActionAnswerKnowledge(Action):
    def name(self) -> Text:
        return "action_answer_knowledge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        question = question_text(tracker)
        if question is None:
            dispatcher.utter_message(text=t("knowledge", "ask_question", tracker.get_slot("language")))
            return []
        reply = await answer_from_knowledge(tracker, question)
        # One message: the passage, its source and "see also" belong together.
        dispatcher.utter_message(text=reply.text)
        return sources_event(reply, domain)
