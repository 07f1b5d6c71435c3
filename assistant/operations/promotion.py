"""Whether a candidate may replace what is in service, what to delete, where to roll back to.

Pure functions over plain data (no files, no servers), so the rules are tested on their own
(tests/operations/test_promotion.py). Figures are ``{metric: {language: value}}``, with the
language "all" for the whole set.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, TypeVar

Figures = Mapping[str, Mapping[str, Optional[float]]]
T = TypeVar("T")


@dataclass(frozen=True)
class Regression:
    metric: str
    language: str
    candidate: Optional[float]
    in_service: float
    tolerance: float

    def __str__(self) -> str:
        if self.candidate is None:
            return f"{self.metric} [{self.language}]: no figure for the candidate ({self.in_service:.3f} in service)"
        return (f"{self.metric} [{self.language}]: {self.candidate:.3f} vs {self.in_service:.3f} in service "
                f"(-{self.in_service - self.candidate:.3f}, tolerance {self.tolerance:g})")


@dataclass
class Decision:
    promote: bool
    regressions: List[Regression] = field(default_factory=list)
    unchecked: List[str] = field(default_factory=list)   # metrics with nothing in service to compare with
    errors: List[str] = field(default_factory=list)      # e.g. the running server refused the model

    def refuse(self, error: str) -> None:
        self.promote = False
        self.errors.append(error)

    def reasons(self) -> List[str]:
        if self.regressions or self.errors:
            return self.errors + [str(r) for r in self.regressions]
        return ["no figure fell beyond its tolerance"] + [f"not compared: {u}" for u in self.unchecked]

    def to_json(self) -> dict:
        return {"promoted": self.promote, "reasons": self.reasons(),
                "regressions": [r.__dict__ for r in self.regressions]}


def decide(candidate: Figures, in_service: Optional[Figures], tolerances: Mapping[str, float]) -> Decision:
    """Promote unless some language's figure of a gated metric fell more than its tolerance.

    Nothing in service (a first deployment) promotes. A language the service has a figure for and the
    candidate has none is a regression: an evaluation that lost a language must not pass silently.
    """
    if in_service is None:
        return Decision(True, unchecked=["nothing was in service"])
    regressions, unchecked = [], []
    for metric, tolerance in tolerances.items():
        before = {k: v for k, v in (in_service.get(metric) or {}).items() if v is not None}
        if not before:
            unchecked.append(f"{metric}: no figure in service")
            continue
        after = candidate.get(metric) or {}
        for language, old in before.items():
            new = after.get(language)
            # Rounded: 0.85 - 0.83 must not count as more than a tolerance of 0.02.
            if new is None or round(old - new, 6) > tolerance:
                regressions.append(Regression(metric, language, new, old, tolerance))
    return Decision(not regressions, regressions, unchecked)


def to_delete(items: Sequence[T], keep: int, protect: Iterable[T] = ()) -> List[T]:
    """Of ``items`` (oldest first), those beyond the newest ``keep``, never a protected one."""
    protected = set(protect)
    return [item for item in items[:max(len(items) - max(keep, 1), 0)] if item not in protected]


def rollback_target(history: Sequence[Mapping], model: Optional[str]) -> Optional[dict]:
    """What was in service (model and index) before the newest promotion of ``model``.

    Matched on the model alone: every promotion brings a new model file, while the index may have been
    rebuilt since by `make index`. A rollback is recorded with what it put back in service, so a second
    rollback finds the promotion of that one and goes one step further back, as a stack.
    """
    for entry in reversed(history):
        if entry.get("event") == "retrain" and entry.get("promoted") and \
                (entry.get("in_service") or {}).get("model") == model:
            return entry.get("before")
    return None


def stored_figures(history: Sequence[Mapping], service: Mapping[str, object],
                   depends_on: Mapping[str, Sequence[str]]) -> Dict[str, dict]:
    """The newest figures recorded for what is in service, per metric.

    A metric depends on part of the service and of how it was measured (``depends_on``, keys of
    ``service`` and of an entry's ``measured_with``: cross-validation on the model and the number of
    folds, retrieval on the index and its questions...), so a figure measured for the same model with
    another index still counts for cross-validation, and none counts once its questions changed.
    """
    found: Dict[str, dict] = {}
    for entry in reversed(history):
        for side, key in (("candidate", "candidate"), ("in_service", "before")):
            who = {**(entry.get("measured_with") or {}), **(entry.get(key) or {})}
            figures = (entry.get("figures") or {}).get(side) or {}
            for metric, parts in depends_on.items():
                if metric not in found and figures.get(metric) and \
                        all(who.get(part) == service.get(part) for part in parts):
                    found[metric] = figures[metric]
    return found
