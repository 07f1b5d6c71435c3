"""Load benchmark: the assistant beside `rasa init`'s sample bot, same machine, same run.

Run in the actions env (`make loadtest`). It starts the assistant (newest model, ports LOADTEST_RASA_PORT /
LOADTEST_ACTIONS_PORT, a throwaway var dir) and the sample bot (built once into build/samplebot with the
project's own Rasa env, served on LOADTEST_SAMPLE_PORT), then for each number of users (default 1, 8
and 20) lets every user hold a 10-turn conversation through the REST channel, and measures a 60-turn
conversation of one user to see how a turn's cost grows with the tracker. It prints turns/s,
p50/p95/p99 per kind of turn, errors, the peak resident memory of every service, and the ratios to
the sample bot. A script that prints figures, not a test: these machines are noisy, and the figures
only mean something beside the sample bot's of the same run.

    python scripts/loadtest.py [--users 1 8 20] [--turns 10] [--long 60]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.services import RASA_BIN, Service, ServiceError, port_in_use, scratch_group  # noqa: E402

RESULTS = ROOT / "results"
SAMPLE_DIR = ROOT / "build" / "samplebot"

# What people send, per kind of turn and language. The questions and situations are no NLU training
# examples; greetings and thanks are short and common, so some are.
ASSISTANT_TURNS: Dict[str, Dict[str, List[str]]] = {
    "greeting": {
        "fr": ["Bonjour !", "Salut, j'ai une question"], "de": ["Guten Tag", "Hallo zusammen"],
        "nl": ["Goedemiddag", "Hoi daar"], "lb": ["Moien", "Gudde Mëtteg"], "en": ["Good afternoon", "Hey there"],
    },
    "knowledge": {
        "fr": ["Qu'est-ce que la ZOAST Ardennes permet aux patients ?", "À quoi sert le formulaire S2 ?"],
        "de": ["Wofür brauche ich das Formular S1?", "Was regelt die Richtlinie 2011/24 für Patienten?"],
        "nl": ["Wat is het doel van het project MOSAICS?", "Waarvoor dient het formulier S2?"],
        "lb": ["Wat ass de Formulaire S1?", "Wat mécht de Projet WaLuxSanté?"],
        "en": ["What does the European health insurance card cover?", "What is the S2 form used for?"],
    },
    "insurer": {
        "fr": ["J'habite à Longwy et je travaille au Luxembourg, qui est ma caisse ?"],
        "de": ["Ich wohne in Saarlouis und arbeite in Metz, welche Kasse ist zuständig?"],
        "nl": ["Ik woon in Maastricht en werk in Aken, waar ben ik verzekerd?"],
        "lb": ["Ech wunnen zu Arel a schaffen zu Lëtzebuerg, wou sinn ech versécheert?"],
        "en": ["I live in Thionville and work in Luxembourg, which insurer covers me?"],
    },
    "facility": {
        "fr": ["Quel hôpital belge le plus proche de Givet puis-je utiliser ?"],
        "de": ["Welches Krankenhaus in der Nähe von Saarbrücken darf ich in Frankreich nutzen?"],
        "nl": ["Welk ziekenhuis dicht bij Kerkrade mag ik in Duitsland gebruiken?"],
        "lb": ["Wéi ee Spidol bei Esch kann ech a Frankräich benotzen?"],
        "en": ["Which hospital near Maubeuge can I use in Belgium?"],
    },
    "thanks": {
        "fr": ["Merci beaucoup"], "de": ["Vielen Dank"], "nl": ["Dank je wel"], "lb": ["Merci villmools"],
        "en": ["Thanks a lot"],
    },
}
# Ten turns: greetings, questions and both lookups, then thanks.
CONVERSATION = ("greeting", "knowledge", "insurer", "knowledge", "facility", "greeting", "knowledge",
                "insurer", "knowledge", "thanks")
SAMPLE_TURNS = {"greeting": ["hello there", "hey"], "knowledge": ["I am feeling great", "I'm sad"],
                "insurer": ["are you a bot?"], "facility": ["yes"], "thanks": ["goodbye"]}
LANGUAGES = ("fr", "de", "nl", "lb", "en")


@dataclass
class Turn:
    kind: str
    seconds: float
    ok: bool


@dataclass
class Bot:
    name: str
    url: str
    turns: Dict[str, Dict[str, List[str]]]
    pids: List[int] = field(default_factory=list)

    def message(self, kind: str, language: str, index: int) -> str:
        variants = self.turns[kind]
        choices = variants.get(language) if isinstance(variants, dict) else variants
        return choices[index % len(choices)]


def post_turn(client: httpx.Client, bot: Bot, sender: str, kind: str, text: str) -> Turn:
    started = time.perf_counter()
    try:
        response = client.post(f"{bot.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                               timeout=120)
        ok = response.status_code == 200 and bool(response.json())
    except (httpx.HTTPError, ValueError):     # no answer, or not JSON: an error of this turn
        ok = False
    return Turn(kind, time.perf_counter() - started, ok)


def conversation(bot: Bot, user: int, turns: int) -> List[Turn]:
    language = LANGUAGES[user % len(LANGUAGES)]
    sender = f"load-{bot.name}-{uuid.uuid4().hex[:10]}"
    kinds = itertools.islice(itertools.cycle(CONVERSATION), turns)
    with httpx.Client() as client:
        return [post_turn(client, bot, sender, kind, bot.message(kind, language, i)) for i, kind in enumerate(kinds)]


class PeakMemory:
    """Samples the resident memory of each service's process tree every 100 ms."""

    def __init__(self, services: Dict[str, int]) -> None:
        self.services, self.peak = services, {name: 0 for name in services}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def tree_rss(pid: int) -> int:
        try:
            root = psutil.Process(pid)
            return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
        except psutil.Error:
            return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.services.items():
                self.peak[name] = max(self.peak[name], self.tree_rss(pid))
            time.sleep(0.1)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def percentile(values: List[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summarise(turns: List[Turn], wall: float) -> dict:
    kinds = sorted({t.kind for t in turns}) + ["all"]
    per_kind = {}
    for kind in kinds:
        times = [t.seconds * 1000 for t in turns if kind == "all" or t.kind == kind]
        per_kind[kind] = {q: round(percentile(times, int(q[1:])), 1) for q in ("p50", "p95", "p99")}
    return {"turns": len(turns), "errors": sum(not t.ok for t in turns), "turns_per_s": round(len(turns) / wall, 1),
            "ms": per_kind}


def load(bot: Bot, users: int, turns: int) -> dict:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        results = list(pool.map(lambda user: conversation(bot, user, turns), range(users)))
    return summarise([t for r in results for t in r], time.perf_counter() - started)


def growth(bot: Bot, turns: int) -> dict:
    """A greeting's latency at the start and at the end of one long conversation."""
    with httpx.Client() as client:
        sender = f"long-{bot.name}-{uuid.uuid4().hex[:10]}"
        series = [post_turn(client, bot, sender, kind, bot.message(kind, "en", i))
                  for i, kind in enumerate(itertools.islice(itertools.cycle(CONVERSATION), turns))]
    greetings = [(i, t.seconds * 1000) for i, t in enumerate(series) if t.kind == "greeting"]
    first = statistics.median([ms for i, ms in greetings if i < turns / 3])
    last = statistics.median([ms for i, ms in greetings if i >= 2 * turns / 3])
    return {"first_ms": round(first, 1), "last_ms": round(last, 1), "turns": turns}


def sample_bot(port: str) -> Service:
    """`rasa init`'s sample bot, built once with the project's Rasa env and served bare (no action server)."""
    env = service_environment_for_sample()
    models = SAMPLE_DIR / "models"
    if not any(models.glob("*.tar.gz")):
        print("building rasa init's sample bot (once) ...", flush=True)
        SAMPLE_DIR.mkdir(parents=True, exist_ok=True)
        with open(SAMPLE_DIR / "build.log", "wb") as log:
            subprocess.run([str(RASA_BIN), "init", "--no-prompt", "--init-dir", str(SAMPLE_DIR)], cwd=SAMPLE_DIR,
                           env=env, check=True, stdout=log, stderr=subprocess.STDOUT)
    # Its own endpoints and credentials: services start in the project's directory.
    return Service(name="sample bot", argv=[str(RASA_BIN), "run", "--model", str(models), "--port", port,
                                            "--interface", "127.0.0.1", "--enable-api",
                                            "--endpoints", str(SAMPLE_DIR / "endpoints.yml"),
                                            "--credentials", str(SAMPLE_DIR / "credentials.yml")],
                   env=env, health_url=f"http://127.0.0.1:{port}/status", log_path=SAMPLE_DIR / "serve.log")


def service_environment_for_sample() -> dict:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    env.pop("PYTHONPATH", None)
    return env


def ratio(a: Optional[float], b: Optional[float]) -> str:
    return "-" if not a or not b else f"{a / b:.2f}x"


def report(results: dict) -> None:
    mine, sample = results["assistant"], results["sample_bot"]
    print(f"\nmachine: {results['machine']}")
    print("\n| users | bot | turns/s | errors | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for users in results["users"]:
        for name, data in (("assistant", mine), ("sample bot", sample)):
            run = data["load"][str(users)]
            ms = run["ms"]["all"]
            print(f"| {users} | {name} | {run['turns_per_s']} | {run['errors']} | {ms['p50']} | {ms['p95']} | "
                  f"{ms['p99']} |")
    print("\nassistant, per kind of turn (ms, p50 / p95 / p99):")
    for users in results["users"]:
        kinds = mine["load"][str(users)]["ms"]
        print(f"  {users} users: " + "; ".join(f"{k} {v['p50']}/{v['p95']}/{v['p99']}" for k, v in kinds.items()
                                            if k != "all"))
    one = str(min(results["users"]))
    print(f"\nratios: p95 one user {ratio(mine['load'][one]['ms']['all']['p95'], sample['load'][one]['ms']['all']['p95'])} "
          "of the sample bot's (target <= 2.5x)")
    for users in results["users"]:
        mine_rate, sample_rate = mine["load"][str(users)]["turns_per_s"], sample["load"][str(users)]["turns_per_s"]
        print(f"        {users} users: {mine_rate} turns/s = {ratio(mine_rate, sample_rate)} of the sample bot's")
    for name, data in (("assistant", mine), ("sample bot", sample)):
        g = data["growth"]
        print(f"growth over {g['turns']} turns, greeting turn, {name}: {g['first_ms']} -> {g['last_ms']} ms")
    print("peak resident memory during the run (MB): " +
          ", ".join(f"{k} {v}" for k, v in results["peak_rss_mb"].items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 8, 20])
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--long", type=int, default=60)
    args = parser.parse_args()
    try:
        group = scratch_group(os.environ.get("LOADTEST_RASA_PORT", "25105"),
                              os.environ.get("LOADTEST_ACTIONS_PORT", "25155"), "loadtest",
                              web_port=os.environ.get("LOADTEST_WEB_PORT", "25180"))
    except ServiceError as error:
        print(f"{error}: set LOADTEST_RASA_PORT / LOADTEST_ACTIONS_PORT / LOADTEST_WEB_PORT")
        return 1
    sample_port = os.environ.get("LOADTEST_SAMPLE_PORT", "25205")
    if port_in_use("127.0.0.1", int(sample_port)):
        print(f"port {sample_port} is busy: set LOADTEST_SAMPLE_PORT")
        return 1
    sample = sample_bot(sample_port)
    results = {"machine": f"{platform.node()}, {os.cpu_count()} CPU, "
                          f"{round(psutil.virtual_memory().total / 2**30)} GB RAM, load {os.getloadavg()[0]:.1f}",
               "users": args.users}
    print(f"starting the assistant ({group.model.name}) and the sample bot ...", flush=True)
    try:
        group.start()
        sample.start()
        sample.wait_healthy(group.settings.startup_timeout_s)
        bots = [Bot("assistant", group.settings.rasa_url, ASSISTANT_TURNS),
                Bot("sample_bot", sample.health_url.removesuffix("/status"), SAMPLE_TURNS)]
        processes = {service.name: service.process.pid for service in (*group.services, sample)}
        with PeakMemory(processes) as memory:
            for bot in bots:
                conversation(bot, 0, 3)     # warm-up: first-call costs are not what is measured
                data = results.setdefault(bot.name, {"load": {}})
                for users in args.users:
                    print(f"{bot.name}: {users} users x {args.turns} turns ...", flush=True)
                    data["load"][str(users)] = load(bot, users, args.turns)
                data["growth"] = growth(bot, args.long)
        results["peak_rss_mb"] = {name: round(rss / 2**20) for name, rss in memory.peak.items()}
    finally:
        sample.stop()
        group.stop()
        shutil.rmtree(group.settings.var_dir, ignore_errors=True)   # its throwaway tracker store and logs
    report(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "loadtest.json").write_text(json.dumps(results, indent=2))
    print(f"\nfigures: {RESULTS / 'loadtest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
