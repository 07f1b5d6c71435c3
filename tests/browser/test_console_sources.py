"""One retrieval path, end to end on the real services: what the console shows for a conversation is
what the patient's reply cited, and the console's own knowledge calls go to the action server."""
import json
import re
import urllib.request
import uuid

import pytest

from tests.browser.conftest import AGENT, AGENT_PASSWORD
from tests.web.agent_login import signed_in

pytestmark = pytest.mark.integration

LINK = re.compile(r"\]\((https?://[^)\s]+)\)")


def ask(stack, sender: str, text: str) -> list:
    request = urllib.request.Request(f"{stack.settings.rasa_url}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return [message.get("text") or "" for message in json.loads(response.read())]


@pytest.mark.parametrize("question, language", [
    ("Brauch ech eng Autorisatioun fir an d'Spidol an der Belsch?", "lb"),     # through the lb-de glossary
    ("Wat is een ZOAST?", "nl"),
])
def test_the_console_shows_the_sources_the_patient_got(stack, question, language):
    sender = f"sources-{uuid.uuid4().hex[:10]}"
    replies = ask(stack, sender, question)
    cited_in_reply = [url for text in replies for url in LINK.findall(text)]
    slot = stack.tracker(sender)["slots"]["knowledge_sources"]
    assert cited_in_reply and slot, (replies, slot)

    with signed_in(stack.url, AGENT, AGENT_PASSWORD) as console:
        detail = console.get("/agent/api/conversation", params={"id": sender, "lang": "fr"}).json()
        search = console.get("/agent/api/search", params={"q": question, "lang": language}).json()

    shown = detail["conversation"]["knowledge"]
    assert shown["question"] == question and shown["sources"] == slot
    assert all(source["url"] in cited_in_reply for source in shown["sources"])
    # The suggestion in the agent's language (French) quotes the same document as the patient's reply,
    assert detail["suggestion"]["kind"] == "knowledge" and detail["suggestion"]["language"] == "fr"
    assert detail["suggestion"]["sources"][0]["id"] == slot[0]["id"]
    # and the search box, asked the same question, finds it first: the action server's retrieval.
    assert search["answer"]["sources"][0]["id"] == search["passages"][0]["id"] == slot[0]["id"]
