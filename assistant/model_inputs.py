"""Whether the newest model was trained on the data and code now in the repository.

Rasa 3.6's `rasa train` writes a new model file on every call, even when nothing changed (its training
cache makes that quicker, not free). So each `make run` or `make test` used to put a new, identical
model in service under a new name, which `make rollback` no longer recognised as the promoted one, and
models/ grew without end. `make train` now trains only when the digest of what a model is made of
differs from the one recorded for the newest model (models/trained-on.json, name -> digest).

The digest covers what Rasa reads to train (config, domain, NLU data, stories, rules) and what it does
not fingerprint but the model depends on: the code of our NLU components and the lexicons they read.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Dict, Iterable, Optional

from filelock import FileLock

from assistant.settings import ROOT

INPUTS = ("config.yml", "domain", "data/nlu", "data/stories.yml", "data/rules.yml", "data/language",
          "data/safety", "data/scope", "assistant/nlu", "assistant/language", "assistant/safety",
          "assistant/scope", "requirements/rasa.txt", "requirements/rasa-nodeps.txt")
# Editors' backup and swap files beside the inputs must not cause a training.
SUFFIXES = {".yml", ".yaml", ".py", ".txt", ".json", ".md"}
RECORD_FILE = "trained-on.json"


def _files(root: Path, names: Iterable[str]) -> Iterable[Path]:
    for name in names:
        path = root / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts)


def inputs_digest(root: Path = ROOT, names: Iterable[str] = INPUTS) -> str:
    digest = hashlib.sha256()
    for path in _files(root, names):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def recorded(models_dir: Path) -> Dict[str, str]:
    try:
        return json.loads((models_dir / RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def record(models_dir: Path, model_name: str, digest: str) -> None:
    """Written whole and renamed, so that a reader never sees half a file; one writer at a time (a
    `make train` beside a `make retrain`)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(models_dir / f".{RECORD_FILE}.lock"):
        entries = recorded(models_dir)
        present = {p.name for p in models_dir.rglob("*.tar.gz")}
        entries = {name: value for name, value in entries.items() if name in present}   # forget deleted models
        entries[model_name] = digest
        temporary = models_dir / f".{RECORD_FILE}.{os.getpid()}"
        temporary.write_text(json.dumps(entries, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, models_dir / RECORD_FILE)


def trained_on(models_dir: Path, model: Optional[Path]) -> Optional[str]:
    return recorded(models_dir).get(model.name) if model is not None else None
