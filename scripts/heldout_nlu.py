"""Intent-level route accuracy of one NLU model on the held-out questions (Rasa env, no servers).

For comparing NLU designs quickly; `make heldout` (scripts/heldout.py) measures what the whole
assistant does. nlu_fallback counts as a miss here.

    .venv/rasa/bin/python scripts/heldout_nlu.py models/<model>.tar.gz [--split dev]
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation.heldout import INTENT_OF_ROUTE, LANGUAGES, load_questions  # noqa: E402

ROUTE_OF_INTENT = {intent: route for route, intent in INTENT_OF_ROUTE.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--show", action="store_true", help="print the dev split's misses")
    args = parser.parse_args()
    import logging

    import structlog
    # Rasa logs every parse at debug level, with the message text: keep the output to the figures.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.getLogger("rasa").setLevel(logging.WARNING)
    from rasa.core.agent import Agent

    agent = Agent.load(args.model)
    questions = [q for q in load_questions() if args.split == "all" or q.split == args.split]
    hits = collections.defaultdict(list)
    misses = []
    for question in questions:
        parsed = asyncio.run(agent.parse_message(question.text))
        intent = parsed["intent"]["name"]
        route = ROUTE_OF_INTENT.get(intent, intent)
        ok = route == question.route
        hits[question.language].append(ok)
        hits["all"].append(ok)
        if not ok:
            misses.append((question, intent, parsed["intent"]["confidence"]))
    print(f"{Path(args.model).name} on the {args.split} split")
    for language in (*LANGUAGES, "all"):
        values = hits.get(language) or []
        if values:
            print(f"  {language}: {sum(values)}/{len(values)} = {sum(values) / len(values):.3f}")
    if args.show:
        for question, intent, confidence in misses:
            if question.split == "dev":
                print(f"  [{question.language}] {question.route:>14} <- {intent:<22} {confidence:.2f}  {question.text[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
