"""What the dialogue does with a message, in pure Python (no Rasa imports): slot values and their
types, the facts a message gives (mining), what to answer or ask next, and the "what I understood" line.
The thin actions in actions/ call these; tests check them without a tracker."""
