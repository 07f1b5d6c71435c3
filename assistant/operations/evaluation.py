"""The steps of `make retrain` that run the project's own tools, each in its own process and env.

Every step writes its output to ``<run>/logs/<step>.log`` and prints one line; a failed step raises
:class:`StepFailed` with the end of its log. The figures are read from the files the tools write,
as ``{metric: {language: value}}`` (see assistant/operations/promotion.py).
"""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

from assistant.services import ACTIONS_PYTHON, RASA_BIN
from assistant.settings import ROOT

RASA_PYTHON = RASA_BIN.parent / "python"
Figures = Dict[str, Dict[str, Optional[float]]]


class StepFailed(RuntimeError):
    """A step of the run failed; the message names it and quotes the end of its log."""


def run_step(name: str, argv: List[str], logs: Path, env: Mapping[str, str], stdout: Optional[Path] = None) -> None:
    """Runs one command from the repository root; its output goes to ``logs/<name>.log`` (stdout to
    ``stdout`` instead when given, for the tools that print JSON)."""
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    print(f"{name} ...", flush=True)
    started = time.monotonic()
    with open(log, "w", encoding="utf-8") as err, open(stdout or os.devnull, "w", encoding="utf-8") as out:
        code = subprocess.call([str(a) for a in argv], cwd=ROOT, env=dict(env), stdout=out if stdout else err,
                               stderr=err, stdin=subprocess.DEVNULL)
    print(f"  {name}: {'done' if code == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s", flush=True)
    if code != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:])
        raise StepFailed(f"{name} failed (exit code {code}); end of {log}:\n{tail}")


def crossval(folds: int, out: Path, logs: Path, env: Mapping[str, str]) -> Tuple[Figures, dict]:
    """Macro F1 per language of scripts/nlu_crossval.py on data/nlu, and its intent confusion matrix."""
    run_step("crossval", [RASA_PYTHON, "scripts/nlu_crossval.py", "--folds", folds, "--out", out], logs, env)
    table = json.loads((out / "crossval.json").read_text())
    confusion = json.loads((out / "crossval_confusion.json").read_text())
    return {"crossval_f1": {language: row["macro_f1"] for language, row in table.items()}}, confusion


def heldout(name: str, model: Path, index_dir: Path, ports: Tuple[int, int], out: Path, logs: Path,
            env: Mapping[str, str]) -> Figures:
    """Route accuracy per language and split of scripts/heldout.py, on its own servers serving ``model``
    with the index in ``index_dir``."""
    env = dict(env, HELDOUT_RASA_PORT=str(ports[0]), HELDOUT_ACTIONS_PORT=str(ports[1]),
               KNOWLEDGE_INDEX_DIR=str(index_dir))
    run_step(name, [ACTIONS_PYTHON, "scripts/heldout.py", "--model", model, "--out", out], logs, env)
    table = json.loads((out / "heldout.json").read_text())
    return {f"heldout_{split}": {language: row[split]["route_accuracy"] if row[split]["n"] else None
                                 for language, row in table.items()}
            for split in ("dev", "test")}


def retrieval(name: str, index_dir: Path, out: Path, logs: Path, env: Mapping[str, str]) -> Figures:
    """Recall@1 and @3 per language, dense and BM25, of `python -m assistant.knowledge evaluate`."""
    out.mkdir(parents=True, exist_ok=True)
    report_file = out / "retrieval.json"
    run_step(name, [ACTIONS_PYTHON, "-m", "assistant.knowledge", "evaluate", "--json"], logs,
             dict(env, KNOWLEDGE_INDEX_DIR=str(index_dir)), stdout=report_file)
    report = json.loads(report_file.read_text(encoding="utf-8"))
    return {f"{prefix}recall@{k}": {language: row[f"recall@{k}"] for language, row in report[method].items()}
            for prefix, method in (("", "dense"), ("bm25_", "bm25")) for k in (1, 3)}
