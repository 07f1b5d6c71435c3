"""Answers questions about rules and conventions from the knowledge base (assistant/knowledge/).

A question that also states the user's situation ("I live in Thionville and work in Luxembourg: which
form does the CNS send to the CPAM?") gets the personal result first, then the passage.

Importing this module in the action server's serving process loads the embedding model
and the index before the server listens (see assistant/knowledge/runtime.py), so the
first question is answered as fast as the others.
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.dialogue.insurer_answer import InsurerReply, insurer_brief
from assistant.dialogue.slots import countries_of
from assistant.dialogue.turn import facts_told
from assistant.i18n import t
from assistant.knowledge import runtime
from assistant.knowledge.answer import KnowledgeReply

SOURCES_SLOT = "knowledge_sources"

runtime.preload_if_serving()


def question_text(tracker: Tracker) -> Optional[str]:
    """The user's words, or None for a button payload such as "/ask_knowledge"."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    return None if not text or text.startswith("/") else text


def sources_event(reply: KnowledgeReply) -> List[Dict[Text, Any]]:
    """What the reply cited, for the agent console, which shows these rather than search again:
    the sources (id, language, title, url, date, score), the quoted one with its section heading.
    Only that: the tracker travels with every action call."""
    sources = reply.sources()
    if sources and reply.section:
        sources[0]["section"] = reply.section
    return [SlotSet(SOURCES_SLOT, sources)]


async def answer_from_knowledge(tracker: Tracker, question: str) -> KnowledgeReply:
    countries = countries_of(tracker.get_slot("residence_country"), tracker.get_slot("work_country"))
    return await runtime.answer_async(question, tracker.get_slot("language"), countries)


def personal_part(tracker: Tracker) -> Optional[InsurerReply]:
    """The competent insurer in a few lines, when this very message told enough to decide it."""
    told = facts_told(tracker.events)
    if not set(told) & {"residence_country", "work_country", "pension_country", "residence_place"}:
        return None
    return insurer_brief(tracker.slots, tracker.get_slot("language"))


def utter_knowledge(dispatcher: CollectingDispatcher, tracker: Tracker, reply: KnowledgeReply) -> List[Dict[Text, Any]]:
    """Say a knowledge answer: the personal result first when this message told the situation, then the
    passage, its source and "see also", in one message. The decision goes where the insurer lookup puts
    it, for the agent console and the next turn."""
    personal = personal_part(tracker)
    if personal is None:
        dispatcher.utter_message(text=reply.text)
        return sources_event(reply)
    dispatcher.utter_message(text=f"{personal.text}\n{reply.text}")
    return sources_event(reply) + [SlotSet("last_lookup", personal.lookup)]


class ActionAnswerKnowledge(Action):
    def name(self) -> Text:
        return "action_answer_knowledge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        question = question_text(tracker)
        if question is None:
            dispatcher.utter_message(text=t("knowledge", "ask_question", tracker.get_slot("language")))
            return []
        return utter_knowledge(dispatcher, tracker, await answer_from_knowledge(tracker, question))
