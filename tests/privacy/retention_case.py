"""The retention check, the same on every tracker store: two conversations through a real Rasa server,
forty days pass for one of them (its events moved back in time, as Rasa wrote them), and retention
deletes it whole, from the store, Rasa's tracker and the console's list, and keeps the other going.
Used by tests/integration/test_retention.py (SQLite) and tests/privacy/test_on_postgres.py (PostgreSQL)."""
import uuid
from typing import Callable

import sqlalchemy as sa

from assistant.tracker_db import EVENTS, TrackerDb
from assistant.web.retention import purge_idle_conversations

DAY = 86400


def check_retention(store: TrackerDb, assistant, listed: Callable[[], set]) -> None:
    """``assistant``: send() and tracker() through the real Rasa server; ``listed``: the console's list,
    over a window longer than forty days (so that only retention can take the idle one off it)."""
    idle, recent = f"idle-{uuid.uuid4().hex[:10]}", f"recent-{uuid.uuid4().hex[:10]}"
    assistant.send(idle, "Ech wunnen zu Arel an schaffen zu Lëtzebuerg, wou sinn ech versécheret?")
    assistant.send(recent, "Ik woon in Maastricht en werk in Aken, waar ben ik verzekerd?")
    assert store.events(idle) and store.events(recent) and {idle, recent} <= listed()
    with store.engine.begin() as connection:
        connection.execute(sa.update(EVENTS).where(EVENTS.c.sender_id == idle)
                           .values(timestamp=EVENTS.c.timestamp - 40 * DAY))
    assert idle in listed()

    assert purge_idle_conversations(store, 30) == 1
    assert store.events(idle) == [] and store.events(recent)
    assert not [e for e in assistant.tracker(idle)["events"] if e["event"] in ("user", "bot")]
    assert idle not in listed() and recent in listed()
    assert assistant.send(recent, "En als ik twee dagen per week thuiswerk?")
