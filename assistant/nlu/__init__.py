"""Rasa NLU components that run inside the Rasa server (Python 3.10 env): no torch, no heavy imports.

The Rasa server imports this package whenever it loads a model, which makes it the place where
per-process speed-ups of Rasa itself are applied (assistant/rasa_patches.py).
"""
from assistant import rasa_patches  # noqa: F401
