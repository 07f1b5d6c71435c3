"""The console's API (the real web app) beside a stand-in Rasa API and the action server's knowledge
search up (a stand-in retrieval behind the real blueprint) and down: the cited sources come from the
tracker, the suggestion and the search box from the action server, and "retrieval unavailable" is said
when it does not answer."""
import contextlib

import pytest
from sanic import Sanic, response

from assistant.knowledge.http_api import knowledge_blueprint
from tests.web.agent_login import signed_in
from tests.web.serving import free_port, serving, web_process

PASSWORD = "a long test password"
QUESTION = "Wat is een ZOAST?"
CITED = [{"id": "zoast-general", "language": "nl", "title": "ZOAST", "url": "https://www.inami.fgov.be/zoast",
          "date": "01-01-2025", "score": 0.88, "section": "Wat is een ZOAST?"},
         {"id": "zoast-ardennes", "language": "nl", "title": "ZOAST Ardennes", "url": "https://example.org/ardennes",
          "date": "01-01-2025", "score": 0.86}]
TRACKER = {
    "sender_id": "patient-1", "latest_event_time": 3.0, "slots": {"language": "nl", "knowledge_sources": CITED},
    "events": [
        {"event": "user", "text": QUESTION, "timestamp": 1.0,
         "parse_data": {"intent": {"name": "ask_knowledge", "confidence": 0.9},
                        "entities": [{"entity": "language", "value": "nl"}]}},
        {"event": "action", "name": "action_answer_knowledge", "timestamp": 2.0},
        {"event": "bot", "text": "Een ZOAST is ... Bron: [ZOAST](https://www.inami.fgov.be/zoast)", "timestamp": 2.5},
        {"event": "slot", "name": "knowledge_sources", "value": CITED, "timestamp": 2.6},
    ],
    "latest_message": {"text": QUESTION, "intent": {"name": "ask_knowledge", "confidence": 0.9},
                       "entities": [{"entity": "language", "value": "nl"}]},
}
ANSWER_FR = {"text": "Une ZOAST est ...\nSource : [ZOAST](https://www.inami.fgov.be/zoast)", "language": "fr",
             "passage_language": "fr", "section": "Qu'est-ce qu'une ZOAST ?", "score": 0.88,
             "sources": [dict(CITED[0], language="fr")]}


def fake_rasa() -> Sanic:
    """Rasa's HTTP API, as much as the console reads: one conversation's tracker."""
    app = Sanic("fake_rasa")

    @app.get("/conversations/<sender_id>/tracker")
    async def tracker(_request, sender_id):
        return response.json(TRACKER) if sender_id == TRACKER["sender_id"] else response.json({}, status=404)

    return app


class FakeRetrieval:
    def __init__(self):
        self.calls = []

    def __call__(self, **arguments):
        self.calls.append(arguments)
        return {"passages": [dict(CITED[0], language=arguments["reply_language"], text="...")],
                "answer": ANSWER_FR, "reason": "answered"}


@pytest.fixture(scope="module")
def rasa_port():
    with serving(fake_rasa()) as url:
        yield int(url.rsplit(":", 1)[1])


@contextlib.contextmanager
def console(tmp_path, rasa_port: int, actions_port: int):
    """The real web app (python -m assistant.web, as make run starts it) beside the stand-ins."""
    with web_process(tmp_path, rasa_port, actions_port, agent=("jan", PASSWORD, "fr")) as settings:
        with signed_in(settings.web_origin, "jan", PASSWORD) as client:
            yield client


@pytest.fixture
def knowledge_server():
    retrieval = FakeRetrieval()
    app = Sanic("fake_action_server")
    app.blueprint(knowledge_blueprint(retrieval))
    with serving(app) as url:
        yield int(url.rsplit(":", 1)[1]), retrieval


def test_the_console_asks_the_action_server_in_the_patients_language(tmp_path, rasa_port, knowledge_server):
    port, retrieval = knowledge_server
    with console(tmp_path, rasa_port, port) as client:
        detail = client.get("/agent/api/conversation", params={"id": "patient-1", "lang": "fr"}).json()
        found = client.get("/agent/api/search", params={"q": "ZOAST Givet", "lang": "de"}).json()
    # The passages shown are the patient's, from the tracker: no search for them.
    assert detail["conversation"]["knowledge"] == {"question": QUESTION, "time": 2.6, "sources": CITED}
    assert "passages" not in detail
    # The suggestion: the patient's words and language, the agent's language for the reply.
    assert detail["suggestion"]["kind"] == "knowledge" and detail["suggestion"]["text"] == ANSWER_FR["text"]
    assert detail["suggestion"]["sources"][0]["id"] == CITED[0]["id"]
    assert retrieval.calls[0] == {"question": QUESTION, "language": "nl", "reply_language": "fr", "k": 1}
    # The search box: the agent's words in the agent's language.
    assert retrieval.calls[1] == {"question": "ZOAST Givet", "language": "de", "reply_language": "de", "k": 5}
    assert found["answer"] == ANSWER_FR and found["passages"][0]["language"] == "de"
    assert len(retrieval.calls) == 2


def test_without_the_action_server_the_console_says_retrieval_is_unavailable(tmp_path, rasa_port):
    with console(tmp_path, rasa_port, free_port()) as client:
        detail = client.get("/agent/api/conversation", params={"id": "patient-1", "lang": "fr"})
        search = client.get("/agent/api/search", params={"q": "ZOAST", "lang": "fr"})
    assert detail.status_code == 200
    assert detail.json()["suggestion"]["kind"] == "unavailable"
    assert detail.json()["conversation"]["knowledge"]["sources"] == CITED     # still shown: from the tracker
    assert search.status_code == 503 and search.json() == {"error": "retrieval_unavailable"}
