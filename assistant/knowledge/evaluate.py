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
from assistant.markdown_tables import table_rows
from assistant.settings import ROOT

QUESTIONS_DIR = ROOT / "tests" / "knowledge" / "questions"
# The thresholds are suggested from these, which no test reads: a threshold chosen on the very
# out-of-scope questions that then test it would prove nothing (tests/knowledge/calibration/README.md).
CALIBRATION_DIR = ROOT / "tests" / "knowledge" / "calibration"
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


def suggest_threshold(inside: Sequence[float], outside: Sequence[float], step: float = 0.001) -> Optional[float]:
    """The threshold that answers the most in-scope and refuses the most out-of-scope questions (the sum
    of both rates), on a grid of ``step``; the lowest such value, so that no answer is refused for
    nothing. None without questions of both kinds."""
    if not inside or not outside:
        return None
    low, high = min(min(inside), min(outside)), max(max(inside), max(outside)) + step
    grid = np.arange(np.floor(low / step) * step, high + step, step)
    inside_scores, outside_scores = np.asarray(inside), np.asarray(outside)
    rates = [(inside_scores >= t).mean() + (outside_scores < t).mean() for t in grid]
    return round(float(grid[int(np.argmax(rates))]), 3)


def calibration(inside: Dict[str, List[float]], outside: Dict[str, List[float]], thresholds) -> Dict[str, dict]:
    """Per language: the best score of each in-scope and out-of-scope question, how many the current
    threshold answers, and the suggested threshold (suggest_threshold)."""
    out = {}
    for language in sorted(set(inside) | set(outside), key=_language_key):
        yes, no = inside.get(language, []), outside.get(language, [])
        threshold = thresholds(language)
        suggested = suggest_threshold(yes, no)
        out[language] = {
            "threshold": threshold, "suggested": threshold if suggested is None else suggested,
            "in_scope": len(yes), "answered_in_scope": sum(score >= threshold for score in yes),
            "out_of_scope": len(no), "answered_out_of_scope": sum(score >= threshold for score in no),
        }
    return out


def calibration_scores(searcher: Searcher, calibration_dir: Path = CALIBRATION_DIR
                       ) -> Tuple[Dict[str, List[float]], Dict[str, List[float]]]:
    """Best-document scores, per language, of the in-scope and out-of-scope questions no test reads: the
    calibration set (answerable ones count when their document comes first) and the held-out dev
    split's knowledge and out-of-scope questions (tests/nlu/heldout, never the test split)."""
    from assistant.evaluation.heldout import load_questions as heldout_questions

    weight = country_weight(searcher.config)
    inside: Dict[str, List[float]] = {}
    outside: Dict[str, List[float]] = {}

    def best(text: str, language: str):
        result = searcher.search(text, language)
        return rank_documents(result, countries=question_countries(result), weight=weight)

    for question in load_questions(calibration_dir):
        ranked = best(question.text, question.language)
        score = ranked[0].score if ranked else 0.0
        if not question.expected:
            outside.setdefault(question.language, []).append(score)
        elif ranked and ranked[0].doc_id == question.expected:
            inside.setdefault(question.language, []).append(score)
    for question in heldout_questions():
        if question.split == "dev" and question.route in ("knowledge", "out_of_scope"):
            ranked = best(question.text, question.language)
            scores = inside if question.route == "knowledge" else outside
            scores.setdefault(question.language, []).append(ranked[0].score if ranked else 0.0)
    return inside, outside


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
    lines += ["", "threshold calibration, on questions no test reads (tests/knowledge/calibration and the held-out",
              "dev split): the suggestion answers the most in-scope and refuses the most out-of-scope questions",
              f"{'language':<9}{'threshold':>10}{'suggested':>10}   answered at the threshold: in scope / out of scope"]
    for language, c in report["calibration"].items():
        lines.append(f"{language:<9}{c['threshold']:>10.3f}{c['suggested']:>10.3f}   "
                     f"{c['answered_in_scope']}/{c['in_scope']}  {c['answered_out_of_scope']}/{c['out_of_scope']}")
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


def run(searcher: Searcher, directory: Path = QUESTIONS_DIR, calibration_dir: Path = CALIBRATION_DIR) -> dict:
    """The figures on the questions written for the evaluation, the threshold calibration on its own
    questions, and apart from them the coverage of the real FAQ questions (hard, and chosen for
    coverage rather than to compare runs)."""
    started = time.monotonic()
    questions = load_questions(directory)
    report = evaluate(searcher, [q for q in questions if q.origin != FAQ_CHECKLIST])
    inside, outside = calibration_scores(searcher, calibration_dir)
    report["calibration"] = calibration(inside, outside, searcher.config.threshold_for)
    faq = [q for q in questions if q.origin == FAQ_CHECKLIST]
    if faq:
        report["faq"] = {"covered": len(faq), "not_covered": len(uncovered_faq()),
                         "dense": evaluate(searcher, faq)["dense"]["all"]}
    report["seconds"] = time.monotonic() - started
    return report
