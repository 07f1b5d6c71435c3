"""The Rasa actions around retrieval, run as the action server runs them (async, one tracker)."""
import asyncio
import time

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionHandleFallback
from actions.knowledge import ActionAnswerKnowledge
from assistant.knowledge import runtime
from tests.aio import run_async

DOMAIN_WITH_SLOT = {"slots": {"language": {}, "knowledge_sources": {}}}


@pytest.fixture(autouse=True)
def shared_searcher(searcher, monkeypatch):
    monkeypatch.setattr(runtime, "_searcher", searcher)


def tracker(text, language, **slots):
    values = {"language": language, "residence_country": None, "work_country": None, **slots}
    return Tracker("test", values, {"text": text, "intent": {"name": "ask_knowledge"}, "entities": []},
                   [], False, None, {}, "action_listen")


def run(action, text, language, domain=DOMAIN_WITH_SLOT, **slots):
    dispatcher = CollectingDispatcher()
    events = run_async(action.run(dispatcher, tracker(text, language, **slots), domain))
    return dispatcher.messages, events


def test_the_knowledge_action_answers_in_one_message_and_records_its_sources():
    messages, events = run(ActionAnswerKnowledge(), "Wat is een ZOAST?", "nl")
    assert len(messages) == 1 and "Bron: [" in messages[0]["text"]
    assert events[0]["name"] == "knowledge_sources"
    assert events[0]["value"][0]["id"] == "zoast-general"


def test_the_sources_are_kept_without_the_domain():
    # With Rasa's selective domain the action gets no domain at all: the slot is declared in domain/.
    _, events = run(ActionAnswerKnowledge(), "Wat is een ZOAST?", "nl", domain={})
    assert events[0]["name"] == "knowledge_sources" and events[0]["value"]


def test_a_button_payload_is_not_searched_but_invites_a_question():
    messages, _ = run(ActionAnswerKnowledge(), "/ask_knowledge", "lb")
    assert messages[0]["text"].startswith("Stellt mir Är Fro")


def test_the_fallback_answers_a_knowledge_question_and_otherwise_asks_to_rephrase():
    messages, _ = run(ActionHandleFallback(), "Quand l'accord-cadre franco-luxembourgeois a-t-il été signé ?", "fr")
    assert "21 novembre 2016" in messages[0]["text"]
    messages, events = run(ActionHandleFallback(), "Wie koche ich Spaghetti carbonara?", "de")
    assert len(messages) == 1 and messages[0]["response"] == "utter_ask_rephrase"
    assert events == []


def test_retrieval_does_not_block_the_event_loop():
    """While two questions are being answered, other coroutines keep running."""
    async def scenario():
        ticks = 0
        done = asyncio.Event()

        async def ticker():
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.001)

        async def ask():
            dispatcher = CollectingDispatcher()
            await ActionAnswerKnowledge().run(dispatcher, tracker("Wat is een ZOAST?", "nl"), DOMAIN_WITH_SLOT)
            return dispatcher.messages

        tick_task = asyncio.create_task(ticker())
        started = time.perf_counter()
        replies = await asyncio.gather(ask(), ask())
        elapsed = time.perf_counter() - started
        done.set()
        await tick_task
        return replies, ticks, elapsed

    replies, ticks, elapsed = run_async(scenario())
    assert all("Bron:" in r[0]["text"] for r in replies)
    # A blocked loop would tick once or twice; a free one ticks about once a millisecond.
    assert ticks >= max(5, int(elapsed * 1000 * 0.2)), (ticks, elapsed)


def test_a_list_valued_country_slot_does_not_break_the_answer():
    """work_country is a list slot: the action passes [residence, [work, ...]] to the runtime."""
    messages, _ = run(ActionAnswerKnowledge(), "Wat is een ZOAST?", "nl", residence_country="BE",
                      work_country=["LU", "LU"])
    assert len(messages) == 1 and "Bron: [" in messages[0]["text"]
    messages, _ = run(ActionAnswerKnowledge(), "Hoe laat vertrekt de laatste trein van Maastricht naar Luik?", "nl",
                      residence_country="BE", work_country=["LU", "NL"])
    assert "- België:" in messages[0]["text"] and "- Luxemburg:" in messages[0]["text"]


def test_a_list_valued_work_country_never_breaks_the_answer():
    # The slot holds several countries (work in several states); a below-threshold question lists contacts.
    messages, _ = run(ActionAnswerKnowledge(), "Wie koche ich Spaghetti carbonara?", "de",
                      residence_country="FR", work_country=["LU", "DE", "LU"])
    assert messages and messages[0]["text"]


def told(text, intent, **slots):
    """A tracker whose last message told the situation: the slots set by that very message."""
    events = [{"event": "user", "text": text}] + [{"event": "slot", "name": name, "value": value}
                                                   for name, value in slots.items()]
    return Tracker("test", {"language": "fr", **slots}, {"text": text, "intent": {"name": intent}, "entities": []},
                   events, False, None, {}, "action_listen")


# The fallback answers from the knowledge base too (a question the model could not place between
# "which insurer" and "which rule"): its answer starts with the personal result like the knowledge action's.
@pytest.mark.parametrize("action", [ActionAnswerKnowledge(), ActionHandleFallback()], ids=lambda a: a.name())
def test_a_question_that_also_states_the_situation_gets_the_personal_result_first(action):
    text = "J'habite à Hayange et je bosse au Luxembourg : que doit envoyer la CNS à ma caisse en France pour mes soins ?"
    dispatcher = CollectingDispatcher()
    events = run_async(action.run(dispatcher, told(text, "ask_knowledge", residence_country="FR",
                                                   residence_place="Hayange", work_country=["LU"]), {}))
    lines = dispatcher.messages[0]["text"].split("\n")
    assert lines[0].startswith("**Pays compétent : Luxembourg**") and "CNS" in lines[0]
    assert "S072" in lines[1] or "S1" in lines[1]
    assert any(line.startswith("Source") for line in lines[2:])
    assert [e["value"]["decision"]["competent_country"] for e in events if e.get("name") == "last_lookup"] == ["LU"]


def test_without_a_passage_the_fallback_still_gives_the_personal_result():
    text = "J'habite à Hayange et je bosse au Luxembourg, je suis assurée où au juste ?"
    dispatcher = CollectingDispatcher()
    events = run_async(ActionHandleFallback().run(
        dispatcher, told(text, "nlu_fallback", residence_country="FR", work_country=["LU"]), {}))
    assert dispatcher.messages[0]["text"].startswith("**Pays compétent : Luxembourg**")
    assert [e["name"] for e in events] == ["last_lookup"]
