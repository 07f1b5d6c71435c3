"""The language a client chose, read from a message's metadata.

The web widget sends ``{"customData": {"language": "nl"}}``; other clients may
send ``{"language": "nl"}``. Anything else is ignored.
"""
from __future__ import annotations

from typing import Any, Optional

from assistant.language.detect import SUPPORTED_LANGUAGES


def language_from_metadata(metadata: Any) -> Optional[str]:
    if not isinstance(metadata, dict):
        return None
    for container in (metadata.get("customData"), metadata):
        if isinstance(container, dict):
            value = container.get("language")
            if isinstance(value, str) and value.strip().lower() in SUPPORTED_LANGUAGES:
                return value.strip().lower()
    return None
