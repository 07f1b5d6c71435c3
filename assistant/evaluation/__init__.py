"""How the assistant is measured on questions it was not trained on (pure Python, no Rasa imports)."""
