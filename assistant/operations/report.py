"""The HTML report of one `make retrain` run: the decision first, then the figures and their plots.

    python -m assistant.operations.report reports/<run> reports/history.jsonl

Runs in the Rasa env, which has matplotlib (the actions env does not need it); standard library and
matplotlib only. Reads <run>/run.json and the history, writes <run>/index.html and its PNG files
beside it, so the folder is complete on its own.
"""
from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LANGUAGES = ("fr", "de", "nl", "lb", "en", "all")
# Figures shown, in this order, with their names in the report.
METRICS = {"crossval_f1": "cross-validation macro F1", "heldout_dev": "held-out route accuracy, dev",
           "heldout_test": "held-out route accuracy, test", "recall@1": "retrieval recall@1",
           "recall@3": "retrieval recall@3", "bm25_recall@1": "BM25 recall@1", "bm25_recall@3": "BM25 recall@3"}
CANDIDATE, IN_SERVICE, BASELINE = "#1f77b4", "#aaaaaa", "#ff7f0e"
Series = Tuple[str, Dict[str, Optional[float]], str]    # label, value per language, colour


def bars(ax, series: Sequence[Series], title: str) -> None:
    """Grouped bars per language, the value written on each bar (a missing one is left out)."""
    width = 0.8 / len(series)
    for position, (_label, values, colour) in enumerate(series):
        for x, language in enumerate(LANGUAGES):
            value = (values or {}).get(language)
            if value is None:
                continue
            left = x - 0.4 + position * width
            ax.bar(left, value, width, color=colour, align="edge")
            ax.text(left + width / 2, value + 0.01, f"{value:.2f}", ha="center", fontsize=7, rotation=90)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colour) for _, _, colour in series]
    # Above the bars, where no bar reaches.
    ax.legend(handles, [label for label, _, _ in series], fontsize=8, loc="upper center", ncol=len(series),
              frameon=False)
    ax.set_xticks(range(len(LANGUAGES)), LANGUAGES)
    ax.set_ylim(0, 1.25)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_title(title, fontsize=10)


def save(figure, path: Path) -> str:
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path.name


def comparison_plot(path: Path, metrics: Sequence[str], candidate: dict, in_service: dict,
                    extra: Optional[Dict[str, Series]] = None) -> str:
    """One panel per metric: the candidate beside what is in service (and an extra series, e.g. BM25)."""
    figure, axes = plt.subplots(1, len(metrics), figsize=(5.5 * len(metrics), 3.6), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        series = [("candidate", candidate.get(metric), CANDIDATE), ("in service", in_service.get(metric), IN_SERVICE)]
        if extra and metric in extra:
            series.append(extra[metric])
        bars(ax, series, METRICS[metric])
    return save(figure, path)


def confusion_plot(path: Path, confusion: dict) -> Optional[str]:
    labels, matrix = confusion.get("labels") or [], confusion.get("matrix") or []
    if not labels:
        return None
    size = max(6.0, 2.5 + 0.45 * len(labels))     # room for the intent names at any number of intents
    figure, ax = plt.subplots(figsize=(size, size * 0.9))
    # Shares of each true intent, so that rare intents are as visible as frequent ones; counts written.
    shares = [[count / max(sum(row), 1) for count in row] for row in matrix]
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            if count:
                ax.text(j, i, str(count), ha="center", va="center", fontsize=7,
                        color="white" if shares[i][j] > 0.6 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("intent confusion, candidate (cross-validation)", fontsize=10)
    return save(figure, path)


def trend_plot(path: Path, history: List[dict]) -> Optional[str]:
    """The overall figure of every run's candidate: filled when promoted, hollow when kept out."""
    runs = [e for e in history if e.get("event") == "retrain"]
    if not runs:
        return None
    figure, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(runs) + 3), 3.6))
    lowest = 1.0
    for metric in ("crossval_f1", "heldout_dev", "recall@1", "recall@3"):
        values = [((e["figures"]["candidate"].get(metric) or {}).get("all"), e.get("promoted")) for e in runs]
        lowest = min([lowest] + [v for v, _ in values if v is not None])
        line, = ax.plot(range(len(runs)), [v for v, _ in values], marker="", label=METRICS[metric])
        for x, (value, promoted) in enumerate(values):
            if value is not None:
                ax.plot(x, value, "o", color=line.get_color(), markerfacecolor=line.get_color() if promoted else "white")
    ax.set_xticks(range(len(runs)), [e["run"] for e in runs], rotation=45, ha="right", fontsize=7)
    ax.set_ylim(max(0.0, lowest - 0.15), 1.02)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("all languages, run by run (filled: promoted, hollow: kept out)", fontsize=10)
    return save(figure, path)


def _cell(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.3f}"


