"""Cross-border healthcare assistant: the product's own Python.

Modules here must stay importable from both environments (the Rasa server's
Python 3.10 env and the action server's Python 3.11 env), so only the Rasa
components (``*/component.py``) may import ``rasa``.
"""
