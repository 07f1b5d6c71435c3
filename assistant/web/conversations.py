"""The live conversations, read from Rasa's SQLite tracker store (read-only).

Why the tracker store and not a registry of our own: it is where every channel's
conversation already is (the widget's socket.io, REST, `rasa shell`), it survives
restarts, and the widget then talks to Rasa directly instead of through this app.
The database is opened read-only (``mode=ro``), so the console can never alter a
conversation; the only writer besides Rasa is retention.py.
"""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import List, Optional

from assistant.i18n import LANGUAGES


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


def _connect(db_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=2.0)
    connection.row_factory = sqlite3.Row
    return connection


def _language_of(parse_data: dict) -> Optional[str]:
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == "language":
            # EntitySynonymMapper may have turned "nl" into the country code "NL".
            value = str(entity.get("value") or "").lower()
            return value if value in LANGUAGES else None
    return None


def live_conversations(db_path: Path, live_hours: float, limit: int = 50,
                       now: Optional[float] = None) -> List[ConversationSummary]:
    if not db_path.exists():
        return []
    since = (now or time.time()) - live_hours * 3600
    try:
        connection = _connect(db_path)
    except sqlite3.OperationalError:
        return []
    with closing(connection):
        try:
            rows = connection.execute(
                "SELECT sender_id, MAX(timestamp) AS last_active, "
                "SUM(type_name IN ('user', 'bot')) AS messages, "
                "SUM(type_name = 'user' AND intent_name = 'emergency') AS emergencies, "
                "SUM(type_name = 'user' AND intent_name = 'ask_human') AS human "
                "FROM events GROUP BY sender_id HAVING MAX(timestamp) >= ? "
                "ORDER BY last_active DESC LIMIT ?", (since, limit)).fetchall()
        except sqlite3.OperationalError:   # Rasa has not created its table yet
            return []
        summaries = []
        for row in rows:
            last_user = connection.execute(
                "SELECT intent_name, data FROM events WHERE sender_id = ? AND type_name = 'user' "
                "ORDER BY id DESC LIMIT 1", (row["sender_id"],)).fetchone()
            data = json.loads(last_user["data"]) if last_user else {}
            summaries.append(ConversationSummary(
                sender_id=row["sender_id"], last_active=row["last_active"] or 0.0,
                messages=int(row["messages"] or 0), last_user_text=(data.get("text") or "")[:140],
                language=_language_of(data.get("parse_data") or {}),
                intent=last_user["intent_name"] if last_user else None,
                emergency=bool(row["emergencies"]), human_requested=bool(row["human"]),
            ))
    return [s for s in summaries if s.messages]
