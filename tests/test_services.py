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


def _sleeper():
    """A process in a session of its own, as a service is."""
    import subprocess
    import sys
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)


def test_servers_of_a_killed_test_run_are_stopped_by_the_next_and_a_live_runs_are_kept(tmp_path):
    import subprocess

    from assistant.services import _start_time, stop_recorded
    gone = subprocess.Popen(["true"])
    gone.wait()                                          # a supervisor that no longer exists
    orphan, other_session, reused = _sleeper(), _sleeper(), _sleeper()
    try:
        pid_file = tmp_path / "pids"
        pid_file.write_text(f"{orphan.pid} {gone.pid} {_start_time(orphan.pid)} rasa\n"
                            f"{other_session.pid} 1 {_start_time(other_session.pid)} rasa\n"
                            # a pid written down by a dead run, now another process (other start time)
                            f"{reused.pid} {gone.pid} 1 redis\n")
        assert stop_recorded(pid_file) == [orphan.pid]
        assert orphan.wait(timeout=10) == -9
        assert other_session.poll() is None and reused.poll() is None
        assert pid_file.read_text() == f"{other_session.pid} 1 {_start_time(other_session.pid)} rasa\n"
    finally:
        for process in (orphan, other_session, reused):
            process.kill()
            process.wait()


def test_a_service_stopped_normally_leaves_no_record(tmp_path, monkeypatch):
    from assistant.services import Service
    pid_file = tmp_path / "pids"
    monkeypatch.setenv("SERVICE_PID_FILE", str(pid_file))
    service = Service("sleeper", ["sleep", "60"], {"PATH": "/usr/bin:/bin"}, "http://127.0.0.1:9/", tmp_path / "log")
    service.start()
    assert str(service.process.pid) in pid_file.read_text()
    service.stop(grace_s=5)
    assert pid_file.read_text() == ""

