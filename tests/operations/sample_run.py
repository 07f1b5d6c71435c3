"""A `make retrain` run with fixed figures, written as the CLI writes it: for the report's tests."""
import dataclasses
import json
from pathlib import Path

from assistant.operations.retrain import RetrainConfig, load_config

LANGUAGES = ("fr", "de", "nl", "lb", "en", "all")


def _per_language(base: float, step: float = 0.01) -> dict:
    return {language: round(base + i * step, 3) for i, language in enumerate(LANGUAGES)}


def sample_figures(shift: float = 0.0) -> dict:
    return {"crossval_f1": _per_language(0.84 + shift), "heldout_dev": _per_language(0.86 + shift),
            "heldout_test": _per_language(0.80 + shift), "recall@1": _per_language(0.80 + shift),
            "recall@3": _per_language(0.93 + shift, 0.005), "bm25_recall@1": _per_language(0.5),
            "bm25_recall@3": _per_language(0.75)}


def write_sample_run(reports_dir: Path) -> tuple:
    """Two runs in the history, the second kept out because lb's F1 fell; returns (config, run dir)."""
    config: RetrainConfig = dataclasses.replace(load_config(), reports_dir=reports_dir)
    service = {"model": "20260101-000000-old.tar.gz", "index": "v20260101-000000-000000"}
    candidate = {"model": "20260102-000000-new.tar.gz", "index": "v20260102-000000-000000"}
    first = {"event": "retrain", "run": "20260101-000000", "at": "2026-01-01T00:00:00+01:00", "seconds": 500,
             "candidate": service, "before": {"model": None, "index": None}, "in_service": service,
             "promoted": True, "reasons": ["no figure fell beyond its tolerance"], "tolerances": config.tolerances,
             "measured_with": {"folds": 3}, "figures": {"candidate": sample_figures(), "in_service": None}}
    candidate_figures = sample_figures(0.01)
    candidate_figures["crossval_f1"]["lb"] = 0.80
    second = {**first, "run": "20260102-000000", "at": "2026-01-02T00:00:00+01:00", "candidate": candidate,
              "before": service, "promoted": False,
              "reasons": ["crossval_f1 [lb]: 0.800 vs 0.870 in service (-0.070, tolerance 0.02)"],
              "figures": {"candidate": candidate_figures, "in_service": sample_figures()},
              "in_service_figures_from": {"crossval_f1": "recorded by an earlier run"}}
    reports_dir.mkdir(parents=True, exist_ok=True)
    config.history_file.write_text("".join(json.dumps(e) + "\n" for e in (first, second)))
    run_dir = reports_dir / second["run"]
    (run_dir / "logs").mkdir(parents=True)
    (run_dir / "logs" / "train.log").write_text("trained\n")
    labels = ["ask_knowledge", "ask_competent_insurer", "greet"]
    regression = {"metric": "crossval_f1", "language": "lb", "candidate": 0.80, "in_service": 0.87, "tolerance": 0.02}
    (run_dir / "run.json").write_text(json.dumps({
        **second, "decision": {"promoted": False, "reasons": second["reasons"], "regressions": [regression]},
        "confusion": {"labels": labels, "matrix": [[50, 4, 0], [6, 40, 0], [0, 1, 30]]}}))
    return config, run_dir
