"""`make run` refuses to start twice and names the busy port instead of crashing."""
import socket

import pytest

from assistant.services import RunLock, check
from assistant.settings import load_settings


@pytest.fixture
def settings(tmp_path):
    with socket.socket() as probe:  # three free ports
        probe.bind(("127.0.0.1", 0))
        base = probe.getsockname()[1]
    return load_settings({"VAR_DIR": str(tmp_path), "RASA_PORT": str(base),
                          "ACTIONS_PORT": str(base + 1), "WEB_PORT": str(base + 2)})


def test_a_second_run_is_told_the_assistant_is_already_running(settings, capsys):
    first = RunLock(settings)
    assert first.acquire()
    try:
        assert check(settings) == 1
        assert "already running" in capsys.readouterr().out
    finally:
        first.release()
    assert check(settings) == 0


def test_a_port_taken_by_another_program_is_named(settings, capsys):
    with socket.socket() as squatter:
        squatter.bind((settings.host, settings.rasa_port))
        squatter.listen()
        assert check(settings) == 1
    assert str(settings.rasa_port) in capsys.readouterr().out
