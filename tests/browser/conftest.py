"""Starts the action server, the Rasa server and the web app on their own test ports, and a
headless Debian Chromium driven by playwright.

Ports: TEST_BROWSER_RASA_PORT / TEST_BROWSER_ACTIONS_PORT / TEST_BROWSER_WEB_PORT (18005,
18055, 18080). The agent login is created for the session in its own VAR_DIR, so the real
var/secrets/agents.json is never read or written. Screenshots go to build/screenshots/.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.language import LanguageDetector
from assistant.services import ServiceGroup
from assistant.settings import Settings, load_settings
from assistant.web.agents import set_agent
from tests.servers import running_services

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium's own connections are refused here.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AGENT, AGENT_PASSWORD = "marie", secrets.token_urlsafe(12)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
REPLY_TIMEOUT_MS = 60_000


@dataclass
class WebStack:
    settings: Settings
    token: str
    group: ServiceGroup

    @property
    def url(self) -> str:
        return self.settings.web_origin

    def tracker(self, sender: str) -> dict:
        url = f"{self.settings.rasa_url}/conversations/{sender}/tracker?token={self.token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium chromium-driver)")
    var_dir = tmp_path_factory.mktemp("web-var")
    env = dict(os.environ,
               RASA_PORT=os.environ.get("TEST_BROWSER_RASA_PORT", "18005"),
               ACTIONS_PORT=os.environ.get("TEST_BROWSER_ACTIONS_PORT", "18055"),
               WEB_PORT=os.environ.get("TEST_BROWSER_WEB_PORT", "18080"),
               VAR_DIR=str(var_dir))
    settings = load_settings(env)
    set_agent(settings.secrets_dir / "agents.json", AGENT, AGENT_PASSWORD, "fr", "Marie")
    with running_services(settings, web=True, ports_hint="TEST_BROWSER_*_PORT") as (group, token):
        yield WebStack(settings, token, group)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, stack):
    """A fresh browser profile (no storage, no cookies) at desktop size, failing on page errors."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.errors = errors
    yield page
    context.close()


@pytest.fixture(scope="session")
def detector():
    return LanguageDetector()


@pytest.fixture(scope="session")
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = False) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path
    return take


def copy_to_docs(path: Path, name: str) -> None:
    """README screenshots are refreshed only on request (UPDATE_SCREENSHOTS=1): tests never dirty git."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        docs = ROOT / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, docs / name)
