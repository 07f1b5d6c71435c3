"""python -m assistant.operations retrain|rollback|report (`make retrain`, `make rollback`).

    retrain [--folds N] [--remeasure]
                          validate, train and index a candidate, evaluate it against what is in service,
                          promote it only if no figure fell beyond its tolerance (config/retrain.yml);
                          --remeasure: measure what is in service again rather than use its recorded figures
    rollback              back to the model and index in service before the last promotion
    report [RUN]          draw the report of a run again (default: the latest) and print its path
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import List, Optional

from assistant.operations import retrain as commands


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.operations", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["retrain", "rollback", "report"])
    parser.add_argument("run", nargs="?", help="report: the run's folder name under reports/ (default: latest)")
    parser.add_argument("--folds", type=int, help="cross-validation folds (default: config/retrain.yml)")
    parser.add_argument("--remeasure", action="store_true", help="retrain: measure what is in service again")
    args = parser.parse_args(argv)
    config = commands.load_config()
    if args.folds:
        config = dataclasses.replace(config, folds=args.folds)
    if args.command == "report":
        run_dir = (config.reports_dir / (args.run or "latest")).resolve()
        if not (run_dir / "run.json").exists():
            print(f"no run in {run_dir}")
            return 1
        print(commands.render_report(config, run_dir))
        return 0
    deployment = commands.default_deployment()
    try:
        with commands.exclusive(config):
            if args.command == "retrain":
                return commands.retrain(config, deployment, remeasure=args.remeasure)
            return commands.rollback(config, deployment)
    except commands.Busy as error:
        print(error)
        return 1


if __name__ == "__main__":
    sys.exit(main())
