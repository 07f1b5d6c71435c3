"""Starts, watches and stops the assistant's services (`make run`).

- the action server (rasa-sdk, this Python 3.11 env) on ACTIONS_PORT;
- the Rasa server (Rasa 3.6, the Python 3.10 env) on RASA_PORT, with the REST and
  socket.io channels, the HTTP API behind a token, and the SQLite tracker store;
- the web app (assistant.web, this env) on WEB_PORT: the patient widget and the agent
  console, which reads conversations through the Rasa HTTP API with the same token.

Only one ``make run`` at a time: a second one is told so instead of crashing on a
busy port. Ctrl-C (or SIGTERM) stops every service before exiting. The integration
tests start the same services on other ports through :class:`ServiceGroup`.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from assistant.model_inputs import inputs_digest, record, trained_on
from assistant.settings import ROOT, Settings, load_settings, rasa_auth_token
from assistant.web.agents import ensure_first_agent
from assistant.web.config import load_web_config

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


# Every service process started by this process and not stopped yet, so that whoever supervises (the
# test session) can stop them all however it ends. SERVICE_PID_FILE, when set, also lists them (process
# group, supervisor, the group's start time): a supervisor killed outright (SIGKILL) cannot clean up, so
# the next one reads the file. The start time makes sure a pid reused since is never taken for ours.
_STARTED: Dict[int, object] = {}


def _start_time(pid: int) -> Optional[str]:
    """The process's start time in clock ticks since boot (/proc/PID/stat, field 22); None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _pid_records(pid_file: Path):
    """The file's lines, locked against other sessions; the list as left by the caller is written back."""
    with open(pid_file, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        lines = [line.split() for line in handle.read().splitlines() if line.strip()]
        yield lines
        handle.seek(0)
        handle.truncate()
        handle.writelines(" ".join(fields) + "\n" for fields in lines)


def track(owner, pid: int, name: str) -> None:
    """``owner`` (anything with a ``stop()``) started process group ``pid``."""
    _STARTED[id(owner)] = owner
    pid_file = os.environ.get("SERVICE_PID_FILE")
    started = _start_time(pid)
    if pid_file and started:
        with _pid_records(Path(pid_file)) as lines:
            lines.append([str(pid), str(os.getpid()), started, name.replace(" ", "-")])


def untrack(owner, pid: Optional[int] = None) -> None:
    _STARTED.pop(id(owner), None)
    pid_file = os.environ.get("SERVICE_PID_FILE")
    if pid_file and pid is not None:
        with _pid_records(Path(pid_file)) as lines:
            lines[:] = [fields for fields in lines if fields[0] != str(pid)]


def stop_all_started() -> None:
    for owner in list(_STARTED.values()):
        owner.stop()


def stop_recorded(pid_file: Path) -> List[int]:
    """Stops the process groups written down by supervisors that are gone (killed before they could
    stop them), when the group leader is still the very process that was started. Entries of live
    supervisors (another test session running now) are kept. Returns the groups stopped."""
    stopped = []
    with _pid_records(pid_file) as lines:
        kept = []
        for fields in lines:
            try:
                pgid, owner, started = int(fields[0]), int(fields[1]), fields[2]
            except (IndexError, ValueError):
                continue
            if owner != os.getpid() and _alive(owner):
                kept.append(fields)
            elif _start_time(pgid) == started:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pgid, signal.SIGKILL)
                    stopped.append(pgid)
        lines[:] = kept
    return stopped


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
        track(self, self.process.pid, self.name)

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
        untrack(self, self.process.pid if self.process else None)
        if not self.running():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# What `rasa train / test / data validate` read from the environment: endpoints.yml names these.
RASA_COMMAND_VARIABLES = ("PYTHONPATH", "RASA_TELEMETRY_ENABLED", "ACTION_ENDPOINT_URL", "TRACKER_DB")


def service_environment(settings: Settings) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        ACTION_ENDPOINT_URL=f"{settings.actions_url}/webhook",
        TRACKER_DB=str(settings.tracker_db),
        # The Rasa server's endpoints file, so that the web app reads the tracker store Rasa writes.
        RASA_ENDPOINTS=str(settings.endpoints),
        SANIC_HOST=settings.actions_host,   # read by rasa-sdk only: the action server's interface
        PYTHONPATH=str(ROOT),
        # Nothing may be fetched at run time: fail fast instead of hanging on a hub.
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        RASA_TELEMETRY_ENABLED="false",
    )
    return env


