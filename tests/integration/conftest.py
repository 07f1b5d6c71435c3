"""Starts the real action server and Rasa server on loopback test ports, once per session."""
import json
import os
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.dialogue.domain import load_domain
from assistant.language import LanguageDetector
from assistant.services import ServiceGroup
from assistant.settings import Settings, load_settings
from tests.servers import running_services

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class RunningAssistant:
    settings: Settings
    token: str
    group: ServiceGroup

    def send(self, sender: str, text: str, metadata=None):
        body = {"sender": sender, "message": text}
        if metadata is not None:
            body["metadata"] = metadata
        request = urllib.request.Request(
            f"{self.settings.rasa_url}/webhooks/rest/webhook",
            data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def tracker(self, sender: str):
        url = f"{self.settings.rasa_url}/conversations/{sender}/tracker?token={self.token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())

    @property
    def rasa(self):
        return self.group.services[1]


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    env = dict(os.environ,
               RASA_PORT=os.environ.get("TEST_RASA_PORT", "15005"),
               ACTIONS_PORT=os.environ.get("TEST_ACTIONS_PORT", "15055"),
               VAR_DIR=str(tmp_path_factory.mktemp("var")))
    settings = load_settings(env)
    with running_services(settings) as (group, token):
        yield RunningAssistant(settings, token, group)


@pytest.fixture
def sender():
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def detector():
    return LanguageDetector()


@pytest.fixture(scope="session")
def response_texts():
    """Every fixed response text of the domain, by language."""
    domain = load_domain()
    texts = {}
    for variations in domain["responses"].values():
        for variation in variations:
            for condition in variation.get("condition") or []:
                if condition.get("name") == "language":
                    texts.setdefault(condition["value"], set()).add(variation["text"].strip())
    return texts


@pytest.fixture(scope="session")
def reply_language(detector, response_texts):
    def language(text: str) -> str:
        for lang, texts in response_texts.items():
            if text.strip() in texts:
                return lang
        detection = detector.detect(text)
        return detection.language
    return language
