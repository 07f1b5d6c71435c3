"""The Rasa actions around retrieval, run as the action server runs them (async, one tracker)."""
import asyncio
import time

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionHandleFallback
from actions.knowledge import ActionAnswerKnowledge
from assistant.knowledge import runtime


def run_in_fresh_loop(coroutine):
    """asyncio.run in a thread of its own: playwright's sync API (tests/browser) leaves an
    event loop running in the main thread for the rest of the session."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


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
    events = run_in_fresh_loop(action.run(dispatcher, tracker(text, language, **slots), domain))
    return dispatcher.messages, events


def test_the_knowledge_action_answers_in_one_message_and_records_its_sources():
    messages, events = run(ActionAnswerKnowledge(), "Wat is een ZOAST?", "nl")
    assert len(messages) == 1 and "Bron: [" in messages[0]["text"]
    assert events[0]["name"] == "knowledge_sources"
    assert events[0]["value"][0]["id"] == "zoast-general"


def test_no_slot_event_when_the_domain_does_not_declare_the_slot():
    _, events = run(ActionAnswerKnowledge(), "Wat is een ZOAST?", "nl", domain={"slots": {"language": {}}})
    assert events == []


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

    replies, ticks, elapsed = run_in_fresh_loop(scenario())
    assert all("Bron:" in r[0]["text"] for r in replies)
    # A blocked loop would tick once or twice; a free one ticks about once a millisecond.
    assert ticks >= max(5, int(elapsed * 1000 * 0.2)), (ticks, elapsed)
