"""The agent console in a real browser: login, the live conversation, suggestion, map, safety."""
import json
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import PHONE, copy_to_docs
from tests.browser.helpers import login, open_conversation, open_widget, send, session_id, wait_for_bot_message

pytestmark = pytest.mark.integration

LUXEMBOURGISH = "Wéi ee Spidol iwwer d'Grenz ass am nooste fir mech? Ech wunnen zu Arel."
DUTCH_QUESTION = "Wat is het S2-formulier en wanneer heb ik het nodig?"
HOSTILE = "<script>window.__pwned = 1</script> **bold** <img src=x onerror=\"window.__pwned=2\">"


@pytest.fixture
def patient(browser, stack):
    """A second browser profile: the patient, while `page` is the agent."""
    context = browser.new_context(viewport={"width": 1000, "height": 800}, locale="lb-LU")
    yield context.new_page()
    context.close()


def test_the_console_refuses_access_without_login(page, stack):
    page.goto(f"{stack.url}/agent")
    assert page.url == f"{stack.url}/agent/login"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{stack.url}/agent/api/conversations", timeout=10)
    assert refused.value.code == 401
    login(page, stack, password="not-the-password")
    assert page.locator(".login-error").is_visible()
    assert page.url.endswith("/agent/login")
    # A forged session cookie is refused too.
    request = urllib.request.Request(f"{stack.url}/agent/api/conversations",
                                     headers={"Cookie": "agent_session=eyJ1c2VyIjoibWFyaWUifQ.forged"})
    with pytest.raises(urllib.error.HTTPError) as forged:
        urllib.request.urlopen(request, timeout=10)
    assert forged.value.code == 401


