"""Rasa NLU component: forces the ``emergency`` intent when the lexicon matches.

Placed after the intent classifier and before the FallbackClassifier, so an
emergency is never lost to low confidence or to a neighbouring intent.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.rule_component import RuleComponent
from assistant.safety.emergency import DEFAULT_LEXICON, EmergencyMatcher

EMERGENCY_INTENT = "emergency"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class EmergencyOverride(RuleComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon": str(DEFAULT_LEXICON)}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._matcher = EmergencyMatcher(config.get("lexicon") or DEFAULT_LEXICON)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            match = self._matcher.match(message.get(TEXT) or "")
            if match is None:
                continue
            ranking = [
                entry for entry in (message.get(INTENT_RANKING_KEY) or [])
                if entry.get("name") != EMERGENCY_INTENT
            ]
            forced = {"name": EMERGENCY_INTENT, "confidence": 1.0}
            message.set(INTENT, forced, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [forced] + ranking, add_to_output=True)
            message.set("emergency_match", match.matched_text, add_to_output=True)
        return messages
