"""Deletes conversations idle for longer than the retention period the privacy notice promises.

Whole conversations only (every event of a sender whose last event is older than
the limit), so that Rasa never sees a half-deleted tracker.
"""
from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Optional


def purge_idle_conversations(db_path: Path, retention_days: float, now: Optional[float] = None) -> int:
    """Delete the events of conversations idle for more than ``retention_days``; return how many."""
    if retention_days <= 0 or not db_path.exists():
        return 0
    horizon = (now or time.time()) - retention_days * 86400
    with closing(sqlite3.connect(db_path, timeout=10.0)) as connection:
        try:
            with connection:
                idle = [row[0] for row in connection.execute(
                    "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < ?", (horizon,))]
                for start in range(0, len(idle), 500):
                    chunk = idle[start:start + 500]
                    connection.execute(
                        f"DELETE FROM events WHERE sender_id IN ({','.join('?' * len(chunk))})", chunk)
        except sqlite3.OperationalError:   # no table yet, or Rasa holds the lock: next round
            return 0
    return len(idle)
