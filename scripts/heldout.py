"""Route accuracy on the held-out questions, per language, beside the NLU cross-validation F1.

Run in the actions env (`make heldout`). Each question is sent as the first message of a new
conversation through the REST channel of a real Rasa server and action server (started here on
HELDOUT_RASA_PORT / HELDOUT_ACTIONS_PORT with the newest model or --model, unless --rasa-url is
given), and the tracker says what the assistant did. A script, not a test: it prints figures for the README.

Only the `dev` split's failures are written out (results/heldout_dev_errors.tsv): the `test` split is
scored, never read to tune anything.

    python scripts/heldout.py [--rasa-url URL --token TOKEN | --model FILE] [--split dev|test|all] [--out DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation.heldout import LANGUAGES, SPLITS, Outcome, confusions, figures, load_questions, route_from_events  # noqa: E402

RESULTS = ROOT / "results"


def _post(url: str, body: dict, timeout: float = 120) -> list:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def _get(url: str, timeout: float = 60) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def ask(rasa_url: str, token: str, question) -> Outcome:
    sender = f"heldout-{question.language}-{question.line}-{uuid.uuid4().hex[:8]}"
    replies = _post(f"{rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": question.text})
    tracker = _get(f"{rasa_url}/conversations/{sender}/tracker?token={token}")
    route, intent, confidence = route_from_events(tracker.get("events") or [])
    slots = tracker.get("slots") or {}
    return Outcome(question, route, intent, confidence, slots.get("language"), slots,
                   [r.get("text") or "" for r in replies])


def _pct(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def report(outcomes, crossval: dict) -> dict:
    print("\nHeld-out questions (never trained on): route accuracy, first message of a conversation")
    print("| language | test n | test route acc. | dev n | dev route acc. | entities (all) | reply language | "
          "cross-val macro F1 |")
    print("|---|---|---|---|---|---|---|---|")
    table = {}
    for language in (*LANGUAGES, "all"):
        mine = [o for o in outcomes if language == "all" or o.question.language == language]
        test = figures(o for o in mine if o.question.split == "test")
        dev = figures(o for o in mine if o.question.split == "dev")
        every = figures(mine)
        f1 = (crossval.get(language) or {}).get("macro_f1")
        table[language] = {"test": test.__dict__, "dev": dev.__dict__, "all": every.__dict__, "crossval_f1": f1}
        print(f"| {language} | {test.n} | {_pct(test.route_accuracy)} | {dev.n} | {_pct(dev.route_accuracy)} | "
              f"{_pct(every.entity_accuracy)} | {_pct(every.language_accuracy)} | {_pct(f1)} |")
    real = figures(o for o in outcomes if o.question.origin == "real")
    written = figures(o for o in outcomes if o.question.origin == "written")
    print(f"\nreal questions: {real.n}, route accuracy {_pct(real.route_accuracy)}; "
          f"written: {written.n}, {_pct(written.route_accuracy)}")
    # What the mixed-answer rule adds, so that the stricter figure (first action only) can be read beside it.
    credited = {split: sum(o.route == "knowledge+insurer" and o.question.route == "insurer"
                           and o.question.split == split for o in outcomes) for split in SPLITS}
    mixed = sum(o.route == "knowledge+insurer" for o in outcomes)
    print(f"mixed answers (passage after the personal insurer result): {mixed}; counted right only because of it "
          f"(insurer questions): test {credited['test']}, dev {credited['dev']}")
    for split in ("test", "dev"):
        counts = confusions(o for o in outcomes if o.question.split == split)
        if counts:
            print(f"\nConfusions ({split}): expected -> got")
            for (expected, got), count in counts.items():
                print(f"  {expected:>14} -> {got:<14} {count}")
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rasa-url")
    parser.add_argument("--token")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", type=Path, help="the model to serve (default: the newest in models/)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder of heldout.json and the dev errors")
    args = parser.parse_args()

    questions = [q for q in load_questions() if args.split == "all" or q.split == args.split]
    group = None
    if args.rasa_url:
        rasa_url, token = args.rasa_url.rstrip("/"), args.token or ""
    else:
        from assistant.services import ServiceError, scratch_group
        try:
            group = scratch_group(os.environ.get("HELDOUT_RASA_PORT", "25005"),
                                  os.environ.get("HELDOUT_ACTIONS_PORT", "25055"), "heldout", model=args.model)
        except ServiceError as error:
            print(f"{error}: set HELDOUT_RASA_PORT / HELDOUT_ACTIONS_PORT")
            return 1
        print(f"starting the services with {group.model.name} ...", flush=True)
        group.start()
        rasa_url, token = group.settings.rasa_url, group.token
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            outcomes = list(pool.map(lambda q: ask(rasa_url, token, q), questions))
        print(f"{len(outcomes)} questions in {time.monotonic() - started:.0f} s")
    finally:
        if group is not None:
            group.stop()
            shutil.rmtree(group.settings.var_dir, ignore_errors=True)   # its throwaway tracker store

    # The cross-validation of the same run when there is one (make retrain writes both into --out).
    crossval_file = args.out / "crossval.json" if (args.out / "crossval.json").exists() else RESULTS / "crossval.json"
    crossval = json.loads(crossval_file.read_text()) if crossval_file.exists() else {}
    table = report(outcomes, crossval)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "heldout.json").write_text(json.dumps(table, indent=2))
    with open(args.out / "heldout_dev_errors.tsv", "w", encoding="utf-8") as out:
        out.write("language\texpected\tgot\tintent\tconfidence\tentities (expected: ok?)\ttext\treply\n")
        for o in outcomes:
            wrong_entities = {k: v for k, v in o.entity_results().items() if not v}
            if o.question.split != "dev" or (o.route_ok and not wrong_entities):
                continue
            details = {k: [o.question.entities[k], o.slots.get(k)] for k in o.question.entities}
            reply = " | ".join(o.replies)[:300].replace("\n", " ")
            out.write(f"{o.question.language}\t{o.question.route}\t{o.route}\t{o.intent}\t{o.confidence:.2f}\t"
                      f"{json.dumps(details, ensure_ascii=False)}\t{o.question.text}\t{reply}\n")
    print(f"\ndev split failures: {args.out / 'heldout_dev_errors.tsv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
