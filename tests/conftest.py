"""Session-wide: every server a test starts is stopped when the session ends, however it ends.

Services and test database servers run in sessions of their own (so that stopping one stops its
children), which also means they outlive a pytest that is interrupted or killed and would block the next
run's ports. So: at the end (normal, failure, Ctrl-C, SIGTERM) everything still running is stopped, and
at the start whatever a killed earlier run (SIGKILL: nothing runs at its end) wrote down is stopped."""
import os
import signal

import pytest

from assistant.services import stop_all_started, stop_recorded
from assistant.settings import ROOT

PID_FILE = ROOT / "var" / "test-service-pids"


def _terminated(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")     # pytest then unwinds: fixtures stop their servers


@pytest.fixture(scope="session", autouse=True)
def stop_every_started_server():
    PID_FILE.parent.mkdir(parents=True, exist_ok=True)
    left = stop_recorded(PID_FILE)
    if left:
        print(f"\nstopped {len(left)} server(s) left running by an earlier, killed test run")
    os.environ["SERVICE_PID_FILE"] = str(PID_FILE)
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        stop_all_started()
        stop_recorded(PID_FILE)
