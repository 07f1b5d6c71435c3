"""The patient widget in a real browser: language, persistence, emergency, safety, phone, keyboard."""
import pytest

from tests.browser.conftest import PHONE, copy_to_docs
from tests.browser.helpers import bot_messages, open_widget, plain, send, session_id, wait_for_bot_message

pytestmark = pytest.mark.integration

DUTCH = "Welk ziekenhuis over de grens mag ik gebruiken? Ik woon in Maastricht."
LUXEMBOURGISH_EMERGENCY = "Mäi Papp huet Broschtschmäerzen, hien kritt keng Loft"
HOSTILE = ('<script>window.__pwned = 1</script> **bold** [click](javascript:window.__pwned=2) '
           '<img src="x" onerror="window.__pwned=3">')


def test_a_dutch_message_gets_a_dutch_reply_that_survives_a_reload(page, stack, detector, screenshot):
    open_widget(page, stack)
    replies = send(page, DUTCH)
    assert replies, "no reply"
    assert detector.detect(plain(" ".join(replies))).language == "nl", replies
    transcript = page.locator("#log .msg").all_inner_texts()

    page.reload()
    open_widget(page, stack)
    assert page.locator("#log .msg").all_inner_texts() == transcript
    # The same Rasa conversation goes on after the reload.
    sender = session_id(page)
    send(page, "Dank u wel")
    users = [e["text"] for e in stack.tracker(sender)["events"] if e["event"] == "user"]
    assert users == [DUTCH, "Dank u wel"]
    assert not page.errors, page.errors
    screenshot(page, "widget-dutch-desktop")


def test_an_emergency_shows_112_unmistakably(page, stack, screenshot):
    page.set_viewport_size(PHONE)
    open_widget(page, stack)
    send(page, LUXEMBOURGISH_EMERGENCY)
    emergency = page.locator(".msg-emergency").first
    assert "112" in emergency.inner_text()
    assert emergency.get_attribute("role") == "alert"
    assert emergency.locator("a.call-112").get_attribute("href") == "tel:112"
    colour = emergency.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(164, 0, 29)", colour          # the danger red, not the ordinary bubble
    # It is the first thing the assistant answers.
    assert bot_messages(page).first.get_attribute("class").count("msg-emergency") == 1
    copy_to_docs(screenshot(page, "widget-emergency-phone"), "widget-emergency-phone.png")


def test_script_and_markdown_typed_by_the_user_stay_text(page, stack):
    open_widget(page, stack)
    send(page, HOSTILE)
    bubble = page.locator("#log .msg-user .msg-body").last
    assert bubble.inner_text() == HOSTILE
    assert bubble.locator("strong, a, img, script").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#log script, #log img").count() == 0


def test_the_language_selector_sets_the_conversation_language(page, stack, detector):
    open_widget(page, stack)
    page.select_option("#language", "lb")
    assert page.locator("#send").inner_text() == "Schécken"          # the page follows too
    replies = send(page, "Hello")
    sender = session_id(page)
    assert stack.tracker(sender)["slots"]["language"] == "lb"
    assert detector.detect(plain(" ".join(replies))).language == "lb", replies


def test_buttons_work_and_sources_are_links(page, stack):
    open_widget(page, stack)
    send(page, "Hello")
    buttons = page.locator("#log .quick-reply")
    assert buttons.count() >= 2
    label = buttons.first.inner_text()
    send_reply = bot_messages(page).count()
    buttons.first.click()
    wait_for_bot_message(page, send_reply, 60_000)
    assert page.locator("#log .msg-user .msg-body").last.inner_text() == label
    assert page.locator("#log .quick-reply").count() <= buttons.count()
    # A reply with a source renders it as a link that opens safely in a new tab.
    send(page, "I live in Belgium and my father has chest pain, he cannot breathe")
    links = page.locator("#log a.source-link")
    # 112 comes first; the national numbers with their source follow in a second message.
    links.first.wait_for(timeout=60_000)
    assert links.first.get_attribute("href").startswith("https://")
    assert links.first.get_attribute("rel") == "noopener noreferrer"


def test_the_keyboard_alone_is_enough(page, stack):
    open_widget(page, stack)
    page.keyboard.press("Tab")                       # skip link
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")                     # jumps to the message box
    assert page.evaluate("document.activeElement.id") == "message"
    page.keyboard.type("Hello")
    before = bot_messages(page).count()
    page.keyboard.press("Enter")
    wait_for_bot_message(page, before, 60_000)
    # Labels and roles for screen readers.
    assert page.locator("#log").get_attribute("role") == "log"
    assert page.locator("label[for=message]").count() == 1
    assert page.locator("label[for=language]").count() == 1


def test_the_widget_fits_a_phone(page, stack, screenshot):
    page.set_viewport_size(PHONE)
    open_widget(page, stack)
    send(page, "Hello")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for selector in ("#message", "#send", "#language", ".chat-privacy summary"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], selector
        assert box["y"] + box["height"] <= PHONE["height"], selector
    page.click(".chat-privacy summary")
    notice = page.locator(".chat-privacy p").inner_text()
    assert "30" in notice and "112" in notice
    copy_to_docs(screenshot(page, "widget-phone"), "widget-phone.png")


def test_pages_send_a_strict_content_security_policy(page, stack):
    response = page.goto(f"{stack.url}/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    # Nothing is fetched from anywhere but this app and the Rasa server.
    origins = set()
    page.on("request", lambda request: origins.add("/".join(request.url.split("/")[:3])))
    open_widget(page, stack)
    assert origins <= {stack.url, stack.settings.rasa_url, stack.settings.rasa_url.replace("http", "ws")}, origins
