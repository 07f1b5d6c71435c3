"""`make retrain` and `make rollback`: a candidate model and index, evaluated, promoted only if no
figure got worse than in service beyond its tolerance (config/retrain.yml); every run recorded in
reports/history.jsonl and reported in reports/<run>/index.html (docs/operators.md).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional, Tuple

from filelock import FileLock, Timeout

from assistant.evaluation.heldout import HELDOUT_SCORING
from assistant.knowledge.config import load_config as load_knowledge_config
from assistant.knowledge.index import POINTER, current_name
from assistant.model_inputs import inputs_digest
from assistant.model_inputs import record as record_model_inputs
from assistant.operations.deploy import DeployError, Deployment
from assistant.operations.evaluation import RASA_PYTHON, StepFailed, crossval, heldout, retrieval, run_step
from assistant.operations.promotion import decide, rollback_target, stored_figures
from assistant.services import ACTIONS_PYTHON, RASA_BIN, ServiceError, rasa_train_argv, service_environment
from assistant.settings import ROOT, Setting, load_settings, path_setting, rasa_auth_token, read_settings, read_yaml

CONFIG_FILE = ROOT / "config" / "retrain.yml"
DOMAIN = "domain"          # the domain's folder, as `make validate` names it
# What each figure depends on (see promotion.stored_figures): a figure recorded by an earlier run for
# the same parts is used again instead of evaluating what is in service a second time.
HELDOUT_PARTS = ("model", "index", "heldout_set")
RETRIEVAL_PARTS = ("index", "retrieval_set")
DEPENDS_ON = {"crossval_f1": ("model", "folds"), "heldout_dev": HELDOUT_PARTS, "heldout_test": HELDOUT_PARTS,
              "recall@1": RETRIEVAL_PARTS, "recall@3": RETRIEVAL_PARTS,
              "bm25_recall@1": RETRIEVAL_PARTS, "bm25_recall@3": RETRIEVAL_PARTS}


@dataclass(frozen=True)
class RetrainConfig:
    tolerances: Dict[str, float]
    keep: int
    folds: int
    ports: Tuple[int, int]
    candidates_dir: Path
    candidate_index_dir: Path
    reports_dir: Path

    @property
    def history_file(self) -> Path:
        return self.reports_dir / "history.jsonl"


_RETRAIN = {
    "keep": Setting("keep", "RETRAIN_KEEP", int),
    "folds": Setting("crossval_folds", "RETRAIN_FOLDS", int),
    "rasa_port": Setting("heldout_ports.rasa", "RETRAIN_RASA_PORT", int),
    "actions_port": Setting("heldout_ports.actions", "RETRAIN_ACTIONS_PORT", int),
    "candidates_dir": Setting("paths.candidates", None, path_setting),
    "candidate_index_dir": Setting("paths.candidate_index", None, path_setting),
    "reports_dir": Setting("paths.reports", None, path_setting),
}


KEPT_EXIT_CODE = 2


def load_config(environ: Optional[Mapping[str, str]] = None, config_file: Path = CONFIG_FILE) -> RetrainConfig:
    raw = read_yaml(config_file)
    values = read_settings(_RETRAIN, raw, environ)
    return RetrainConfig(
        tolerances={str(k): float(v) for k, v in (raw.get("tolerances") or {}).items()},
        ports=(values.pop("rasa_port"), values.pop("actions_port")),
        **values,
    )


def default_deployment() -> Deployment:
    settings = load_settings()
    return Deployment(settings, rasa_auth_token(settings), load_knowledge_config().index_dir)


def read_history(path: Path) -> List[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def record(config: RetrainConfig, entry: dict) -> None:
    config.reports_dir.mkdir(parents=True, exist_ok=True)
    with open(config.history_file, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _fingerprint(*directories: Path) -> str:
    """Of the evaluation questions: figures measured on other questions are not compared."""
    digest = hashlib.sha256()
    for directory in directories:
        for path in sorted(directory.rglob("*.yml")):
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def nlu_fingerprint(model: Path) -> Optional[dict]:
    """Rasa's fingerprints of the NLU data and of the config a model was trained on (what its own
    `rasa train` compares): two models with the same have the same cross-validation."""
    try:
        with tarfile.open(model, "r:gz") as archive:
            member = next(m for m in archive.getmembers() if m.name.endswith("fingerprints-for-validation.json"))
            found = json.load(archive.extractfile(member))
    except (StopIteration, tarfile.TarError, OSError, ValueError):
        return None
    return {key: found.get(key) for key in ("fingerprint-config", "fingerprint-nlu")}


class Busy(RuntimeError):
    """Another `make retrain` or `make rollback` is running."""


@contextlib.contextmanager
def exclusive(config: RetrainConfig) -> Iterator[None]:
    """One retrain or rollback at a time: two would share the candidate folders and evaluation ports,
    and each would compare against what the other is about to replace."""
    config.reports_dir.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(config.reports_dir / ".operations.lock", timeout=0):
            yield
    except Timeout:
        raise Busy("another `make retrain` or `make rollback` is running; try again when it has ended") from None


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# ------------------------------------------------------------------------------ the candidate

def train_candidate(config: RetrainConfig, deployment: Deployment, logs: Path, env: Mapping[str, str]) -> Path:
    """A new model in the candidates folder, which `make run` never serves (Rasa's training cache makes
    the parts that did not change quick to train again)."""
    digest = inputs_digest()          # before training: what the candidate is made of
    run_step("train", rasa_train_argv(config.candidates_dir), logs, env)
    model = deployment.newest_model(config.candidates_dir)
    # Promoted, it is what `make run` serves: recorded, so that `make train` does not train it again.
    record_model_inputs(deployment.settings.models_dir, model.name, digest)
    return model


def build_candidate_index(config: RetrainConfig, deployment: Deployment, logs: Path,
                          env: Mapping[str, str]) -> Optional[Path]:
    """The index built aside, from the version in service (hard links: versions are never modified),
    so that only the changed documents are embedded and the version in service stays untouched."""
    staging = config.candidate_index_dir
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    serving = current_name(deployment.index_dir)
    if serving:
        shutil.copytree(deployment.index_dir / serving, staging / serving, copy_function=os.link)
        os.symlink(serving, staging / POINTER)
    run_step("index", [ACTIONS_PYTHON, "-m", "assistant.knowledge", "build", "--quiet"], logs,
             dict(env, KNOWLEDGE_INDEX_DIR=str(staging)))
    name = current_name(staging)
    return staging / name if name else None


def evaluate_candidate(config: RetrainConfig, model: Path, out: Path, logs: Path,
                       env: Mapping[str, str]) -> Tuple[dict, dict]:
    figures, confusion = crossval(config.folds, out, logs, env)
    figures.update(heldout("heldout-candidate", model, config.candidate_index_dir, config.ports, out, logs, env))
    figures.update(retrieval("retrieval-candidate", config.candidate_index_dir, out, logs, env))
    return figures, confusion


def figures_in_service(config: RetrainConfig, deployment: Deployment, history: List[dict], service: dict,
                       candidate: dict, candidate_figures: dict, out: Path, logs: Path,
                       env: Mapping[str, str]) -> Tuple[Optional[dict], Dict[str, str]]:
    """The figures of what is in service, and where each came from: an earlier run's record, or
    measured now. Cross-validation measures training data, not a model file: without a record it is
    known only when the candidate was trained on the same NLU data and config."""
    if not service["model"]:
        return None, {}
    model = deployment.settings.models_dir / service["model"]
    figures = stored_figures(history, service, DEPENDS_ON)
    source = {metric: "recorded by an earlier run" for metric in figures}
    missing = set(DEPENDS_ON) - set(figures)
    if missing & {"heldout_dev", "heldout_test"}:
        figures.update(heldout("heldout-in-service", model, deployment.index_dir, config.ports, out, logs, env))
        source.update(heldout_dev="measured now", heldout_test="measured now")
    retrieval_metrics = {metric for metric, parts in DEPENDS_ON.items() if parts is RETRIEVAL_PARTS}
    if missing & retrieval_metrics and candidate["index"] == service["index"]:   # the same version, the same figures
        figures.update({metric: candidate_figures[metric] for metric in retrieval_metrics})
        source.update(dict.fromkeys(retrieval_metrics, "the candidate's: the same index"))
    elif missing & retrieval_metrics:
        figures.update(retrieval("retrieval-in-service", deployment.index_dir, out, logs, env))
        source.update(dict.fromkeys(retrieval_metrics, "measured now"))
    if "crossval_f1" in missing and nlu_fingerprint(model) is not None and \
            nlu_fingerprint(model) == nlu_fingerprint(config.candidates_dir / candidate["model"]):
        figures["crossval_f1"] = candidate_figures["crossval_f1"]
        source["crossval_f1"] = "the candidate's: the same NLU data and config"
    elif "crossval_f1" in missing:
        source["crossval_f1"] = "unknown: no record of its training data, which changed since"
    return figures, source


# ------------------------------------------------------------------------------ commands

def retrain(config: RetrainConfig, deployment: Deployment, remeasure: bool = False) -> int:
    """``remeasure``: measure what is in service again instead of using the figures recorded for it
    (after a change of code or of knowledge.yml, which the records do not track)."""
    started = time.monotonic()
    run_id = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    run_dir = config.reports_dir / run_id
    logs = run_dir / "logs"
    env = service_environment(deployment.settings)
    history = [] if remeasure else read_history(config.history_file)
    service = deployment.in_service()
    measured_with = {"folds": config.folds,
                     "heldout_set": _fingerprint(ROOT / "tests" / "nlu" / "heldout"),
                     # Figures scored another way are not comparable: a new version measures the service again.
                     "heldout_scoring": HELDOUT_SCORING,
                     "retrieval_set": _fingerprint(ROOT / "tests" / "knowledge" / "questions")}
    print(f"in service: model {service['model']}, index {service['index']}; run {run_id}, logs in {logs}", flush=True)
    try:
        run_step("validate-data", [RASA_BIN, "data", "validate", "--domain", DOMAIN], logs, env)
        run_step("validate-knowledge", [ACTIONS_PYTHON, "-m", "assistant.knowledge", "validate"], logs, env)
        model = train_candidate(config, deployment, logs, env)
        index = build_candidate_index(config, deployment, logs, env)
        candidate = {"model": model.name, "index": index.name if index else None}
        figures, confusion = evaluate_candidate(config, model, run_dir / "candidate", logs, env)
        baseline, source = figures_in_service(config, deployment, history, {**service, **measured_with},
                                              candidate, figures, run_dir / "in-service", logs, env)
    except (StepFailed, ServiceError) as error:
        print(f"\n{error}\n\nNothing changed in service (model {service['model']}, index {service['index']}).")
        return 1
    decision = decide(figures, baseline, config.tolerances)
    actions: List[str] = []
    if decision.promote and deployment.in_service() != service:
        # Someone trained or indexed outside `make retrain` meanwhile: the comparison is no longer valid.
        decision.refuse(f"what is in service changed during the run (now {deployment.in_service()}); "
                        "run `make retrain` again")
    if decision.promote:
        try:
            actions = deployment.switch(model, index)
        except DeployError as error:
            decision.refuse(f"not promoted: {error}")
        else:
            try:
                actions += [f"deleted {name}" for name in deployment.prune(config.keep, config.candidates_dir)]
            except OSError as error:      # promoted all the same: the record must say so
                actions.append(f"older models and index versions not deleted: {error}")
    entry = {"event": "retrain", "run": run_id, "at": _now(), "seconds": round(time.monotonic() - started),
             "candidate": candidate, "before": service, "in_service": deployment.in_service(),
             "promoted": decision.promote, "reasons": decision.reasons(), "tolerances": config.tolerances,
             "measured_with": measured_with, "figures": {"candidate": figures, "in_service": baseline},
             "in_service_figures_from": source, "actions": actions}
    record(config, entry)
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "run.json").write_text(json.dumps({**entry, "decision": decision.to_json(), "confusion": confusion},
                                                 ensure_ascii=False, indent=1), encoding="utf-8")
    try:
        report = render_report(config, run_dir)
    except (subprocess.CalledProcessError, OSError) as error:
        # The decision is made and recorded; a report that cannot be drawn must not hide it.
        report = f"not written ({error}); the run is in {run_dir / 'run.json'}"
    verdict = "PROMOTED" if decision.promote else "KEPT what is in service"
    print(f"\n{verdict}: candidate model {candidate['model']}, index {candidate['index']}")
    for line in decision.reasons() + actions:
        print(f"  - {line}")
    print(f"report: {report}\n{time.monotonic() - started:.0f} s in all")
    # A kept candidate is not an error of the command, but scripts and CI must be able to tell: exit 2.
    return 0 if decision.promote else KEPT_EXIT_CODE


def rollback(config: RetrainConfig, deployment: Deployment) -> int:
    """Back to what was in service before the current model's promotion, the same way it was promoted."""
    current = deployment.in_service()
    target = rollback_target(read_history(config.history_file), current["model"])
    if target is None:
        print(f"Nothing to roll back to: model {current['model']} was not put in service by `make retrain` "
              f"({config.history_file}).")
        return 1
    model = deployment.settings.models_dir / str(target["model"])
    index = deployment.index_dir / str(target["index"]) if target.get("index") else None
    missing = [str(p) for p in (model, index) if p is not None and not p.exists()]
    if missing:
        print(f"Cannot roll back to model {target['model']}, index {target['index']}: "
              f"{', '.join(missing)} no longer exist (only the last {config.keep} are kept).")
        return 1
    try:
        actions = deployment.switch(model, index)
    except DeployError as error:
        print(f"Rollback failed: {error}")
        return 1
    record(config, {"event": "rollback", "run": dt.datetime.now().strftime("%Y%m%d-%H%M%S"), "at": _now(),
                    "before": current, "in_service": deployment.in_service(), "actions": actions})
    print("\n".join(["Rolled back."] + [f"  - {a}" for a in actions]))
    return 0


def render_report(config: RetrainConfig, run_dir: Path) -> Path:
    """The HTML report of a run, drawn in the Rasa env, which has matplotlib; reports/latest points to it."""
    subprocess.run([str(RASA_PYTHON), "-m", "assistant.operations.report", str(run_dir), str(config.history_file)],
                   cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg"), check=True,
                   stdout=subprocess.DEVNULL)
    latest = config.reports_dir / "latest"
    temporary = config.reports_dir / f".latest.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(run_dir.name, temporary)
    os.replace(temporary, latest)
    return run_dir / "index.html"
