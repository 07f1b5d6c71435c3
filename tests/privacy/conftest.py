"""The three services (action server, Rasa server, web app) on the production stores: a real PostgreSQL
and Redis (tests/stores.py), RASA_ENDPOINTS=endpoints.production.yml for every process, as a deployment
sets it. Rasa logs at DEBUG (every user message in full) and Sanic's access logs are on, so that the logs
would hold the identifiers if the redaction let them through.

Ports: TEST_PRIVACY_RASA_PORT / TEST_PRIVACY_ACTIONS_PORT / TEST_PRIVACY_WEB_PORT (16005, 16055, 16080);
the database servers on TEST_POSTGRES_PORT / TEST_REDIS_PORT or free ones.
"""
from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from typing import Dict

import pytest

from assistant.settings import load_settings
from assistant.tracker_db import TrackerDb, open_tracker_db
from assistant.web.agents import set_agent
from tests.integration.conftest import RunningAssistant
from tests.servers import running_services
from tests.stores import postgres, redis, store_dir  # noqa: F401  (fixtures)
from tests.web.agent_login import signed_in

AGENT, AGENT_PASSWORD = "lea", secrets.token_urlsafe(12)


@dataclass
class PrivacyStack(RunningAssistant):
    # The variables every process of the stack was given (stores, endpoints file, log levels).
    env: Dict[str, str] = None

    def store(self) -> TrackerDb:
        """The tracker store, opened as the web app and `make erase` open it."""
        return open_tracker_db(self.settings, environ={**os.environ, **self.env})

    @contextlib.contextmanager
    def console(self):
        with signed_in(self.settings.web_origin, AGENT, AGENT_PASSWORD) as client:
            yield client

    def logs(self) -> str:
        return "".join(path.read_text(encoding="utf-8", errors="replace")
                       for path in sorted(self.settings.var_dir.rglob("*.log")))


@pytest.fixture(scope="module")
def on_postgres(tmp_path_factory, postgres, redis):  # noqa: F811  (the imported fixtures)
    env = {**postgres, **redis, "RASA_ENDPOINTS": "endpoints.production.yml",
           "LOG_LEVEL": "DEBUG", "LOG_LEVEL_LIBRARIES": "INFO",
           # The console lists 100 days, so that the retention test sees only retention take one off.
           "AGENT_LIVE_HOURS": "2400"}
    settings = load_settings(dict(
        os.environ, **env, VAR_DIR=str(tmp_path_factory.mktemp("privacy-var")),
        RASA_PORT=os.environ.get("TEST_PRIVACY_RASA_PORT", "16005"),
        ACTIONS_PORT=os.environ.get("TEST_PRIVACY_ACTIONS_PORT", "16055"),
        WEB_PORT=os.environ.get("TEST_PRIVACY_WEB_PORT", "16080")))
    set_agent(settings.secrets_dir / "agents.json", AGENT, AGENT_PASSWORD, "fr")
    with running_services(settings, web=True, extra_env=env,
                          ports_hint="TEST_PRIVACY_RASA_PORT / TEST_PRIVACY_ACTIONS_PORT / "
                                     "TEST_PRIVACY_WEB_PORT") as (group, token):
        yield PrivacyStack(settings, token, group, env)
