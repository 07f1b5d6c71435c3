"""Erasure of one conversation (assistant/privacy.py) on the tracker store (SQLite) and logs of the real
servers; on PostgreSQL: tests/privacy/test_on_postgres.py."""
import os
import subprocess
import uuid

import pytest

from assistant.services import ACTIONS_PYTHON
from assistant.tracker_db import open_tracker_db
from assistant.web.conversations import live_conversations
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.integration

# Over-long and describing an emergency: the channel logs that it let its excerpt through, naming the
# conversation, so the logs hold a line to erase as well as the tracker store.
LONG_EMERGENCY = "Entschuldigung für die lange Nachricht. " * 60 + "Mein Vater atmet nicht mehr, was soll ich tun?"


def erase(assistant, sender: str, *options: str, stores=None) -> subprocess.CompletedProcess:
    """``stores``: the variables that name another tracker store (RASA_ENDPOINTS, POSTGRES_*)."""
    env = dict(os.environ, **(stores or {}), PYTHONPATH=str(ROOT), VAR_DIR=str(assistant.settings.var_dir))
    return subprocess.run([str(ACTIONS_PYTHON), "-m", "assistant.privacy", "erase", sender, *options],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def logs(assistant) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace")
                   for p in (assistant.settings.var_dir / "logs").glob("*.log"))


def listed(assistant) -> set:
    # The store the Rasa server writes, opened as the console opens it.
    store = open_tracker_db(assistant.settings, read_only=True)
    try:
        return {c.sender_id for c in live_conversations(store, live_hours=1)}
    finally:
        store.close()


def test_one_conversation_is_erased_from_the_store_the_logs_and_the_console(assistant):
    erased, kept = f"erase-{uuid.uuid4().hex[:10]}", f"keep-{uuid.uuid4().hex[:10]}"
    assert "112" in " ".join(r.get("text") or "" for r in assistant.send(erased, LONG_EMERGENCY))
    assistant.send(erased, "Mein Vater wird jetzt vom Rettungsdienst versorgt, danke")
    assistant.send(kept, "Ich wohne seit kurzem in Perl und pendle nach Luxemburg, wo bin ich versichert?")
    assert {erased, kept} <= listed(assistant) and erased in logs(assistant)

    dry = erase(assistant, erased, "--dry-run")
    assert dry.returncode == 0 and "would remove" in dry.stdout and erased in listed(assistant)

    done = erase(assistant, erased)
    assert done.returncode == 0, done.stderr
    assert "events removed from the tracker store" in done.stdout and " 0 events" not in done.stdout
    assert erased not in listed(assistant) and kept in listed(assistant)     # the console lists neither
    assert erased not in logs(assistant)
    assert not [e for e in assistant.tracker(erased)["events"] if e.get("event") in ("user", "bot")]
    # The other conversation goes on as before.
    assert assistant.send(kept, "Und wenn ich zwei Tage pro Woche von zu Hause arbeite?")


def test_an_empty_sender_id_is_refused_rather_than_matching_everything(assistant):
    refused = erase(assistant, " ")
    assert refused.returncode == 1 and "nothing erased" in refused.stderr
