"""Retention (assistant/web/retention.py) on the SQLite tracker store a real Rasa server wrote: the
conversations idle for more than the retention period are deleted whole, the others kept
(tests/privacy/retention_case.py); on PostgreSQL: tests/privacy/test_on_postgres.py."""
import pytest

from assistant.tracker_db import open_tracker_db
from assistant.web.conversations import live_conversations
from tests.privacy.retention_case import check_retention

pytestmark = pytest.mark.integration


def test_conversations_idle_beyond_the_retention_period_are_deleted(assistant):
    store = open_tracker_db(assistant.settings)
    assert store.sqlite_path == assistant.settings.tracker_db      # the file Rasa was given
    # Every conversation of the last 100 days: the other integration tests write many to this store.
    check_retention(store, assistant,
                    lambda: {c.sender_id for c in live_conversations(store, live_hours=100 * 24, limit=100_000)})
    store.close()
