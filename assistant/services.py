"""Starts, watches and stops the assistant's services (`make run`).

- the action server (rasa-sdk, this Python 3.11 env) on ACTIONS_PORT;
- the Rasa server (Rasa 3.6, the Python 3.10 env) on RASA_PORT, with the REST and
  socket.io channels, the HTTP API behind a token, and the SQLite tracker store.

Only one ``make run`` at a time: a second one is told so instead of crashing on a
busy port. Ctrl-C (or SIGTERM) stops every service before exiting. The integration
tests start the same services on other ports through :class:`ServiceGroup`.
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from assistant.settings import ROOT, Settings, load_settings, rasa_auth_token

RASA_BIN = ROOT / ".venv" / "rasa" / "bin" / "rasa"
ACTIONS_PYTHON = ROOT / ".venv" / "actions" / "bin" / "python"


class ServiceError(RuntimeError):
    """A service could not start; the message says why and what to do."""


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def http_get(url: str, timeout: float = 2.0) -> Optional[bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


@dataclass
class Service:
    name: str
    argv: List[str]
    env: Dict[str, str]
    health_url: str
    log_path: Path
    process: Optional[subprocess.Popen] = field(default=None, repr=False)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        # A session of its own: the supervisor decides when and how it stops.
        self.process = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )

    def healthy(self) -> bool:
        return http_get(self.health_url) is not None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_healthy(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self.running():
                raise ServiceError(
                    f"{self.name} exited during start-up (code {self.process.returncode}); "
                    f"see {self.log_path}")
            if self.healthy():
                return
            time.sleep(0.5)
        raise ServiceError(f"{self.name} not ready after {timeout_s:.0f} s; see {self.log_path}")

    def stop(self, grace_s: float = 15.0) -> None:
        if not self.running():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def service_environment(settings: Settings) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        ACTION_ENDPOINT_URL=f"{settings.actions_url}/webhook",
        TRACKER_DB=str(settings.tracker_db),
        SANIC_HOST=settings.host,
        PYTHONPATH=str(ROOT),
        # Nothing may be fetched at run time: fail fast instead of hanging on a hub.
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        RASA_TELEMETRY_ENABLED="false",
    )
    return env


def action_service(settings: Settings) -> Service:
    return Service(
        name="action server",
        argv=[str(ACTIONS_PYTHON), "-m", "rasa_sdk", "--actions", "actions",
              "--port", str(settings.actions_port), "--cors", settings.web_origin],
        env=service_environment(settings),
        health_url=f"{settings.actions_url}/health",
        log_path=settings.var_dir / "logs" / "actions.log",
    )


def rasa_service(settings: Settings, token: str, model: Path) -> Service:
    return Service(
        name="Rasa server",
        argv=[str(RASA_BIN), "run", "--model", str(model),
              "--interface", settings.host, "--port", str(settings.rasa_port),
              "--enable-api", "--auth-token", token, "--cors", settings.web_origin,
              "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
        env=service_environment(settings),
        health_url=f"{settings.rasa_url}/status?token={token}",
        log_path=settings.var_dir / "logs" / "rasa.log",
    )


class RunLock:
    """An exclusive lock on var/run.lock, released by the OS if we die."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.var_dir / "run.lock"
        self._handle = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(self.path, "a+")
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.write(str(os.getpid()))
        self._handle.flush()
        return True

    def holder(self) -> str:
        try:
            return self.path.read_text().strip() or "?"
        except OSError:
            return "?"


class ServiceGroup:
    """The action server and the Rasa server, started in order, stopped together."""

    def __init__(self, settings: Settings, model: Path, token: str) -> None:
        self.settings = settings
        self.services = [action_service(settings), rasa_service(settings, token, model)]

    def busy_ports(self) -> List[int]:
        ports = [self.settings.actions_port, self.settings.rasa_port]
        return [p for p in ports if port_in_use(self.settings.host, p)]

    def start(self) -> None:
        try:
            for service in self.services:
                service.start()
                service.wait_healthy(self.settings.startup_timeout_s)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()

    def first_exited(self) -> Optional[Service]:
        return next((s for s in self.services if not s.running()), None)


def latest_model(settings: Settings) -> Path:
    models = sorted(settings.models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise ServiceError(f"No trained model in {settings.models_dir}: run `make train` first.")
    return models[-1]


def run(settings: Settings) -> int:
    lock = RunLock(settings)
    if not lock.acquire():
        print(f"The assistant is already running (process {lock.holder()}): "
              f"open {settings.rasa_url} or stop it with Ctrl-C in its terminal.")
        return 1
    group = ServiceGroup(settings, latest_model(settings), rasa_auth_token(settings))
    busy = group.busy_ports()
    if busy:
        print(f"Port(s) {', '.join(map(str, busy))} on {settings.host} are used by another program. "
              "Stop it, or choose other ports (RASA_PORT, ACTIONS_PORT).")
        return 1

    stopping = {"signal": None}

    def on_signal(signum, _frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print("Starting the action server and the Rasa server (about 30 s)...", flush=True)
    try:
        group.start()
    except ServiceError as error:
        print(f"Start-up failed: {error}")
        return 1
    print(json.dumps({
        "rasa": settings.rasa_url,
        "rest_webhook": f"{settings.rasa_url}/webhooks/rest/webhook",
        "socketio": f"{settings.rasa_url}/socket.io",
        "actions": settings.actions_url,
        "logs": str(settings.var_dir / "logs"),
    }, indent=2))
    print("Ready. Ctrl-C stops everything.", flush=True)
    code = 0
    while stopping["signal"] is None:
        exited = group.first_exited()
        if exited:
            print(f"{exited.name} stopped unexpectedly; see {exited.log_path}")
            code = 1
            break
        time.sleep(0.5)
    print("Stopping...", flush=True)
    group.stop()
    print("Stopped.")
    return code


def shell(settings: Settings) -> int:
    """`rasa shell` in this terminal, with a private action server beside it."""
    actions = action_service(settings)
    if port_in_use(settings.host, settings.actions_port):
        print(f"Port {settings.actions_port} is busy (is `make run` running?): "
              "chat through it instead, or set ACTIONS_PORT.")
        return 1
    actions.start()
    try:
        actions.wait_healthy(settings.startup_timeout_s)
        argv = [str(RASA_BIN), "shell", "--model", str(latest_model(settings)),
                "--endpoints", "endpoints.yml"]
        return subprocess.call(argv, cwd=ROOT, env=service_environment(settings))
    except ServiceError as error:
        print(f"Start-up failed: {error}")
        return 1
    finally:
        actions.stop()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.services", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run", "shell", "token"],
                        help="run: start all services; shell: chat in the terminal; "
                             "token: print the Rasa API token")
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.command == "token":
        print(rasa_auth_token(settings))
        return 0
    return shell(settings) if args.command == "shell" else run(settings)


if __name__ == "__main__":
    sys.exit(main())
