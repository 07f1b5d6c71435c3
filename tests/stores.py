"""Real PostgreSQL and Redis servers for tests, on loopback: a fresh cluster and a fresh Redis per test
module, in a temporary directory, both stopped and removed whatever happens.

The database servers come from Debian (`make stores`, a step of `make test`). PostgreSQL refuses to run
as root: as root, it runs as the `postgres` user the Debian package creates. Ports: TEST_POSTGRES_PORT
and TEST_REDIS_PORT, else free ones. Used by tests/production/ (two Rasa servers on these stores) and
tests/privacy/ (retention, erasure and the console on PostgreSQL); import the fixtures into a conftest.
"""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import pytest

from assistant.services import track, untrack
from tests.web.serving import free_port

START_TIMEOUT_S = 60


def _port(variable: str) -> int:
    return int(os.environ.get(variable) or free_port())


def postgres_bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("postgres")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    pytest.fail("PostgreSQL not installed: run `make stores` (a step of `make test`)")


class StoreServer:
    """One database server process in its own session; stop() ends it and waits, whatever state it is in."""

    def __init__(self, name: str, argv: List[str], log_path: Path, ready: Callable[[], bool],
                 stop_signal: int = signal.SIGTERM, user: Optional[int] = None, cwd: Optional[Path] = None,
                 env: Optional[Dict[str, str]] = None) -> None:
        self.name, self.argv, self.log_path, self.ready, self.stop_signal = name, argv, log_path, ready, stop_signal
        self.user, self.cwd, self.env = user, cwd, env
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, cwd=self.cwd, env=self.env, **_as_user(self.user))
        track(self, self.process.pid, self.name)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited (code {self.process.returncode}): {_tail(self.log_path)}")
            if self.ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {START_TIMEOUT_S} s: {_tail(self.log_path)}")

    def stop(self) -> None:
        untrack(self, self.process.pid if self.process else None)
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, self.stop_signal)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _as_user(uid: Optional[int]) -> dict:
    if uid is None:
        return {}
    entry = pwd.getpwuid(uid)
    return {"user": uid, "group": entry.pw_gid, "extra_groups": []}


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _run(argv: List[str], uid: Optional[int], cwd: Path, env: Dict[str, str]) -> None:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, **_as_user(uid))
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({result.returncode}): {result.stdout}\n{result.stderr}")


@pytest.fixture(scope="module")
def store_dir():
    # Not pytest's tmp_path: its parents are private to the user running pytest, and as root the
    # database runs as `postgres`, which must reach its data directory.
    path = Path(tempfile.mkdtemp(prefix="rasa-stores-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres(store_dir):
    """A fresh PostgreSQL cluster with password login (scram-sha-256) and a `rasa` database."""
    bin_dir = postgres_bin_dir()
    root = store_dir / "postgres"
    root.mkdir()
    uid = None
    if os.geteuid() == 0:
        try:
            uid = pwd.getpwnam("postgres").pw_uid
        except KeyError:
            pytest.fail("PostgreSQL refuses to run as root and there is no `postgres` user: run `make stores`")
    password = secrets.token_urlsafe(12)
    (root / "pwfile").write_text(password + "\n")
    if uid is not None:
        store_dir.chmod(0o755)
        os.chown(root, uid, -1)
        os.chown(root / "pwfile", uid, -1)
    port = _port("TEST_POSTGRES_PORT")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "LANG": "C", "LC_ALL": "C", "PGPASSWORD": password}
    _run([str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", "rasa", f"--pwfile={root / 'pwfile'}",
          "--auth=scram-sha-256", "-E", "UTF8", "--no-locale"], uid, root, env)
    client = ["-h", "127.0.0.1", "-p", str(port), "-U", "rasa"]

    def ready() -> bool:
        return subprocess.run([str(bin_dir / "pg_isready"), *client, "-d", "postgres", "-q"],
                              env=env, timeout=10).returncode == 0

    server = StoreServer(
        "PostgreSQL",
        [str(bin_dir / "postgres"), "-D", str(root / "data"), "-p", str(port), "-k", str(root),
         "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=50"],
        store_dir / "postgres.log", ready, stop_signal=signal.SIGINT, user=uid, cwd=root, env=env)
    try:
        server.start()
        _run([str(bin_dir / "createdb"), *client, "rasa"], None, root, env)
        yield {"POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": str(port), "POSTGRES_DB": "rasa",
               "POSTGRES_USER": "rasa", "POSTGRES_PASSWORD": password}
    finally:
        server.stop()


def _redis_ping(port: int, password: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(f"AUTH {password}\r\nPING\r\n".encode())
            answer = b""
            while b"PONG" not in answer and len(answer) < 200:
                chunk = connection.recv(100)
                if not chunk:
                    break
                answer += chunk
            return b"+OK" in answer and b"+PONG" in answer
    except OSError:
        return False


@pytest.fixture(scope="module")
def redis(store_dir):
    """A fresh Redis with a password, nothing written to disk."""
    redis_bin = shutil.which("redis-server")
    if not redis_bin:
        pytest.fail("redis-server not installed: run `make stores` (a step of `make test`)")
    root = store_dir / "redis"
    root.mkdir()
    port, password = _port("TEST_REDIS_PORT"), secrets.token_urlsafe(12)
    server = StoreServer(
        "Redis",
        [redis_bin, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(root), "--requirepass", password, "--daemonize", "no"],
        store_dir / "redis.log", lambda: _redis_ping(port, password), cwd=root)
    try:
        server.start()
        yield {"REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(port), "REDIS_DB": "0", "REDIS_PASSWORD": password}
    finally:
        server.stop()
