"""Real PostgreSQL and Redis servers on loopback ports (tests/stores.py), and two Rasa servers with two
action servers (22005/22055 and 22006/22056) on endpoints.production.yml: the production stores, tested
for real.
"""
from __future__ import annotations

import json
import os
import secrets
import urllib.request
from dataclasses import dataclass

import pytest

from assistant.services import ServiceGroup, latest_model, port_in_use
from assistant.settings import load_settings
from tests.stores import postgres, redis, store_dir  # noqa: F401,F811  (fixtures)

RASA_PORTS = (22005, 22006)
ACTIONS_PORTS = (22055, 22056)


@dataclass
class Replica:
    """One Rasa server and its action server, on the shared stores."""
    group: ServiceGroup
    token: str

    @property
    def url(self) -> str:
        return self.group.settings.rasa_url

    def send(self, sender: str, text: str):
        request = urllib.request.Request(
            f"{self.url}/webhooks/rest/webhook", data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def tracker(self, sender: str):
        with urllib.request.urlopen(f"{self.url}/conversations/{sender}/tracker?token={self.token}",
                                    timeout=60) as response:
            return json.loads(response.read())


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, postgres, redis):  # noqa: F811  (the fixtures imported above)
    """Two Rasa servers (22005, 22006), each with its action server (22055, 22056), started one after the
    other (the first creates the tables) and all stopped at the end, even if one failed to start."""
    token = secrets.token_urlsafe(16)
    stores = {**postgres, **redis}
    groups = []
    for rasa_port, actions_port in zip(RASA_PORTS, ACTIONS_PORTS):
        settings = load_settings(dict(os.environ, RASA_PORT=str(rasa_port), ACTIONS_PORT=str(actions_port),
                                      VAR_DIR=str(tmp_path_factory.mktemp(f"replica-{rasa_port}"))))
        groups.append(ServiceGroup(settings, latest_model(settings), token,
                                   endpoints="endpoints.production.yml", extra_env=stores))
    busy = [p for g in groups for p in g.ports if port_in_use(g.settings.host, p)]
    if busy:
        pytest.fail(f"ports {busy} are busy (tests/production use 22005/22006 and 22055/22056)")
    try:
        for group in groups:
            group.start()
        yield [Replica(group, token) for group in groups]
    finally:
        for group in groups:
            group.stop()
