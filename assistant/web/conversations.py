"""The live conversations, read from the tracker store Rasa writes (read-only).

Why the tracker store and not a registry of our own: it is where every channel's
conversation already is (the widget's socket.io, REST, `rasa shell`), it survives
restarts, and the widget then talks to Rasa directly instead of through this app.
The store is opened read-only (assistant/tracker_db.py: SQLite ``mode=ro``, a read-only
PostgreSQL session), so the console can never alter a conversation; the only writers
besides Rasa are retention.py and `make erase`. The patient's words are shown masked
(assistant/privacy_redaction.py).
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import List, Optional

from assistant.i18n import LANGUAGES
from assistant.privacy_redaction import redact
from assistant.tracker_db import TrackerDb

PREVIEW_CHARS = 140


@dataclass(frozen=True)
class ConversationSummary:
    sender_id: str
    last_active: float
    messages: int
    last_user_text: str
    language: Optional[str]
    intent: Optional[str]
    emergency: bool
    human_requested: bool

    def as_dict(self) -> dict:
        return asdict(self)


def _language_of(parse_data: dict) -> Optional[str]:
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == "language":
            # EntitySynonymMapper may have turned "nl" into the country code "NL".
            value = str(entity.get("value") or "").lower()
            return value if value in LANGUAGES else None
    return None


def live_conversations(db: TrackerDb, live_hours: float, limit: int = 50,
                       now: Optional[float] = None) -> List[ConversationSummary]:
    """``db``: the tracker store (tracker_db.open_tracker_db), read only as the console reads it."""
    since = (now or time.time()) - live_hours * 3600
    rows = [row for row in db.conversations(active_since=since, limit=limit) if row.messages]
    intents = db.intents(row.sender_id for row in rows)
    summaries = []
    for row in rows:
        last_user = next(iter(db.events(row.sender_id, type_name="user", newest_first=True, limit=1)), None)
        data = last_user.data if last_user else {}
        said = intents.get(row.sender_id, set())
        summaries.append(ConversationSummary(
            sender_id=row.sender_id, last_active=row.last_active, messages=row.messages,
            # Masked before it is cut, so that no half of an identifier is left to show.
            last_user_text=redact(data.get("text") or "")[:PREVIEW_CHARS],
            language=_language_of(data.get("parse_data") or {}),
            intent=last_user.intent_name if last_user else None,
            emergency="emergency" in said, human_requested="ask_human" in said,
        ))
    return summaries
