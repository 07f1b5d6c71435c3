"""Knowledge retrieval benchmark: index build time, query latency, REST turn latency, memory.

    .venv/actions/bin/python scripts/benchmark_knowledge.py [--skip-full-build] [--skip-rest] [--json FILE]

Targets on a 2-core machine: retrieval alone p95 <= 30 ms; a knowledge turn through the
REST channel p95 <= 150 ms; a full index build <= 60 s; a one-document update <= 5 s;
action server <= 1.5 GB RSS. Builds go to a temporary directory (the real index is not
touched); the REST part starts its own action server and Rasa server on BENCH_RASA_PORT /
BENCH_ACTIONS_PORT (default 15305 / 15355). Wall-clock times depend on what else runs on
the machine, so the load average and the CPU time are printed beside them.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from assistant.knowledge.config import load_config  # noqa: E402
from assistant.knowledge.evaluate import load_questions  # noqa: E402
from assistant.knowledge.index import current_name  # noqa: E402

PYTHON = ROOT / ".venv" / "actions" / "bin" / "python"
TARGETS = {"retrieval_p95_ms": 30, "rest_turn_p95_ms": 150, "full_build_s": 60,
           "one_document_update_s": 5, "action_server_rss_mb": 1500}


def percentile(values, q):
    return float(np.percentile(values, q)) if values else float("nan")


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


# ----------------------------------------------------------------------------- builds

def run_build(env: dict, force: bool = False) -> dict:
    argv = [str(PYTHON), "-m", "assistant.knowledge", "build", "--quiet"] + (["--force"] if force else [])
    started, cpu = time.monotonic(), os.times()
    done = subprocess.run(argv, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT), **env),
                          capture_output=True, text=True)
    after = os.times()
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    return {"wall_s": time.monotonic() - started,
            "cpu_s": (after.children_user - cpu.children_user) + (after.children_system - cpu.children_system),
            "summary": done.stdout.strip().splitlines()[-1]}


def phase_profile(config) -> dict:
    """Where a full build spends its time, measured in this process."""
    from assistant.knowledge.chunking import chunk_document
    from assistant.knowledge.documents import validate
    from assistant.knowledge.embedder import Embedder
    t0 = time.monotonic()
    docs, _ = validate(config.documents_dir)
    t1 = time.monotonic()
    import spacy  # noqa: F401  (its import is part of the chunking cost)
    chunks = [c for d in docs for c in chunk_document(d)]
    t2 = time.monotonic()
    embedder = Embedder(config)
    t3 = time.monotonic()
    sample = chunks[:96]
    embedder.passages([c.text for c in sample])
    t4 = time.monotonic()
    return {"validate_s": t1 - t0, "chunk_s": t2 - t1, "model_load_s": t3 - t2,
            "embed_chunks_per_s": len(sample) / (t4 - t3), "chunks": len(chunks),
            "estimated_embedding_s": len(chunks) / (len(sample) / (t4 - t3)),
            "precision": "bf16 autocast" if embedder.bf16 else "fp32"}


def update_in_process(config, docs: Path, index: Path, target: Path) -> float:
    """The same one-document update with the model already in memory: the work itself,
    without the ~8 s of importing sentence-transformers/torch/spaCy and reading the model."""
    from assistant.knowledge.chunking import sentences
    from assistant.knowledge.embedder import Embedder
    from assistant.knowledge.index import build_index
    local = dataclasses.replace(config, documents_dir=docs, index_dir=index)
    embedder = Embedder(local)
    sentences("Préchauffage. De spaCy.", "fr")
    target.write_text(target.read_text(encoding="utf-8") + "\nEncore une phrase ajoutée.\n", encoding="utf-8")
    started = time.monotonic()
    report = build_index(local, lambda: embedder)
    assert report.embedded_documents == [target.name[:-3]], report.embedded_documents
    return time.monotonic() - started


def bench_builds(config, full: bool) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        docs, index = tmp / "knowledge", tmp / "index"
        shutil.copytree(config.documents_dir, docs)
        env = {"KNOWLEDGE_DIR": str(docs), "KNOWLEDGE_INDEX_DIR": str(index)}
        out = {}
        if full:
            out["full_build"] = run_build(env)
        else:
            name = current_name(config.index_dir)
            if not name:
                raise SystemExit("no index to start from: run `make index` or drop --skip-full-build")
            index.mkdir()
            shutil.copytree(config.index_dir / name, index / name)
            os.symlink(name, index / "current")
        out["no_change"] = run_build(env)
        target = sorted(docs.rglob("*.fr.md"))[0]
        target.write_text(target.read_text(encoding="utf-8") + "\nUne phrase ajoutée pour le test de performance.\n",
                          encoding="utf-8")
        out["one_document_update"] = run_build(env)
        out["one_document_update"]["document"] = target.name
        out["one_document_update_in_process_s"] = update_in_process(config, docs, index, target)
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------------------- retrieval

def bench_retrieval(config, rounds: int = 2) -> dict:
    import torch

    from assistant.knowledge.answer import compose
    from assistant.knowledge.search import Searcher
    searcher = Searcher(config)
    started = time.monotonic()
    searcher.warm_up()
    load_s = time.monotonic() - started
    questions = load_questions()
    search_ms, cpu_ms, embed_ms, compose_ms = [], [], [], []
    for _ in range(rounds):
        for q in questions:
            c0, t0 = time.process_time(), time.perf_counter()
            result = searcher.search(q.text, q.language)
            t1 = time.perf_counter()
            compose(result, q.language, config)
            t2, c2 = time.perf_counter(), time.process_time()
            search_ms.append((t1 - t0) * 1000)
            compose_ms.append((t2 - t1) * 1000)
            cpu_ms.append((c2 - c0) * 1000)
    for q in questions[:40]:
        t0 = time.perf_counter()
        searcher.query_vector(q.text, q.language)
        embed_ms.append((time.perf_counter() - t0) * 1000)
    version = searcher.version()
    vector = searcher.query_vector("Wat is een ZOAST?", "nl").reshape(1, -1)
    faiss_ms = []
    for _ in range(200):
        t0 = time.perf_counter()
        version.index.search(vector, config.top_k)
        faiss_ms.append((time.perf_counter() - t0) * 1000)
    return {
        "queries": len(search_ms), "torch_threads": torch.get_num_threads(), "load_and_warm_up_s": load_s,
        "search_p50_ms": percentile(search_ms, 50), "search_p95_ms": percentile(search_ms, 95),
        "search_cpu_p50_ms": percentile(cpu_ms, 50),
        "embedding_p50_ms": percentile(embed_ms, 50), "faiss_p50_ms": percentile(faiss_ms, 50),
        "compose_p50_ms": percentile(compose_ms, 50),
        "retrieval_p95_ms": percentile([s + c for s, c in zip(search_ms, compose_ms)], 95),
    }


# ----------------------------------------------------------------------------- REST + memory

def post(url: str, body: dict, timeout: float = 60) -> list:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def tree_memory(pid: int) -> dict:
    import psutil
    root = psutil.Process(pid)
    processes = [root] + root.children(recursive=True)
    rss = {p.pid: p.memory_info().rss for p in processes}
    pss = 0
    for p in processes:
        try:
            pss += p.memory_full_info().pss
        except (psutil.AccessDenied, AttributeError):
            pss = None
            break
    return {"processes": len(processes), "rss_total_mb": sum(rss.values()) / 1e6,
            "rss_largest_mb": max(rss.values()) / 1e6, "pss_total_mb": pss / 1e6 if pss else None}


def bench_rest(config, turns_per_question: int = 3) -> dict:
    from assistant.services import ServiceGroup, latest_model
    from assistant.settings import load_settings
    var = Path(tempfile.mkdtemp(prefix="kb-bench-var-"))
    settings = load_settings(dict(os.environ, RASA_PORT=os.environ.get("BENCH_RASA_PORT", "15305"),
                                  ACTIONS_PORT=os.environ.get("BENCH_ACTIONS_PORT", "15355"), VAR_DIR=str(var)))
    group = ServiceGroup(settings, latest_model(settings), secrets.token_urlsafe(16))
    if group.busy_ports():
        raise SystemExit(f"ports {group.busy_ports()} busy: set BENCH_RASA_PORT / BENCH_ACTIONS_PORT")
    started = time.monotonic()
    group.start()
    startup_s = time.monotonic() - started
    try:
        actions_pid = group.services[0].process.pid
        memory_idle = tree_memory(actions_pid)
        url = f"{settings.rasa_url}/webhooks/rest/webhook"
        questions = [q for q in load_questions() if q.expected][::4]
        # Each conversation first settles its language, as a real one does.
        for i, q in enumerate(questions):
            post(url, {"sender": f"bench-{i}", "message": q.text})
        knowledge_ms, other_ms, action_ms = [], [], []
        for _round in range(turns_per_question):
            for i, q in enumerate(questions):
                t0 = time.perf_counter()
                replies = post(url, {"sender": f"bench-{i}", "message": q.text})
                knowledge_ms.append((time.perf_counter() - t0) * 1000)
                assert replies, q.text
        for i in range(30):   # a turn without the knowledge action, for comparison
            t0 = time.perf_counter()
            post(url, {"sender": f"bench-greet-{i}", "message": "Bonjour"})
            other_ms.append((time.perf_counter() - t0) * 1000)
        webhook = f"{settings.actions_url}/webhook"
        for q in questions:
            body = {"next_action": "action_answer_knowledge", "sender_id": "bench", "version": "3.6.21",
                    "domain": {"slots": {}}, "tracker": {
                        "sender_id": "bench", "slots": {"language": q.language},
                        "latest_message": {"text": q.text, "intent": {"name": "ask_knowledge"}, "entities": []},
                        "events": [], "paused": False, "followup_action": None, "active_loop": {},
                        "latest_action_name": None}}
            t0 = time.perf_counter()
            post(webhook, body)
            action_ms.append((time.perf_counter() - t0) * 1000)
        memory_busy = tree_memory(actions_pid)
        return {
            "startup_s": startup_s, "turns": len(knowledge_ms),
            "rest_turn_p50_ms": percentile(knowledge_ms, 50), "rest_turn_p95_ms": percentile(knowledge_ms, 95),
            "rest_greeting_p50_ms": percentile(other_ms, 50), "rest_greeting_p95_ms": percentile(other_ms, 95),
            "action_webhook_p50_ms": percentile(action_ms, 50), "action_webhook_p95_ms": percentile(action_ms, 95),
            "action_server_idle": memory_idle, "action_server_after_load": memory_busy,
        }
    finally:
        group.stop()
        shutil.rmtree(var, ignore_errors=True)


# ----------------------------------------------------------------------------- report

def verdict(value, target, lower_is_better=True) -> str:
    if value is None or value != value:
        return "-"
    return "ok" if (value <= target if lower_is_better else value >= target) else "MISSED"


def render(report: dict) -> str:
    lines = [f"load average at start {report['load_start']} · at end {report['load_end']} (2 cores)", ""]
    rows = []
    builds = report.get("builds", {})
    if "full_build" in builds:
        rows.append(("full index build (s)", builds["full_build"]["wall_s"], TARGETS["full_build_s"],
                     f"cpu {builds['full_build']['cpu_s']:.0f} s"))
    if builds:
        rows.append(("no-change build (s)", builds["no_change"]["wall_s"], None, builds["no_change"]["summary"]))
        rows.append(("one-document update (s)", builds["one_document_update"]["wall_s"],
                     TARGETS["one_document_update_s"], f"cpu {builds['one_document_update']['cpu_s']:.1f} s; "
                     "the `build` command, from process start"))
        rows.append(("  same, model in memory (s)", builds["one_document_update_in_process_s"],
                     TARGETS["one_document_update_s"], "chunk + embed + write + swap"))
    r = report.get("retrieval")
    if r:
        rows.append(("retrieval p50 (ms)", r["search_p50_ms"] + r["compose_p50_ms"], None,
                     f"cpu {r['search_cpu_p50_ms']:.1f} ms"))
        rows.append(("retrieval p95 (ms)", r["retrieval_p95_ms"], TARGETS["retrieval_p95_ms"],
                     f"embedding {r['embedding_p50_ms']:.1f} · faiss {r['faiss_p50_ms']:.2f} · "
                     f"compose {r['compose_p50_ms']:.2f} ms (p50)"))
    rest = report.get("rest")
    if rest:
        rows.append(("REST knowledge turn p50 (ms)", rest["rest_turn_p50_ms"], None, ""))
        rows.append(("REST knowledge turn p95 (ms)", rest["rest_turn_p95_ms"], TARGETS["rest_turn_p95_ms"],
                     f"greeting turn p50/p95 {rest['rest_greeting_p50_ms']:.0f}/{rest['rest_greeting_p95_ms']:.0f} ms;"
                     f" action webhook alone p50/p95 {rest['action_webhook_p50_ms']:.0f}/"
                     f"{rest['action_webhook_p95_ms']:.0f} ms"))
        memory = rest["action_server_after_load"]
        rows.append(("action server RSS (MB)", memory["rss_total_mb"], TARGETS["action_server_rss_mb"],
                     f"{memory['processes']} processes; serving worker {memory['rss_largest_mb']:.0f} MB; "
                     f"PSS {memory['pss_total_mb']:.0f} MB" if memory.get("pss_total_mb") else ""))
    width = max(len(r[0]) for r in rows) + 2
    for name, value, target, note in rows:
        mark = verdict(value, target) if target is not None else ""
        target_text = f"<= {target}" if target is not None else ""
        lines.append(f"{name:<{width}}{value:>9.1f}  {target_text:<9}{mark:<7} {note}")
    if "profile" in report:
        p = report["profile"]
        lines += ["", f"full build, where the time goes: validate {p['validate_s']:.1f} s · chunking "
                      f"(spaCy import + sentencizer) {p['chunk_s']:.1f} s · model load {p['model_load_s']:.1f} s · "
                      f"embedding {p['chunks']} chunks at {p['embed_chunks_per_s']:.1f} chunks/s "
                      f"(~{p['estimated_embedding_s']:.0f} s, {p['precision']})"]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-full-build", action="store_true", help="start from a copy of the current index")
    parser.add_argument("--skip-rest", action="store_true", help="do not start the servers")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    config = load_config()
    report = {"load_start": load_average(), "targets": TARGETS}
    print("builds (in a temporary copy)...", flush=True)
    report["builds"] = bench_builds(config, full=not args.skip_full_build)
    if not args.skip_full_build:
        report["profile"] = phase_profile(dataclasses.replace(config))
    print("retrieval...", flush=True)
    report["retrieval"] = bench_retrieval(config)
    if not args.skip_rest:
        print("REST channel (starting an action server and a Rasa server)...", flush=True)
        report["rest"] = bench_rest(config)
    report["load_end"] = load_average()
    print()
    print(render(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
