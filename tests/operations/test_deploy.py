"""Switching what is in service and keeping the last N, on files (assistant/operations/deploy.py).
The real servers: test_live_promotion.py."""
import io
import json
import os
import socket
import tarfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.knowledge.index import POINTER, current_name
from assistant.operations import deploy as deploy_module
from assistant.operations.deploy import DeployError, Deployment
from assistant.settings import load_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def model(directory: Path, name: str, age_s: float) -> Path:
    """A small readable archive standing for a model, ``age_s`` seconds old."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("metadata.json")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"{}"))
    os.utime(path, (path.stat().st_atime - age_s, path.stat().st_mtime - age_s))
    return path


def version(index_dir: Path, name: str) -> Path:
    (index_dir / name).mkdir(parents=True)
    (index_dir / name / "manifest.json").write_text("{}")
    return index_dir / name


@pytest.fixture
def deployment(tmp_path):
    settings = load_settings(dict(os.environ, MODELS_DIR=str(tmp_path / "models"), RASA_PORT=str(free_port())))
    index_dir = tmp_path / "index"
    version(index_dir, "v1")
    os.symlink("v1", index_dir / POINTER)
    model(settings.models_dir, "old", 100)
    return Deployment(settings, "token", index_dir)


def test_without_a_server_the_candidate_becomes_what_make_run_serves(deployment, tmp_path):
    assert deployment.in_service() == {"model": "old.tar.gz", "index": "v1"}
    candidate = model(tmp_path / "candidates", "new", 50)                # trained before a newer file
    model(deployment.settings.models_dir, "other", 10)
    actions = deployment.switch(candidate, version(tmp_path / "candidate-index", "v2"))
    assert deployment.in_service() == {"model": "new.tar.gz", "index": "v2"}
    assert not candidate.exists() and (deployment.index_dir / "v2" / "manifest.json").exists()
    assert actions == ["model in service: new.tar.gz", "index in service: v2"]
    # Back to the old pair, as a rollback does: already in place, only made current.
    deployment.switch(deployment.settings.models_dir / "old.tar.gz", deployment.index_dir / "v1")
    assert deployment.in_service() == {"model": "old.tar.gz", "index": "v1"}


class RefusingRasa(BaseHTTPRequestHandler):
    """A Rasa server that runs old.tar.gz and refuses any other model."""

    def do_GET(self):
        self._answer(200, {"model_file": "old.tar.gz"})

    def do_PUT(self):
        self._answer(400, {"message": "Agent could not be loaded"})

    def _answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_a_model_the_running_server_refuses_changes_nothing(deployment, tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", deployment.settings.rasa_port), RefusingRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        candidate = model(tmp_path / "candidates", "new", 0)
        with pytest.raises(DeployError, match="answered PUT /model with 400"):
            deployment.switch(candidate, version(tmp_path / "candidate-index", "v2"))
    finally:
        server.shutdown()
        server.server_close()
    assert candidate.exists()
    assert deployment.in_service() == {"model": "old.tar.gz", "index": "v1"}


class LoadingRasa(RefusingRasa):
    """A Rasa server that runs what it was last given by ``PUT /model``, with delays the test sets."""
    running = "old.tar.gz"
    status_delay = 0.0
    load_seconds: dict = {}             # model name -> how long its load takes

    def do_GET(self):
        time.sleep(type(self).status_delay)
        self._answer(200, {"model_file": type(self).running})

    def do_PUT(self):
        name = Path(json.loads(self.rfile.read(int(self.headers["Content-Length"])))["model_file"]).name
        time.sleep(type(self).load_seconds.get(name, 0.0))
        type(self).running = name
        self._answer(204, {})


@pytest.fixture
def rasa(deployment):
    handler = type("Rasa", (LoadingRasa,), {})
    server = ThreadingHTTPServer(("127.0.0.1", deployment.settings.rasa_port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler
    server.shutdown()
    server.server_close()


def test_the_running_server_loads_the_candidate(deployment, rasa, tmp_path):
    actions = deployment.switch(model(tmp_path / "candidates", "new", 0), version(tmp_path / "candidate-index", "v2"))
    assert rasa.running == "new.tar.gz"
    assert deployment.in_service() == {"model": "new.tar.gz", "index": "v2"}
    assert any("loaded it without a restart" in action for action in actions)


def test_an_index_that_cannot_be_swapped_puts_the_previous_model_back(deployment, rasa, tmp_path, monkeypatch):
    def full_disk(index_dir, name):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deploy_module, "_swap_pointer", full_disk)
    candidate = model(tmp_path / "candidates", "new", 0)
    with pytest.raises(DeployError, match="could not be put in service .* runs old.tar.gz again: nothing changed"):
        deployment.switch(candidate, version(tmp_path / "candidate-index", "v2"))
    # The server had loaded the candidate; it runs the previous model again, and the files say so too.
    assert rasa.running == "old.tar.gz"
    assert candidate.exists()
    assert deployment.in_service() == {"model": "old.tar.gz", "index": "v1"}


def test_a_server_too_slow_to_answer_is_not_taken_for_no_server(deployment, rasa, tmp_path, monkeypatch):
    monkeypatch.setattr(deploy_module, "STATUS_TIMEOUT_S", 0.3)
    rasa.status_delay = 3.0
    candidate = model(tmp_path / "candidates", "new", 0)
    with pytest.raises(DeployError, match="no answer from the Rasa server"):
        deployment.switch(candidate, version(tmp_path / "candidate-index", "v2"))
    assert candidate.exists()
    assert deployment.in_service() == {"model": "old.tar.gz", "index": "v1"}


def test_a_load_slower_than_the_timeout_is_waited_for_not_undone(deployment, rasa, tmp_path, monkeypatch):
    monkeypatch.setattr(deploy_module, "LOAD_TIMEOUT_S", 1.0)
    rasa.load_seconds = {"new.tar.gz": 1.3}      # goes on after the client gave up, ends within the wait
    deployment.switch(model(tmp_path / "candidates", "new", 0), version(tmp_path / "candidate-index", "v2"))
    assert rasa.running == "new.tar.gz"
    assert deployment.in_service() == {"model": "new.tar.gz", "index": "v2"}


def test_a_load_that_does_not_end_puts_the_previous_model_back_and_says_it_may_still_end(
        deployment, rasa, tmp_path, monkeypatch):
    monkeypatch.setattr(deploy_module, "LOAD_TIMEOUT_S", 0.3)
    rasa.load_seconds = {"new.tar.gz": 5.0}
    candidate = model(tmp_path / "candidates", "new", 0)
    with pytest.raises(DeployError, match="did not load new.tar.gz .* runs old.tar.gz again, but the load of "
                                          "new.tar.gz may still end: check `GET /status`"):
        deployment.switch(candidate, version(tmp_path / "candidate-index", "v2"))
    assert rasa.running == "old.tar.gz"
    assert candidate.exists()
    assert deployment.in_service() == {"model": "old.tar.gz", "index": "v1"}


def test_a_model_name_already_in_service_elsewhere_is_refused(deployment, tmp_path):
    clash = model(tmp_path / "candidates", "old", 0)       # another file with the name of the one in service
    with pytest.raises(DeployError, match="exists already and is another file; nothing changed"):
        deployment.switch(clash, version(tmp_path / "candidate-index", "v2"))
    assert clash.exists() and deployment.in_service() == {"model": "old.tar.gz", "index": "v1"}


def test_the_server_gets_back_the_model_it_ran_not_the_newest_file(deployment, rasa, tmp_path, monkeypatch):
    model(deployment.settings.models_dir, "trained-meanwhile", 0)   # newer than what the server runs

    def full_disk(index_dir, name):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deploy_module, "_swap_pointer", full_disk)
    with pytest.raises(DeployError, match="runs old.tar.gz again"):
        deployment.switch(model(tmp_path / "candidates", "new", 0), version(tmp_path / "candidate-index", "v2"))
    assert rasa.running == "old.tar.gz"


def test_prune_keeps_the_newest_n_and_never_what_is_in_service(deployment, tmp_path):
    models = deployment.settings.models_dir
    for age in range(7):
        model(models, f"m{age}", 1000 + age)                            # m6 the oldest
    candidates = tmp_path / "candidates"
    for age in range(4):
        model(candidates, f"c{age}", age)
    for name in ("v2", "v3", "v4", "v5"):
        version(deployment.index_dir, name)                             # v1 in service: rolled back
    removed = deployment.prune(3, candidates)
    assert sorted(p.name for p in models.iterdir()) == ["m0.tar.gz", "m1.tar.gz", "old.tar.gz"]
    assert sorted(p.name for p in candidates.iterdir()) == ["c0.tar.gz", "c1.tar.gz", "c2.tar.gz"]
    # The newest three, and the one in service beside them.
    assert sorted(p.name for p in deployment.index_dir.iterdir() if p.name != POINTER) == ["v1", "v3", "v4", "v5"]
    assert current_name(deployment.index_dir) == "v1"
    assert len(removed) == 5 + 1 + 1
