"""Every reply exists in all five languages."""
import re
from pathlib import Path

import pytest

from assistant.dialogue.domain import load_domain
from assistant.i18n import LANGUAGES, catalogue, catalogue_names

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = load_domain()
RESPONSES = DOMAIN["responses"]


def language_of(variation):
    for condition in variation.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == "language":
            return condition.get("value")
    return None


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_each_domain_response_has_one_variation_per_language(name):
    languages = [language_of(v) for v in RESPONSES[name] if language_of(v)]
    assert sorted(languages) == sorted(LANGUAGES), f"{name}: {languages}"
    for variation in RESPONSES[name]:
        assert (variation.get("text") or "").strip(), f"{name} has an empty text"


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_buttons_do_the_same_thing_in_every_language(name):
    payloads = {
        language_of(v): [b["payload"] for b in v.get("buttons") or []]
        for v in RESPONSES[name] if language_of(v)
    }
    assert len({tuple(p) for p in payloads.values()}) == 1, payloads


def test_the_emergency_reply_starts_with_112_in_every_language_and_without_one():
    for variation in RESPONSES["utter_emergency"]:
        first_line = variation["text"].strip().splitlines()[0]
        assert "112" in first_line, variation
    # When the language is not known yet, the reply still says 112 in all five languages.
    unconditioned = [v for v in RESPONSES["utter_emergency"] if not v.get("condition")]
    assert len(unconditioned) == 1
    assert unconditioned[0]["text"].count("112") >= 5


def test_responses_used_in_rules_and_forms_exist():
    texts = (ROOT / "data" / "rules.yml").read_text() + (ROOT / "data" / "stories.yml").read_text()
    used = set(re.findall(r"\butter_\w+", texts))
    for form in DOMAIN["forms"].values():
        used |= {f"utter_ask_{slot}" for slot in form["required_slots"]}
    missing = sorted(u for u in used if u not in RESPONSES)
    assert not missing


@pytest.mark.parametrize("name", catalogue_names())
def test_each_action_template_has_every_language(name):
    for key, variants in catalogue(name).items():
        assert isinstance(variants, dict), f"{name}.{key}"
        missing = [lang for lang in LANGUAGES if not (variants.get(lang) or "").strip()]
        assert not missing, f"{name}.{key} lacks {missing}"
