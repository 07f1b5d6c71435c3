"""Retrieval quality on tests/knowledge/questions: recall@1, recall@3, MRR per language,
beside a BM25 baseline over the same chunks, and the calibration of the score threshold.

    python -m assistant.knowledge evaluate [--questions DIR] [--json]

A question file is a YAML list of {question, language, expected}; ``expected: null``
marks a question no document answers (out of scope): those calibrate the threshold.
An optional ``section`` (a heading, or a list of acceptable headings, in any language of
the document) is also checked: for documents with one section per country, the right
document is not enough, the shown section must be the right country's ("S@1": the
expected document first and that section shown).
"""
from __future__ import annotations

import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import yaml

from assistant.knowledge.answer import choose_language, choose_section, question_countries, rank_documents
from assistant.knowledge.countries import country_weight
from assistant.knowledge.index import IndexVersion
from assistant.knowledge.search import Searcher
from assistant.settings import ROOT
from assistant.markdown_tables import table_rows

QUESTIONS_DIR = ROOT / "tests" / "knowledge" / "questions"
# Real FAQ questions mapped to the section that answers them; those no section answers are listed, with
# the reason, in docs/coverage.md (issue: FAQ coverage).
FAQ_CHECKLIST = "faq_coverage.yml"
COVERAGE_CHECKLIST = ROOT / "docs" / "coverage.md"
LANGUAGE_ORDER = ("fr", "de", "nl", "lb", "en")


@dataclass
class Question:
    text: str
    language: str
    expected: Optional[str]
    origin: str
    sections: Tuple[str, ...] = ()     # acceptable headings of the section to show (any language)


@dataclass
class Outcome:
    question: Question
    ranking: List[str]          # document ids, best first
    score: float                # score of the best document (what the threshold sees)
    section: Optional[str] = None           # heading of the section shown (top document)
    section_ok: Optional[bool] = None       # None when the question expects no section

    @property
    def section_hit(self) -> bool:
        """The expected document first and, when one is expected, the expected section shown."""
        return self.rank == 1 and self.section_ok is not False

    @property
    def rank(self) -> Optional[int]:
        expected = self.question.expected
        return self.ranking.index(expected) + 1 if expected in self.ranking else None


