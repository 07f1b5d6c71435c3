"""Switching what is in service and keeping the last N, on files (assistant/operations/deploy.py).
The real servers: test_live_promotion.py."""
import io
import json
import os
import socket
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.knowledge.index import POINTER, current_name
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
