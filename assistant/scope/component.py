"""Rasa NLU component: when the intent model hesitates between "out of scope" and a question, the
words of the field or of a near-domain subject decide (assistant/scope/terms.py).

Placed after the intent classifier and before the emergency override and the FallbackClassifier.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.rule_component import RuleComponent
from assistant.scope.terms import DEFAULT_TERMS, ScopeTerms


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class OutOfScopeGuard(RuleComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # None: the project's file, found from this module (a path stored in the model would tie
        # it to the checkout it was trained in).
        return {"terms": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._terms = ScopeTerms(config.get("terms") or DEFAULT_TERMS)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            ranking = self._terms.reroute(text, message.get(INTENT_RANKING_KEY) or [])
            if ranking is None:
                continue
            message.set(INTENT, {"name": ranking[0]["name"], "confidence": ranking[0]["confidence"]},
                        add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            # The words that decided, for the logs and the agent console.
            message.set("scope_term", self._terms.field_term(text) or self._terms.near_domain_subject(text),
                        add_to_output=True)
        return messages