def figures_table(run: dict) -> str:
    candidate, in_service = run["figures"]["candidate"], run["figures"]["in_service"] or {}
    tolerances = run.get("tolerances") or {}
    regressed = {(r["metric"], r["language"]) for r in run["decision"]["regressions"]}
    rows = ["<tr><th>figure</th><th>tolerance</th>" + "".join(f"<th>{lang}</th>" for lang in LANGUAGES) + "</tr>"]
    for metric, name in METRICS.items():
        cells = []
        for language in LANGUAGES:
            new, old = (candidate.get(metric) or {}).get(language), (in_service.get(metric) or {}).get(language)
            mark = ' class="worse"' if (metric, language) in regressed else ""
            cells.append(f"<td{mark}>{_cell(new)}<br><small>{_cell(old)}</small></td>")
        tolerance = f"{tolerances[metric]:g}" if metric in tolerances else "not gated"
        rows.append(f"<tr><th>{html.escape(name)}</th><td>{tolerance}</td>{''.join(cells)}</tr>")
    return "<table>" + "\n".join(rows) + "</table>"


def render(run_dir: Path, history_file: Path) -> Path:
    run = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    history = [json.loads(line) for line in history_file.read_text(encoding="utf-8").splitlines() if line.strip()] \
        if history_file.exists() else [run]
    candidate, in_service = run["figures"]["candidate"], run["figures"]["in_service"] or {}
    bm25 = {f"recall@{k}": ("BM25, candidate's index", candidate.get(f"bm25_recall@{k}"), BASELINE) for k in (1, 3)}
    images = [
        ("Cross-validation F1 per language", comparison_plot(run_dir / "f1.png", ["crossval_f1"], candidate, in_service)),
        ("Held-out route accuracy per language",
         comparison_plot(run_dir / "heldout.png", ["heldout_dev", "heldout_test"], candidate, in_service)),
        ("Retrieval recall@k per language, beside BM25",
         comparison_plot(run_dir / "retrieval.png", ["recall@1", "recall@3"], candidate, in_service, bm25)),
        ("Intent confusion matrix (cross-validation)", confusion_plot(run_dir / "confusion.png", run.get("confusion") or {})),
        ("Trend over the runs", trend_plot(run_dir / "trend.png", history)),
    ]
    promoted = run["promoted"]
    verdict = "Promoted" if promoted else "Kept what is in service"
    def who(state: dict) -> str:
        return (f"model <code>{html.escape(str(state.get('model')))}</code>, "
                f"index <code>{html.escape(str(state.get('index')))}</code>")
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in run["reasons"])
    actions = "".join(f"<li>{html.escape(a)}</li>" for a in run.get("actions") or [])
    sources = "".join(f"<li>{html.escape(METRICS.get(m, m))}: {html.escape(s)}</li>"
                      for m, s in (run.get("in_service_figures_from") or {}).items())
    # The errors of the candidate (the held-out dev split's only: the test split is never read), and the logs.
    files = sorted((run_dir / "candidate").glob("*.tsv")) + sorted((run_dir / "logs").glob("*.log"))
    logs = "".join(f'<li><a href="{p.relative_to(run_dir)}">{p.relative_to(run_dir)}</a></li>' for p in files)
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Retrain {html.escape(run['run'])}: {verdict}</title>
<style>
body {{ font-family: sans-serif; max-width: 1200px; margin: 1em auto; padding: 0 1em; color: #222; }}
.decision {{ padding: .8em 1em; border-radius: 6px; border: 2px solid; }}
.promoted {{ background: #e8f6e8; border-color: #2e7d32; }} .kept {{ background: #fdecea; border-color: #c62828; }}
table {{ border-collapse: collapse; margin: 1em 0; }} td, th {{ border: 1px solid #ccc; padding: .25em .6em; text-align: right; }}
th:first-child {{ text-align: left; }} td.worse {{ background: #f8c9c4; }} small {{ color: #777; }}
img {{ max-width: 100%; border: 1px solid #eee; }}
</style></head><body>
<section class="decision {'promoted' if promoted else 'kept'}" id="decision">
<h1>{verdict}</h1>
<p>Candidate: {who(run['candidate'])}<br>In service before: {who(run['before'])}<br>
In service now: {who(run['in_service'])}</p>
<ul>{reasons}</ul>{f'<ul>{actions}</ul>' if actions else ''}
</section>
<p>Run {html.escape(run['run'])}, {html.escape(run['at'])}, {run['seconds']} s; cross-validation with
{run['measured_with']['folds']} folds.</p>
<h2>Figures</h2>
<p>Each cell: the candidate, and under it what is in service. Red: fell more than the tolerance.</p>
{figures_table(run)}
<p>Where the figures in service come from:</p><ul>{sources}</ul>
{''.join(f'<h2>{html.escape(title)}</h2><img src="{name}" alt="{html.escape(title)}">' for title, name in images if name)}
<h2>Errors and logs</h2><ul>{logs}</ul>
</body></html>
"""
    out = run_dir / "index.html"
    out.write_text(body, encoding="utf-8")
    return out


if __name__ == "__main__":
    print(render(Path(sys.argv[1]), Path(sys.argv[2])))
