"""Decides the conversation's language for the turn that just happened.

Order of precedence, first that applies:
1. a language chosen in the client (widget selector, message metadata);
2. a language the user asked for (intent ``change_language`` naming a language);
3. the language the message is confidently written in;
4. the conversation's current language (a short "ok" or "Merci" keeps it);
5. the best guess for the message (first turn of a conversation);
6. the configured default.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Optional

from assistant.language.detect import SUPPORTED_LANGUAGES

CHANGE_LANGUAGE_INTENT = "change_language"


def _values(entities: Iterable[Mapping], name: str, source: Optional[str] = None):
    for entity in entities or []:
        # Lower-cased because Rasa's EntitySynonymMapper turns "de" into the country code "DE".
        value = str(entity.get("value") or "").lower()
        if entity.get("entity") != name or value not in SUPPORTED_LANGUAGES:
            continue
        if source is None or entity.get("source") == source:
            yield value


def resolve_language(entities: Iterable[Mapping], intent: Optional[str],
                     current: Optional[str], default: str) -> str:
    entities = list(entities or [])
    chosen = next(_values(entities, "language", source="metadata"), None)
    if chosen:
        return chosen
    if intent == CHANGE_LANGUAGE_INTENT:
        requested = next(_values(entities, "requested_language"), None)
        if requested:
            return requested
    detected = next(_values(entities, "language"), None)
    if detected:
        return detected
    if current in SUPPORTED_LANGUAGES:
        return current
    guess = next(_values(entities, "language_guess"), None)
    return guess or default