def load_questions(directory: Path = QUESTIONS_DIR) -> List[Question]:
    questions = []
    for path in sorted(directory.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            section = item.get("section")
            sections = tuple(str(h) for h in (section if isinstance(section, list) else [section] if section else []))
            questions.append(Question(item["question"], item["language"], item.get("expected"), path.name,
                                      sections))
    return questions


def _same_heading(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def section_matches(version: IndexVersion, doc_id: str, position: int, expected: Sequence[str]) -> bool:
    """Whether the section at ``position`` is one of the ``expected`` headings in any translation."""
    headings = []
    for language in version.languages_of.get(doc_id, []):
        sections = (version.documents.get(f"{doc_id}.{language}") or {}).get("sections") or []
        if 0 <= position < len(sections):
            headings.append(sections[position])
    return any(_same_heading(h, e) for h in headings for e in expected)


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
        with_section = [o for o in items if o.question.sections]
        table[group] = {
            "n": len(items),
            "recall@1": sum(1 for r in ranks if r == 1) / len(items),
            "recall@3": sum(1 for r in ranks if r and r <= 3) / len(items),
            "mrr": sum(1 / r for r in ranks if r) / len(items),
            "sections": len(with_section),
            "section@1": (sum(o.section_hit for o in with_section) / len(with_section)) if with_section else None,
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
    weight = country_weight(searcher.config)
    dense, lexical, seconds = [], [], []
    bm25 = BM25Baseline(version)
    for question in questions:
        result = searcher.search(question.text, question.language)
        seconds.append(result.seconds)
        countries = question_countries(result)
        ranked = rank_documents(result, countries=countries, weight=weight)
        outcome = Outcome(question, [d.doc_id for d in ranked], ranked[0].score if ranked else 0.0)
        if ranked:
            shown = choose_language(ranked[0], question.language)
            chunk = result.version.chunks[choose_section(result.version, ranked[0], shown, result.vector,
                                                         countries, weight)]
            outcome.section = chunk.heading
            if question.sections and ranked[0].doc_id == question.expected:
                outcome.section_ok = section_matches(result.version, chunk.doc_id, chunk.section, question.sections)
        dense.append(outcome)
        ordered, best = bm25.ranking(question.text)
        lexical.append(Outcome(question, ordered, best))
    by_file = {}
    for origin in sorted({q.origin for q in questions}):
        figures = metrics([o for o in dense if o.question.origin == origin]).get("all")
        if figures:
            by_file[origin] = figures
    return {
        "index": version.name,
        "model": version.manifest.get("model", {}).get("name"),
        "questions": len(questions),
        "answerable": sum(1 for q in questions if q.expected),
        "country_weight": weight,
        "dense": metrics(dense),
        "bm25": metrics(lexical),
        "by_file": by_file,
        "calibration": calibration(dense, searcher.config.threshold_for),
        "latency_ms": {"p50": float(np.percentile(seconds, 50) * 1000),
                       "p95": float(np.percentile(seconds, 95) * 1000)},
        "misses": [{"question": o.question.text, "language": o.question.language,
                    "expected": o.question.expected, "rank": o.rank, "top3": o.ranking[:3]}
                   for o in dense if o.question.expected and (o.rank or 99) > 3],
        "section_misses": [{"question": o.question.text, "language": o.question.language,
                            "expected": o.question.expected, "rank": o.rank, "top": o.ranking[:1],
                            "section": o.section, "expected_section": list(o.question.sections)}
                           for o in dense if o.question.sections and not o.section_hit],
    }


def render(report: dict) -> str:
    lines = [f"index {report['index']} · {report['questions']} questions "
             f"({report['answerable']} answerable) · model {report['model']} · "
             f"country weight {report.get('country_weight', 0):g}", ""]
    section = lambda d: f"{d['section@1']:.2f} ({d['sections']})" if d.get("section@1") is not None else "-"
    header = (f"{'language':<9}{'n':>4}   {'dense R@1':>9} {'R@3':>6} {'MRR':>6} {'S@1':>10}   "
              f"{'BM25 R@1':>8} {'R@3':>6} {'MRR':>6}")
    lines += [header, "-" * len(header)]
    groups = sorted((g for g in report["dense"] if g != "all"), key=_language_key) + ["all"]
    for group in groups:
        d, b = report["dense"][group], report["bm25"].get(group, {})
        lines.append(f"{group:<9}{d['n']:>4}   {d['recall@1']:>9.2f} {d['recall@3']:>6.2f} {d['mrr']:>6.2f} "
                     f"{section(d):>10}   "
                     f"{b.get('recall@1', 0):>8.2f} {b.get('recall@3', 0):>6.2f} {b.get('mrr', 0):>6.2f}")
    lines += ["", "S@1: expected document first and, where the question names one, its expected section shown "
                  "(number of questions with a section)"]
    faq = report.get("faq")
    if faq:
        d = faq["dense"]
        lines += ["", f"real FAQ questions (docs/coverage.md): {faq['covered']} of {faq['covered'] + faq['not_covered']} "
                      f"answered by a section; on those, dense R@1 {d['recall@1']:.2f}, R@3 {d['recall@3']:.2f}, "
                      f"right section first {section(d)}"]
    if report.get("by_file"):
        lines += ["", f"{'question file':<28}{'n':>4}   {'dense R@1':>9} {'R@3':>6} {'MRR':>6} {'S@1':>10}"]
        for origin, d in report["by_file"].items():
            lines.append(f"{origin:<28}{d['n']:>4}   {d['recall@1']:>9.2f} {d['recall@3']:>6.2f} {d['mrr']:>6.2f} "
                         f"{section(d):>10}")
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
    if report.get("section_misses"):
        lines += ["", "wrong document or section first:"]
        for miss in report["section_misses"]:
            got = f"{', '.join(miss['top'])} § {miss['section'] or '(lead)'}"
            lines.append(f"  [{miss['language']}] {miss['question']} -> expected {miss['expected']} "
                         f"§ {' | '.join(miss['expected_section'])}, got {got}")
    return "\n".join(lines)


def uncovered_faq(checklist: Path = COVERAGE_CHECKLIST) -> List[tuple]:
    """(language, question, url, reason) of the real FAQ questions no document answers: the table under
    "## Not covered" in docs/coverage.md."""
    return [(language, question, url.strip("<>"), reason)
            for language, question, url, reason in table_rows(checklist.read_text(encoding="utf-8"), "Not covered")]


def run(searcher: Searcher, directory: Path = QUESTIONS_DIR) -> dict:
    """The figures on the questions written for the evaluation, and apart from them the coverage of
    the real FAQ questions (hard, and chosen for coverage rather than to compare runs)."""
    started = time.monotonic()
    questions = load_questions(directory)
    report = evaluate(searcher, [q for q in questions if q.origin != FAQ_CHECKLIST])
    faq = [q for q in questions if q.origin == FAQ_CHECKLIST]
    if faq:
        report["faq"] = {"covered": len(faq), "not_covered": len(uncovered_faq()),
                         "dense": evaluate(searcher, faq)["dense"]["all"]}
    report["seconds"] = time.monotonic() - started
    return report
