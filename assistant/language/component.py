"""Rasa NLU component: tags every user message with its language.

It adds three entities that the ``language`` slot's custom mapping
(``action_validate_slot_mappings``, actions/slot_mappings.py) turns into the conversation's language:

- ``language``: the language to switch to now, either chosen in the widget
  (metadata ``customData.language``) or detected with confidence;
- ``language_guess``: the best guess even for "ok" or "Hallo", used only when the
  conversation has no language yet;
- ``requested_language``: a language the message names ("auf Französisch bitte"),
  which counts only when the intent is ``change_language``.

Nothing is added at training time: these entities are never annotated, so DIET
must not learn them.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.language.detect import DEFAULT_LEXICON
from assistant.language.detect import LanguageDetector as Detector
from assistant.language.metadata import language_from_metadata
from assistant.nlu.rule_component import RuleComponent

EXTRACTOR = "LanguageDetector"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class LanguageDetector(RuleComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon": str(DEFAULT_LEXICON)}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._detector = Detector(config.get("lexicon") or DEFAULT_LEXICON)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = list(message.get(ENTITIES) or [])
            entities.extend(self._entities_for(message))
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _entities_for(self, message: Message) -> List[Dict[Text, Any]]:
        text = message.get(TEXT) or ""
        found: List[Dict[Text, Any]] = []
        chosen = language_from_metadata(message.get("metadata"))
        detection = self._detector.detect(text)
        if chosen:
            found.append(_entity("language", chosen, 1.0, text, source="metadata"))
        elif detection.confident:
            found.append(_entity("language", detection.language, detection.confidence, text,
                                 source=detection.source))
        if detection.language:
            found.append(_entity("language_guess", detection.language, detection.confidence,
                                 text, source=detection.source))
        for requested in self._detector.requested_languages(text):
            found.append(_entity("requested_language", requested, 1.0, text, source="name"))
        return found


def _entity(name: str, value: str, confidence: float, text: str,
            source: Optional[str] = None) -> Dict[Text, Any]:
    return {
        "entity": name,
        "value": value,
        "start": 0,
        "end": len(text),
        "confidence_entity": confidence,
        "extractor": EXTRACTOR,
        "source": source,
    }
