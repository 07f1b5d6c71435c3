"""`rasa test core --e2e` over tests/conversations (Rasa env; `make conversations`, part of `make test`).

End-to-end: Rasa's NLU reads each user message and must find the story's intent and entities, then the
policies must predict every action. One adjustment: the language detector (assistant/language/) adds
`language`, `language_guess` and `requested_language` as entities spanning the whole message, which a
story cannot annotate; they are left out of the comparison. The other entities (places, countries,
statuses, insurers) are compared as Rasa compares them.

    python scripts/conversation_tests.py --model MODEL [rasa test core options]
"""
from __future__ import annotations

import sys
from pathlib import Path

import rasa.core.test as rasa_test
from rasa.__main__ import main as rasa_main

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from assistant.language.component import EXTRACTOR as LANGUAGE_DETECTOR  # noqa: E402

_clean_entity_results = rasa_test._clean_entity_results


def _without_the_language(text, entity_results):
    return _clean_entity_results(text, [e for e in entity_results if e.get("extractor") != LANGUAGE_DETECTOR])


if __name__ == "__main__":
    rasa_test._clean_entity_results = _without_the_language
    sys.argv = ["rasa", "test", "core", "--stories", "tests/conversations", "--e2e",
                "--fail-on-prediction-errors", *sys.argv[1:]]
    sys.exit(rasa_main())
