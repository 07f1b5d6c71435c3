"""What a patient and an agent do in the pages, as small steps the tests share."""
from __future__ import annotations

import re
import time

from tests.browser.conftest import AGENT, AGENT_PASSWORD, REPLY_TIMEOUT_MS

MARKDOWN = re.compile(r"[*_`#\[\]]|\(https?://[^)]*\)")


def open_widget(page, stack, query: str = ""):
    page.goto(f"{stack.url}/{query}")
    page.wait_for_selector("#status[data-text=status_online]", timeout=30_000)


def bot_messages(page):
    return page.locator("#log .msg-bot")


def wait_for_bot_message(page, count_before: int, timeout_ms: int = REPLY_TIMEOUT_MS) -> None:
    """Selector waits, not wait_for_function: the pages' CSP forbids the eval it needs."""
    bot_messages(page).nth(count_before).wait_for(timeout=timeout_ms)


def send(page, text: str, settle_s: float = 1.5) -> list:
    """Type a message like a user (Enter sends) and return the bot messages that answer it."""
    before = bot_messages(page).count()
    page.fill("#message", text)
    page.press("#message", "Enter")
    wait_for_bot_message(page, before)
    # Rasa sends one socket.io message per paragraph: wait until no more arrive.
    count, quiet_since = bot_messages(page).count(), time.monotonic()
    while time.monotonic() - quiet_since < settle_s:
        time.sleep(0.2)
        now = bot_messages(page).count()
        if now != count:
            count, quiet_since = now, time.monotonic()
    return [bot_messages(page).nth(i).inner_text() for i in range(before, count)]


def session_id(page) -> str:
    return page.evaluate("JSON.parse(sessionStorage.getItem('cross-border-health-chat')).sessionId")


def login(page, stack, password: str = AGENT_PASSWORD):
    page.goto(f"{stack.url}/agent/login")
    page.fill("#username", AGENT)
    page.fill("#password", password)
    page.click("button[type=submit]")


def open_conversation(page, stack, sender: str):
    login(page, stack)
    page.wait_for_url(f"{stack.url}/agent")
    page.locator(f'.conversation[data-id="{sender}"]').click(timeout=20_000)
    page.wait_for_selector("#facts .fact-language", timeout=30_000)


def plain(text: str) -> str:
    return MARKDOWN.sub(" ", text)
