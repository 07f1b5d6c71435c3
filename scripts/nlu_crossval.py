"""NLU cross-validation with the deployed pipeline: intent F1 per language.

Run in the Rasa env (`make crossval`). A script, not a test: it prints figures for
the README. Each fold trains the whole NLU pipeline of config.yml on the other
folds and parses the held-out examples through it.

    python scripts/nlu_crossval.py [--folds 3] [--seed 42] [--out results]
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=ROOT / "results",
                        help="folder of crossval.json, crossval_confusion.json, crossval_errors.tsv")
    args = parser.parse_args()

    import logging

    import numpy as np
    import structlog
    from sklearn.metrics import f1_score
    # Rasa logs every parse at debug level, with the message text: keep the output to the figures.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.getLogger("rasa").setLevel(logging.WARNING)
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu
    from rasa.nlu.test import generate_folds
    from rasa.shared.nlu.training_data.loading import load_data

    language_of = {}
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        for example in load_data(str(path)).intent_examples:
            language_of[example.get("text")] = path.stem
    data = load_data(str(ROOT / "data" / "nlu"))
    np.random.seed(args.seed)

    truth, predicted, languages, texts = [], [], [], []
    started = time.time()
    for fold, (train, test) in enumerate(generate_folds(args.folds, data), start=1):
        with tempfile.TemporaryDirectory() as tmp:
            train_file = Path(tmp) / "train.yml"
            train_file.write_text(train.nlu_as_yaml(), encoding="utf-8")
            model = train_nlu(str(ROOT / "config.yml"), str(train_file), tmp,
                              domain=str(ROOT / "domain"))
            agent = Agent.load(model)
            for example in test.intent_examples:
                text = example.get("text")
                parsed = asyncio.run(agent.parse_message(text))
                truth.append(example.get("intent"))
                predicted.append(parsed["intent"]["name"])
                languages.append(language_of.get(text, "?"))
                texts.append(text)
        print(f"fold {fold}/{args.folds} done ({time.time() - started:.0f} s)", flush=True)

    by_language = collections.defaultdict(list)
    for index, language in enumerate(languages):
        by_language[language].append(index)
    print(f"\nIntent classification, {args.folds}-fold cross-validation "
          f"({len(truth)} examples, pipeline of config.yml)")
    print("| language | examples | macro F1 | weighted F1 | accuracy |")
    print("|---|---|---|---|---|")
    figures = {}
    for language in ["fr", "de", "nl", "lb", "en", "all"]:
        idx = range(len(truth)) if language == "all" else by_language.get(language, [])
        t = [truth[i] for i in idx]
        p = [predicted[i] for i in idx]
        if not t:
            continue
        accuracy = sum(a == b for a, b in zip(t, p)) / len(t)
        figures[language] = {"examples": len(t), "macro_f1": round(f1_score(t, p, average="macro"), 3),
                             "weighted_f1": round(f1_score(t, p, average="weighted"), 3),
                             "accuracy": round(accuracy, 3)}
        print(f"| {language} | {len(t)} | {f1_score(t, p, average='macro'):.3f} | "
              f"{f1_score(t, p, average='weighted'):.3f} | {accuracy:.3f} |")
    fallbacks = sum(p == "nlu_fallback" for p in predicted)
    print(f"\nSent to the fallback (asked to rephrase): {fallbacks}/{len(truth)}")
    errors_file = args.out / "crossval_errors.tsv"
    args.out.mkdir(parents=True, exist_ok=True)
    # Read by scripts/heldout.py, which prints these beside the held-out figures.
    (args.out / "crossval.json").write_text(json.dumps(figures, indent=2))
    # The confusion matrix of the report of `make retrain` (assistant/operations/report.py).
    labels = sorted(set(truth) | set(predicted))
    pairs = collections.Counter(zip(truth, predicted))
    (args.out / "crossval_confusion.json").write_text(json.dumps(
        {"labels": labels, "matrix": [[pairs[(t, p)] for p in labels] for t in labels]}))
    with open(errors_file, "w", encoding="utf-8") as out:
        out.write("language\texpected\tpredicted\ttext\n")
        for i, (t, p) in enumerate(zip(truth, predicted)):
            if t != p:
                out.write(f"{languages[i]}\t{t}\t{p}\t{texts[i]}\n")
    print(f"Misclassified examples: {errors_file}")
    emergency = [i for i, t in enumerate(truth) if t == "emergency"]
    missed = [i for i in emergency if predicted[i] != "emergency"]
    print(f"\nEmergency recall: {len(emergency) - len(missed)}/{len(emergency)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