def action_service(settings: Settings, extra_env: Optional[Dict[str, str]] = None) -> Service:
    return Service(
        name="action server",
        argv=[str(ACTIONS_PYTHON), "-m", "rasa_sdk", "--actions", "actions",
              "--port", str(settings.actions_port), "--cors", settings.web_origin],
        env={**service_environment(settings), **(extra_env or {})},
        health_url=f"{settings.actions_url}/health",
        log_path=settings.var_dir / "logs" / "actions.log",
    )


def rasa_service(settings: Settings, token: str, model: Path,
                 extra_env: Optional[Dict[str, str]] = None) -> Service:
    """``settings.endpoints``: endpoints.yml (SQLite, in-memory lock) or endpoints.production.yml
    (PostgreSQL and Redis, whose ${...} values come in ``extra_env``: docs/deployment.md)."""
    return Service(
        name="Rasa server",
        argv=[str(RASA_BIN), "run", "--model", str(model),
              "--interface", settings.host, "--port", str(settings.rasa_port),
              "--enable-api", f"--auth-token={token}", "--cors", settings.web_origin,
              "--endpoints", str(settings.endpoints), "--credentials", "credentials.yml"],
        env={**service_environment(settings), **(extra_env or {})},
        health_url=f"{settings.rasa_url}/status?token={token}",
        log_path=settings.var_dir / "logs" / "rasa.log",
    )


