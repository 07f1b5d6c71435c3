"""Starts the real services for one test session, on the ports of the given settings."""
import contextlib
import secrets

import pytest

from assistant.services import ServiceGroup, latest_model


@contextlib.contextmanager
def running_services(settings, web=False, ports_hint="TEST_RASA_PORT / TEST_ACTIONS_PORT", extra_env=None):
    """Yields (group, token) with the action server, the Rasa server (and the web app) started;
    ``extra_env``: for every service (the stores' variables of settings.endpoints, log levels)."""
    token = secrets.token_urlsafe(16)
    group = ServiceGroup(settings, latest_model(settings), token, web=web, extra_env=extra_env)
    busy = group.busy_ports()
    if busy:
        pytest.fail(f"test ports {busy} are busy; set {ports_hint}")
    group.start()
    try:
        yield group, token
    finally:
        group.stop()
