"""assistant/tracker_db.py: the store is the one the Rasa server's endpoints file names, and its
conversations are listed, read and deleted whole. The same on PostgreSQL, written by a real Rasa
server: tests/privacy/test_on_postgres.py; on SQLite written by Rasa: tests/integration/test_retention.py."""
import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.settings import ROOT, load_settings
from assistant.tracker_db import EVENTS, TrackerDb, TrackerDbError, open_tracker_db, store_url

PG = {"POSTGRES_HOST": "db.internal", "POSTGRES_PORT": "5433", "POSTGRES_DB": "rasa",
      "POSTGRES_USER": "rasa", "POSTGRES_PASSWORD": "s3cret"}
DAY = 86400.0


def test_the_default_store_is_the_sqlite_file_rasa_is_given(tmp_path):
    settings = load_settings({"VAR_DIR": str(tmp_path)})
    db = open_tracker_db(settings, environ={})
    assert db.sqlite_path == tmp_path / "tracker.db" and db.describe() == f"SQLite {tmp_path / 'tracker.db'}"
    # Nothing stored yet: no file, and none is created by reading.
    assert db.conversations() == [] and db.delete("x") == 0 and db.delete_idle(30) == 0
    assert not (tmp_path / "tracker.db").exists()


def test_the_production_endpoints_give_postgresql_from_the_environment(tmp_path):
    settings = load_settings({"VAR_DIR": str(tmp_path), "RASA_ENDPOINTS": "endpoints.production.yml"})
    assert settings.endpoints == ROOT / "endpoints.production.yml"
    url = store_url(settings.endpoints, PG)
    assert (url.drivername, url.host, url.port, url.database, url.username, url.password) == \
        ("postgresql", "db.internal", 5433, "rasa", "rasa", "s3cret")
    described = open_tracker_db(settings, environ=PG).describe()
    assert "db.internal:5433/rasa" in described and "s3cret" not in described


def test_a_port_written_in_the_host_is_read_as_rasa_reads_it(tmp_path):
    url = store_url(ROOT / "endpoints.production.yml", dict(PG, POSTGRES_HOST="db.internal:6543"))
    assert (url.host, url.port) == ("db.internal", 6543)


def test_an_unset_variable_or_a_store_rasa_does_not_keep_in_sql_is_refused(tmp_path):
    with pytest.raises(TrackerDbError, match="POSTGRES_PASSWORD"):
        store_url(ROOT / "endpoints.production.yml", {k: v for k, v in PG.items() if k != "POSTGRES_PASSWORD"})
    memory = tmp_path / "endpoints.yml"
    memory.write_text("action_endpoint:\n  url: http://localhost:5055/webhook\n")
    with pytest.raises(TrackerDbError, match="in memory"):
        store_url(memory, {})
    whole = tmp_path / "whole.yml"
    whole.write_text("tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: ${DATABASE_URL}\n")
    assert store_url(whole, {"DATABASE_URL": "postgresql://u:p@h:6543/d"}).port == 6543


def _event(sender, kind, at, intent=None, text=""):
    data = {"event": kind, "timestamp": at, "text": text}
    return {"sender_id": sender, "type_name": kind, "timestamp": at, "intent_name": intent,
            "action_name": None, "data": json.dumps(data)}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "tracker.db"
    store = TrackerDb.sqlite(path)
    EVENTS.metadata.create_all(store.engine)
    now = 1_000 * DAY
    with store.engine.begin() as connection:
        connection.execute(sa.insert(EVENTS), [
            _event("idle", "user", now - 40 * DAY, "greet", "Moien"), _event("idle", "bot", now - 40 * DAY),
            _event("back", "user", now - 40 * DAY, "greet", "Hallo"), _event("back", "user", now - DAY, "emergency"),
            _event("fresh", "action", now - 60, None), _event("fresh", "user", now - 50, "ask_human", "Hilfe"),
        ])
    yield store, now
    store.close()


def test_conversations_events_and_intents(db):
    store, now = db
    listed = store.conversations()
    assert [(c.sender_id, c.events, c.messages) for c in listed] == [("fresh", 2, 1), ("back", 2, 2), ("idle", 2, 2)]
    assert [c.sender_id for c in store.conversations(active_since=now - 2 * DAY, limit=1)] == ["fresh"]
    assert [e.type_name for e in store.events("fresh")] == ["action", "user"]
    assert store.events("back", type_name="user", newest_first=True, limit=1)[0].intent_name == "emergency"
    assert store.events("idle")[0].data["text"] == "Moien"
    assert store.intents(["back", "fresh", "nobody"]) == {"back": {"greet", "emergency"}, "fresh": {"ask_human"}}


def test_idle_conversations_are_deleted_whole_and_recent_ones_kept(db):
    store, now = db
    assert store.delete_idle(30, now=now) == 1
    assert {c.sender_id for c in store.conversations()} == {"back", "fresh"}
    assert len(store.events("back")) == 2          # its old message goes only with the whole conversation
    assert store.delete_idle(30, now=now + 100 * DAY) == 2 and store.conversations() == []


def test_one_conversation_is_deleted_and_a_dry_run_only_counts(db):
    store, _ = db
    assert store.delete("back", dry_run=True) == 2 and len(store.events("back")) == 2
    assert store.delete("back") == 2 and store.events("back") == [] and store.delete("back") == 0
    assert {c.sender_id for c in store.conversations()} == {"idle", "fresh"}


def test_the_read_only_store_cannot_write(db):
    store, _ = db
    reader = TrackerDb.sqlite(Path(store.sqlite_path), read_only=True)
    assert len(reader.conversations()) == 3
    with pytest.raises(sa.exc.OperationalError, match="readonly"):
        reader.delete("idle")
    reader.close()
    assert len(sqlite3.connect(store.sqlite_path).execute("SELECT * FROM events").fetchall()) == 6