def test_a_login_form_posted_from_elsewhere_is_refused(stack):
    body = "username=marie&password=x&csrf=guess".encode()
    request = urllib.request.Request(f"{stack.url}/agent/login", data=body, method="POST",
                                     headers={"Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def test_the_agent_sees_the_conversation_with_language_intent_and_sources(page, patient, stack, screenshot):
    open_widget(patient, stack)
    send(patient, DUTCH_QUESTION)
    sender = session_id(patient)

    open_conversation(page, stack, sender)
    facts = page.locator("#facts").inner_text()
    assert "NL · Nederlands" in facts
    intent = stack.tracker(sender)["latest_message"]["intent"]["name"]
    assert intent in page.locator("#facts .fact-intent").inner_text()
    assert DUTCH_QUESTION in page.locator("#transcript").inner_text()
    # The sources the patient's reply cited (from the tracker, not a search of the console's own),
    # with their scores and links.
    page.wait_for_selector("#passages .passage")
    cited = stack.tracker(sender)["slots"]["knowledge_sources"]
    shown = page.locator("#passages .passage")
    assert [shown.nth(i).get_attribute("data-id") for i in range(shown.count())] == [s["id"] for s in cited]
    assert page.locator("#passages .passage-score").first.inner_text().strip()
    assert page.locator("#passages a.source-link").first.get_attribute("href") == cited[0]["url"]
    assert DUTCH_QUESTION in page.locator("#cited-question").inner_text()
    # The suggested reply is in the agent's language (French), with its source.
    suggestion = page.locator("#suggestion-text")
    assert suggestion.get_attribute("data-language") == "fr"
    assert suggestion.inner_text().strip()
    assert page.locator("#suggestion-sources a.source-link").count() >= 1
    assert not page.errors, page.errors


def test_luxembourgish_chat_gives_a_french_suggestion_with_source_and_map(page, patient, stack, screenshot):
    """The issue's definition of done, in a browser."""
    open_widget(patient, stack)
    replies = send(patient, LUXEMBOURGISH)
    assert replies
    sender = session_id(patient)
    screenshot(patient, "widget-luxembourgish")
    copy_to_docs(screenshot(patient, "widget-luxembourgish"), "widget-luxembourgish.png")

    open_conversation(page, stack, sender)
    assert "LB · Lëtzebuergesch" in page.locator("#facts .fact-language").inner_text()
    suggestion = page.locator("#suggestion-text")
    assert suggestion.get_attribute("data-language") == "fr"
    assert suggestion.get_attribute("data-kind") == "facility"
    assert "Arlon" in suggestion.inner_text()
    assert page.locator("#suggestion-text a.source-link, #suggestion-sources a.source-link").count() >= 1
    # The map: the patient's place and the eligible facilities, on an offline base map.
    page.wait_for_selector("#map .mark-patient")
    assert page.locator("#map .map-country").count() >= 5
    assert page.locator("#map .mark-facility").count() >= 1
    assert "km" in page.locator("#map-list").inner_text()
    copy_to_docs(screenshot(page, "console-desktop"), "console-desktop.png")
    screenshot(page, "console-desktop-full", full_page=True)

    # The agent switches the console to German: the suggestion follows.
    page.select_option("#agent-language", "de")
    page.wait_for_selector('#suggestion-text[data-language="de"]')


def test_the_agent_can_send_the_suggestion_to_the_patient(page, patient, stack):
    open_widget(patient, stack)
    send(patient, "Hello")
    sender = session_id(patient)
    open_conversation(page, stack, sender)
    before = patient.locator("#log .msg-bot").count()
    page.click("#send-suggestion")
    wait_for_bot_message(patient, before, 20_000)
    assert patient.locator("#log .msg-agent").count() == 1
    agent_events = [e for e in stack.tracker(sender)["events"]
                    if e["event"] == "bot" and (e.get("metadata") or {}).get("sent_by_agent") == "marie"]
    assert len(agent_events) == 1


def test_sending_without_the_csrf_token_is_refused(page, stack):
    login(page, stack)
    page.wait_for_url(f"{stack.url}/agent")
    status = page.evaluate("""() => fetch('/agent/api/send', {method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({id: 'x', text: 'hi'})})
        .then(r => r.status)""")
    assert status == 403


def test_a_hostile_message_is_shown_as_text_in_the_console(page, patient, stack):
    open_widget(patient, stack)
    send(patient, HOSTILE)
    sender = session_id(patient)
    open_conversation(page, stack, sender)
    turn = page.locator("#transcript .turn-user .turn-body").first
    assert turn.inner_text() == HOSTILE
    assert page.locator("#transcript script, #transcript img, .conversation-list img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert patient.evaluate("window.__pwned") is None


def test_the_console_fits_a_phone(page, patient, stack, screenshot):
    open_widget(patient, stack)
    send(patient, LUXEMBOURGISH)
    sender = session_id(patient)
    page.set_viewport_size(PHONE)
    open_conversation(page, stack, sender)
    page.wait_for_selector("#map .mark-patient")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for selector in ("#agent-language", "#suggestion-text", "#send-suggestion", "#search-query"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], selector
    copy_to_docs(screenshot(page, "console-phone"), "console-phone.png")


def test_search_and_direct_lookups(page, stack):
    login(page, stack)
    page.wait_for_url(f"{stack.url}/agent")
    page.fill("#search-query", "Wofür braucht ein Patient vor einer Operation im Ausland das S2?")
    page.click("#search-form button")
    page.wait_for_selector("#tool-result .passage")
    assert page.locator("#tool-result a.source-link").count() >= 1
    page.fill("#insurer-query", "salarié au Grand-Duché, je loge à Arlon")
    page.click("#insurer-form button")
    page.wait_for_selector("#tool-result h3.insurer-title")
    assert page.locator("#tool-result h3.insurer-title").get_attribute("data-country") == "LU"
    page.fill("#facility-query", "Arel")
    page.click("#facility-form button")
    page.wait_for_selector("#map .mark-facility")
    assert "Arlon" in page.locator("#tool-result").inner_text()
    response = json.loads(page.evaluate("() => fetch('/agent/api/facility?place=Arel').then(r => r.text())"))
    assert response["facility"]["options"][0]["lat"]