def web_service(settings: Settings, token: str, extra_env: Optional[Dict[str, str]] = None) -> Service:
    """``extra_env``: the stores' variables, as the Rasa server gets them (the console reads its tracker store)."""
    env = {**service_environment(settings), **(extra_env or {})}
    # The web app reads its settings itself: hand it this group's (test ports, var dir), and the
    # token the Rasa server was started with, for the console's tracker reads.
    env.update(ASSISTANT_HOST=settings.host, RASA_PORT=str(settings.rasa_port),
               ACTIONS_PORT=str(settings.actions_port), WEB_PORT=str(settings.web_port),
               VAR_DIR=str(settings.var_dir), RASA_AUTH_TOKEN=token)
    return Service(
        name="web app",
        argv=[str(ACTIONS_PYTHON), "-m", "assistant.web"],
        env=env,
        health_url=f"{settings.web_origin}/health",
        log_path=settings.var_dir / "logs" / "web.log",
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

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def holder(self) -> str:
        try:
            return self.path.read_text().strip() or "?"
        except OSError:
            return "?"


class ServiceGroup:
    """The action server, the Rasa server and (with ``web``) the web app: started in order, stopped together.

    The web app is opt-in so that test suites which only need Rasa do not also claim WEB_PORT.
    """

    def __init__(self, settings: Settings, model: Path, token: str, web: bool = False,
                 endpoints: Optional[str] = None, extra_env: Optional[Dict[str, str]] = None) -> None:
        if endpoints:       # every service of the group, the web app too, on the same stores
            settings = dataclasses.replace(settings, endpoints=ROOT / endpoints)
        self.settings = settings
        self.token = token
        self.model = model
        self.services = [action_service(settings, extra_env),
                         rasa_service(settings, token, model, extra_env)]
        if web:
            self.services.append(web_service(settings, token, extra_env))

    @property
    def ports(self) -> List[int]:
        ports = [self.settings.actions_port, self.settings.rasa_port]
        if len(self.services) > 2:
            ports.append(self.settings.web_port)
        return ports

    def busy_ports(self) -> List[int]:
        return [p for p in self.ports if port_in_use(self.settings.host, p)]

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


def scratch_group(rasa_port: str, actions_port: str, prefix: str, web_port: Optional[str] = None,
                  model: Optional[Path] = None) -> "ServiceGroup":
    """The services with the newest model (or ``model``) on ports of their own and a throwaway var dir: for
    the scripts that measure (held-out questions, load, a candidate of `make retrain`), so they never touch
    the running assistant's data."""
    env = dict(os.environ, RASA_PORT=rasa_port, ACTIONS_PORT=actions_port,
               VAR_DIR=tempfile.mkdtemp(prefix=f"{prefix}-var-"))
    if web_port:
        env["WEB_PORT"] = web_port
    settings = load_settings(env)
    group = ServiceGroup(settings, model or latest_model(settings), secrets.token_urlsafe(16),
                         web=web_port is not None)
    busy = group.busy_ports()
    if busy:
        raise ServiceError(f"ports {busy} are busy")
    return group


def _readable_archive(path: Path) -> bool:
    try:
        with tarfile.open(path, "r:gz") as archive:
            archive.getmembers()
        return True
    except (tarfile.TarError, EOFError, OSError):
        return False


def latest_model(settings: Settings) -> Path:
    """The newest complete model: a training stopped half-way leaves a truncated archive."""
    models = sorted(settings.models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for model in reversed(models):
        if _readable_archive(model):
            return model
    raise ServiceError(f"No trained model in {settings.models_dir}: run `make train` first.")


def _already_running(lock: RunLock, settings: Settings) -> str:
    return (f"The assistant is already running (process {lock.holder()}): "
            f"open {settings.web_origin} or stop it with Ctrl-C in its terminal.")


def _busy_ports_message(busy: List[int], settings: Settings) -> str:
    return (f"Port(s) {', '.join(map(str, busy))} on {settings.host} are used by another program. "
            "Stop it, or choose other ports (RASA_PORT, ACTIONS_PORT, WEB_PORT).")


def check(settings: Settings) -> int:
    """Before `make run` trains or indexes anything: is the assistant already up, a port taken?"""
    lock = RunLock(settings)
    if not lock.acquire():
        print(_already_running(lock, settings))
        return 1
    lock.release()
    ports = [settings.actions_port, settings.rasa_port, settings.web_port]
    busy = [p for p in ports if port_in_use(settings.host, p)]
    if busy:
        print(_busy_ports_message(busy, settings))
        return 1
    return 0


def run(settings: Settings) -> int:
    lock = RunLock(settings)
    if not lock.acquire():
        print(_already_running(lock, settings))
        return 1
    group = ServiceGroup(settings, latest_model(settings), rasa_auth_token(settings), web=True)
    busy = group.busy_ports()
    if busy:
        print(_busy_ports_message(busy, settings))
        return 1
    agents_file = load_web_config().agent_users
    first_agent = ensure_first_agent(agents_file)
    if first_agent:
        # Printed now, before anything can fail: only the hash is kept.
        print(f"Agent console login, shown this once: user {first_agent[0]!r}, password {first_agent[1]!r} "
              f"(only its hash is stored, in {agents_file}; add agents with "
              "`.venv/actions/bin/python -m assistant.web.agents add NAME`).", flush=True)

    stopping = {"signal": None}

    def on_signal(signum, _frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print("Starting the action server, the Rasa server and the web app (about 30 s)...", flush=True)
    try:
        group.start()
    except ServiceError as error:
        print(f"Start-up failed: {error}")
        return 1
    print(json.dumps({
        "patient_widget": f"{settings.web_origin}/",
        "agent_console": f"{settings.web_origin}/agent",
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
                "--endpoints", str(settings.endpoints)]
        return subprocess.call(argv, cwd=ROOT, env=service_environment(settings))
    except ServiceError as error:
        print(f"Start-up failed: {error}")
        return 1
    finally:
        actions.stop()


def rasa_train_argv(out: Path) -> List[str]:
    """`rasa train` as `make train` and `make retrain` run it (in ROOT, with service_environment)."""
    return [str(RASA_BIN), "train", "--domain", "domain", "--out", str(out), "--quiet"]


def train(settings: Settings) -> int:
    """`make train`: `rasa train` only when the newest model was not trained on the data and code now
    here (assistant/model_inputs.py); the new model is recorded with what it was trained on."""
    digest = inputs_digest()
    try:
        newest: Optional[Path] = latest_model(settings)
    except ServiceError:
        newest = None
    if newest is not None and trained_on(settings.models_dir, newest) == digest:
        print(f"{newest.name} was trained on the data and code now here: nothing to train.")
        return 0
    code = subprocess.call(rasa_train_argv(settings.models_dir), cwd=ROOT, env=service_environment(settings))
    if code == 0:
        record(settings.models_dir, latest_model(settings).name, digest)
    return code


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.services", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run", "check", "shell", "train", "token", "model", "rasa-env"],
                        help="run: start all services; check: say whether they could start; "
                             "train: train a model unless the newest was trained on the data now here; "
                             "shell: chat in the terminal; token: print the Rasa API token; "
                             "model: print the model the Rasa server would load; "
                             "rasa-env: the variables `rasa` commands need, from the settings (for make)")
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.command == "token":
        print(rasa_auth_token(settings))
        return 0
    if args.command == "model":
        print(latest_model(settings))
        return 0
    if args.command == "rasa-env":
        env = service_environment(settings)
        print(" ".join(f"{name}={env[name]}" for name in RASA_COMMAND_VARIABLES))
        return 0
    commands = {"run": run, "check": check, "shell": shell, "train": train}
    return commands[args.command](settings)


if __name__ == "__main__":
    sys.exit(main())
