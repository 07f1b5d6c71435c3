"""The action server's knowledge search for the console (assistant/knowledge/http_api.py), served by
Sanic on a loopback port: its input checks, its errors, and that it answers as the knowledge action."""
import contextlib
import itertools
import threading

import httpx
import pytest
from sanic import Sanic

from assistant.knowledge import runtime
from assistant.knowledge.http_api import MAX_QUESTION, PATH, knowledge_blueprint, search
from tests.web.serving import serving as serve

_names = itertools.count()


@contextlib.contextmanager
def serving(retrieve=search):
    app = Sanic(f"knowledge_api_test_{next(_names)}")
    app.blueprint(knowledge_blueprint(retrieve))
    with serve(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


class Recorder:
    """A stand-in for the retrieval: records its arguments and the thread it ran in."""

    def __init__(self, fail: bool = False) -> None:
        self.calls, self.threads, self.fail = [], [], fail

    def __call__(self, **arguments):
        self.calls.append(arguments)
        self.threads.append(threading.current_thread().name)
        if self.fail:
            raise RuntimeError("no index")
        return {"passages": [], "answer": None, "reason": "below_threshold"}


def test_defaults_and_the_arguments_given_to_the_retrieval():
    fake = Recorder()
    with serving(fake) as client:
        assert client.get(PATH, params={"q": " Wat is een ZOAST? "}).json()["answer"] is None
        client.get(PATH, params={"q": "x", "language": "LB", "reply_language": "de", "k": "10"})
    assert fake.calls == [{"question": "Wat is een ZOAST?", "language": None, "reply_language": "fr", "k": 5},
                          {"question": "x", "language": "lb", "reply_language": "de", "k": 10}]
    # The runtime's one retrieval thread, not the event loop's.
    assert all(name.startswith("knowledge") for name in fake.threads), fake.threads


@pytest.mark.parametrize("params, error", [
    ({}, "q_required"),
    ({"q": "   "}, "q_required"),
    ({"q": "x" * (MAX_QUESTION + 1)}, "q_too_long"),
    ({"q": "x", "k": "0"}, "bad_k"),
    ({"q": "x", "k": "11"}, "bad_k"),
    ({"q": "x", "k": "-1"}, "bad_k"),
    ({"q": "x", "k": "2.5"}, "bad_k"),
    ({"q": "x", "k": "²"}, "bad_k"),
    ({"q": "x", "language": "es"}, "bad_language"),
    ({"q": "x", "reply_language": "<script>"}, "bad_language"),
])
def test_bad_input_is_a_400_in_json_and_never_reaches_the_retrieval(params, error):
    fake = Recorder()
    with serving(fake) as client:
        reply = client.get(PATH, params=params)
    assert reply.status_code == 400 and reply.json()["error"] == error
    assert not fake.calls


def test_limits_are_inclusive_and_other_methods_are_refused():
    fake = Recorder()
    with serving(fake) as client:
        assert client.get(PATH, params={"q": "x" * MAX_QUESTION, "k": "1"}).status_code == 200
        assert client.post(PATH, params={"q": "x"}).status_code == 405
    assert len(fake.calls) == 1


def test_retrieval_unavailable_is_a_503_in_json():
    with serving(Recorder(fail=True)) as client:
        reply = client.get(PATH, params={"q": "Wat is een ZOAST?", "language": "nl"})
    assert reply.status_code == 503 and reply.json() == {"error": "retrieval_unavailable"}


# ------------------------------------------------------------------ the real retrieval
@pytest.fixture
def shared_searcher(searcher, monkeypatch):
    monkeypatch.setattr(runtime, "_searcher", searcher)


def test_the_agent_gets_the_patients_document_in_the_agents_language(shared_searcher):
    with serving() as client:
        found = client.get(PATH, params={"q": "Wat is een ZOAST?", "language": "nl",
                                         "reply_language": "fr", "k": 3}).json()
    assert found["reason"] == "answered" and len(found["passages"]) == 3
    answer, first = found["answer"], found["passages"][0]
    assert answer["sources"][0]["id"] == first["id"] == runtime.answer("Wat is een ZOAST?", "nl").source.doc_id
    assert answer["language"] == first["language"] == "fr" and answer["section"] == first["section"]
    assert first["text"] in answer["text"] and first["url"].startswith("http")
    assert [p["score"] for p in found["passages"]] == sorted((p["score"] for p in found["passages"]), reverse=True)


def test_a_luxembourgish_question_is_answered_exactly_as_the_action_answers_it(shared_searcher):
    """Same glossary, threshold and composition: the reply text itself is the action's."""
    question = "Brauch ech eng Autorisatioun fir an d'Spidol an der Belsch?"
    found = search(question, "lb", "lb", 5)
    assert found["answer"]["text"] == runtime.answer(question, "lb").text


def test_no_answer_below_the_threshold(shared_searcher):
    found = search("pizza margherita recept", "nl", "fr", 5)
    assert found["answer"] is None and found["reason"] == "below_threshold"
    assert runtime.answer("pizza margherita recept", "nl").found is False
