"""Deletes conversations idle for longer than the retention period the privacy notice promises.

Whole conversations only (every event of a sender whose last event is older than the limit), so
that Rasa never sees a half-deleted tracker; in the tracker store the Rasa server writes, SQLite or
PostgreSQL (assistant/tracker_db.py).
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy.exc import OperationalError

from assistant.tracker_db import TrackerDb


def purge_idle_conversations(db: TrackerDb, retention_days: float, now: Optional[float] = None) -> int:
    """Delete the events of conversations idle for more than ``retention_days``; return how many.
    ``db``: the tracker store (tracker_db.open_tracker_db)."""
    if retention_days <= 0:
        return 0
    try:
        return db.delete_idle(retention_days, now)
    except OperationalError as error:
        # SQLite: Rasa held the file's lock beyond the timeout; the next round deletes them. Anything
        # else (PostgreSQL unreachable) is raised, for the web app to log.
        if db.sqlite_path is not None and "locked" in str(error):
            return 0
        raise
