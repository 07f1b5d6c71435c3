"""Retrieval quality on tests/knowledge/questions: recall@1, recall@3, MRR per language,
beside a BM25 baseline over the same chunks, and the calibration of the score threshold.

    python -m assistant.knowledge evaluate [--questions DIR] [--json]

A question file is a YAML list of {question, language, expected}; ``expected: null``
marks a question no document answers (out of scope): those calibrate the threshold.
"""
from __future__ import annotations

import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
import yaml

from assistant.knowledge.answer import rank_documents
from assistant.knowledge.index import IndexVersion
from assistant.knowledge.search import Searcher
from assistant.settings import ROOT

QUESTIONS_DIR = ROOT / "tests" / "knowledge" / "questions"
LANGUAGE_ORDER = ("fr", "de", "nl", "lb", "en")


@dataclass
class Question:
    text: str
    language: str
    expected: Optional[str]
    origin: str


@dataclass
class Outcome:
    question: Question
    ranking: List[str]          # document ids, best first
    score: float                # score of the best document (what the threshold sees)

    @property
    def rank(self) -> Optional[int]:
        expected = self.question.expected
        return self.ranking.index(expected) + 1 if expected in self.ranking else None


def load_questions(directory: Path = QUESTIONS_DIR) -> List[Question]:
    questions = []
    for path in sorted(directory.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            questions.append(Question(item["question"], item["language"], item.get("expected"), path.name))
    return questions


def _fold(text: str) -> List[str]:
    text = unicodedata.normalize("NFKD", text.lower())
    return re.findall(r"\w+", "".join(c for c in text if not unicodedata.combining(c)))


class BM25Baseline:
    """rank_bm25's Okapi BM25 over the same section chunks; a document scores its best section."""

    def __init__(self, version: IndexVersion) -> None:
        from rank_bm25 import BM25Okapi
        self.doc_ids = [c.doc_id for c in version.chunks]
        self.bm25 = BM25Okapi([_fold(c.text) for c in version.chunks])

    def ranking(self, question: str) -> tuple:
        scores = self.bm25.get_scores(_fold(question))
        best: Dict[str, float] = {}
        for doc_id, score in zip(self.doc_ids, scores):
            best[doc_id] = max(best.get(doc_id, float("-inf")), float(score))
        ordered = sorted(best, key=lambda d: -best[d])
        return ordered, best[ordered[0]] if ordered else 0.0


def metrics(outcomes: Sequence[Outcome]) -> Dict[str, Dict[str, float]]:
    """recall@1, recall@3, MRR per language and overall, over answerable questions."""
    groups: Dict[str, List[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.question.expected:
            groups[outcome.question.language].append(outcome)
            groups["all"].append(outcome)
    table = {}
    for group, items in groups.items():
        ranks = [o.rank for o in items]
        table[group] = {
            "n": len(items),
            "recall@1": sum(1 for r in ranks if r == 1) / len(items),
            "recall@3": sum(1 for r in ranks if r and r <= 3) / len(items),
            "mrr": sum(1 / r for r in ranks if r) / len(items),
        }
    return table


def calibration(outcomes: Sequence[Outcome], thresholds) -> Dict[str, dict]:
    """Per language: where correct answers and out-of-scope questions score, and a suggestion.

    The suggestion sits halfway between the best-scoring out-of-scope question and the
    worst-scoring correct top-1 answer when they separate; otherwise just above the
    out-of-scope maximum (safety first: a refused answer costs less than a wrong one).
    """
    out = {}
    for language in sorted({o.question.language for o in outcomes}, key=_language_key):
        items = [o for o in outcomes if o.question.language == language]
        correct = [o.score for o in items if o.question.expected and o.rank == 1]
        wrong = [o.score for o in items if o.question.expected and o.rank != 1]
        oos = [o.score for o in items if not o.question.expected]
        threshold = thresholds(language)
        if correct and oos:
            suggestion = (max(oos) + min(correct)) / 2 if max(oos) < min(correct) else max(oos) + 0.002
        else:
            suggestion = threshold
        out[language] = {
            "threshold": threshold, "suggested": round(suggestion, 3),
            "correct_min": min(correct, default=None), "out_of_scope_max": max(oos, default=None),
            "answered_correct": sum(s >= threshold for s in correct), "correct": len(correct),
            "answered_wrong": sum(s >= threshold for s in wrong), "wrong": len(wrong),
            "answered_out_of_scope": sum(s >= threshold for s in oos), "out_of_scope": len(oos),
        }
    return out


def _language_key(language: str):
    return LANGUAGE_ORDER.index(language) if language in LANGUAGE_ORDER else len(LANGUAGE_ORDER)


def evaluate(searcher: Searcher, questions: Sequence[Question]) -> dict:
    version = searcher.version()
    dense, lexical, seconds = [], [], []
    bm25 = BM25Baseline(version)
    for question in questions:
        result = searcher.search(question.text, question.language)
        seconds.append(result.seconds)
        ranked = rank_documents(result)
        dense.append(Outcome(question, [d.doc_id for d in ranked], ranked[0].score if ranked else 0.0))
        ordered, best = bm25.ranking(question.text)
        lexical.append(Outcome(question, ordered, best))
    return {
        "index": version.name,
        "model": version.manifest.get("model", {}).get("name"),
        "questions": len(questions),
        "answerable": sum(1 for q in questions if q.expected),
        "dense": metrics(dense),
        "bm25": metrics(lexical),
        "calibration": calibration(dense, searcher.config.threshold_for),
        "latency_ms": {"p50": float(np.percentile(seconds, 50) * 1000),
                       "p95": float(np.percentile(seconds, 95) * 1000)},
        "misses": [{"question": o.question.text, "language": o.question.language,
                    "expected": o.question.expected, "rank": o.rank, "top3": o.ranking[:3]}
                   for o in dense if o.question.expected and (o.rank or 99) > 3],
    }


def render(report: dict) -> str:
    lines = [f"index {report['index']} · {report['questions']} questions "
             f"({report['answerable']} answerable) · model {report['model']}", ""]
    header = f"{'language':<9}{'n':>4}   {'dense R@1':>9} {'R@3':>6} {'MRR':>6}   {'BM25 R@1':>8} {'R@3':>6} {'MRR':>6}"
    lines += [header, "-" * len(header)]
    groups = sorted((g for g in report["dense"] if g != "all"), key=_language_key) + ["all"]
    for group in groups:
        d, b = report["dense"][group], report["bm25"].get(group, {})
        lines.append(f"{group:<9}{d['n']:>4}   {d['recall@1']:>9.2f} {d['recall@3']:>6.2f} {d['mrr']:>6.2f}   "
                     f"{b.get('recall@1', 0):>8.2f} {b.get('recall@3', 0):>6.2f} {b.get('mrr', 0):>6.2f}")
    lines += ["", "threshold calibration (score of the best document)",
              f"{'language':<9}{'threshold':>10}{'suggested':>10}{'correct min':>12}{'o-o-s max':>10}"
              f"   answered: correct / wrong / out-of-scope"]
    for language, c in report["calibration"].items():
        fmt = lambda v: f"{v:.3f}" if v is not None else "-"
        lines.append(f"{language:<9}{c['threshold']:>10.3f}{c['suggested']:>10.3f}{fmt(c['correct_min']):>12}"
                     f"{fmt(c['out_of_scope_max']):>10}   {c['answered_correct']}/{c['correct']}"
                     f"  {c['answered_wrong']}/{c['wrong']}  {c['answered_out_of_scope']}/{c['out_of_scope']}")
    lines += ["", f"search latency (embedding + FAISS + reload check): p50 {report['latency_ms']['p50']:.1f} ms, "
                  f"p95 {report['latency_ms']['p95']:.1f} ms"]
    if report["misses"]:
        lines += ["", "not in the top 3:"]
        for miss in report["misses"]:
            lines.append(f"  [{miss['language']}] {miss['question']} -> expected {miss['expected']} "
                         f"(rank {miss['rank'] or '-'}), got {', '.join(miss['top3'])}")
    return "\n".join(lines)


def run(searcher: Searcher, directory: Path = QUESTIONS_DIR) -> dict:
    started = time.monotonic()
    report = evaluate(searcher, load_questions(directory))
    report["seconds"] = time.monotonic() - started
    return report
