"""Privacy on the production stores, through the real action server, Rasa server and web app
(tests/privacy/conftest.py, PostgreSQL written by Rasa itself):

- retention deletes the conversations idle for more than N days from PostgreSQL, keeps the others;
- `python -m assistant.privacy erase` removes one conversation from PostgreSQL, the logs and the console;
- no identifier a patient types (NISS, NIR, matricule, KVNR, RVNR, IBAN, e-mail, phone) reaches any
  log of the three services, and the console's API shows them masked.
"""
import json
import uuid
from urllib.parse import quote, quote_plus

import httpx
import pytest

from tests.integration.test_erasure import LONG_EMERGENCY, erase
from tests.privacy.retention_case import check_retention

pytestmark = pytest.mark.integration

# What patients type, by kind, in several writings, each in a message of its own language.
IDENTIFIERS = {
    "NISS": ("Mon numéro national est le {}, la mutualité le demande pour le remboursement.",
             ["85.07.30-033.28", "85073003328"]),
    "NIR": ("Mon numéro de sécurité sociale est {}, la CPAM me le redemande.",
            ["1 85 07 75 123 456 78", "185077512345678"]),
    "matricule": ("Meng Matricule ass {}, wat brauch d'CNS nach?", ["1985 0730 12345"]),
    "KVNR": ("Meine Krankenversichertennummer ist {}, gilt die auch in Luxemburg?", ["A123456789"]),
    "RVNR": ("Meine Rentenversicherungsnummer lautet {}, bin ich als Grenzgänger versichert?", ["65 170839 J 003"]),
    "IBAN": ("Kunt u de terugbetaling storten op {}?",
             ["BE71 0961 2345 6769", "FR76 3000 6000 0112 3456 7890 189", "LU28 0019 4006 4475 0000",
              "DE89 3704 0044 0532 0130 00", "NL91 ABNA 0417 1643 00"]),
    "e-mail": ("Please answer me at {} about my health insurance.", ["jan.peeters@example.be"]),
    "phone": ("Rufen Sie mich an unter {} wegen meiner Krankenversicherung.",
              ["+32 4 123 45 67", "0049 651 1234567", "06 12 34 56 78", "+352 621 123 456"]),
}
ALL = [(kind, written, template.format(written))
       for kind, (template, forms) in IDENTIFIERS.items() for written in forms]


def writings(identifier: str):
    """How an identifier could appear in a log: as typed, without its spaces, JSON- or URL-encoded."""
    compact = identifier.replace(" ", "")
    return {identifier, compact, json.dumps(identifier)[1:-1], quote(identifier), quote_plus(identifier)}


def sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def listed(on_postgres) -> set:
    with on_postgres.console() as console:
        return {c["sender_id"] for c in console.get("/agent/api/conversations").json()["conversations"]}


def test_retention_deletes_idle_conversations_from_postgresql(on_postgres):
    store = on_postgres.store()
    assert store.url.get_backend_name() == "postgresql"
    check_retention(store, on_postgres, lambda: listed(on_postgres))     # the console's list, through its API
    store.close()


def test_erasure_removes_a_conversation_from_postgresql_the_logs_and_the_console(on_postgres):
    erased, kept = sender("erase"), sender("keep")
    on_postgres.send(erased, LONG_EMERGENCY)
    on_postgres.send(kept, "Ich wohne in Trier und arbeite in Luxemburg, wo bin ich versichert?")
    store = on_postgres.store()
    events = len(store.events(erased))
    assert events and {erased, kept} <= listed(on_postgres) and erased in on_postgres.logs()

    done = erase(on_postgres, erased, stores=on_postgres.env)
    assert done.returncode == 0, done.stderr
    assert f"{events} events removed from the tracker store (postgresql" in done.stdout, done.stdout
    assert "rasa.log" in done.stdout and on_postgres.env["POSTGRES_PASSWORD"] not in done.stdout
    assert store.events(erased) == [] and store.events(kept)
    assert erased not in listed(on_postgres) and kept in listed(on_postgres)
    assert erased not in on_postgres.logs()
    store.close()


def test_no_identifier_reaches_the_logs_and_the_console_shows_them_masked(on_postgres):
    patient = sender("ids")
    for _, _, message in ALL:
        assert on_postgres.send(patient, message) is not None
    with on_postgres.console() as console:
        detail = console.get("/agent/api/conversation", params={"id": patient, "lang": "fr"}).json()
        summary = next(c for c in console.get("/agent/api/conversations").json()["conversations"]
                       if c["sender_id"] == patient)
        # The agent's search box and the action server's own search: identifiers in query strings.
        for _, _written, message in ALL[:6]:
            console.get("/agent/api/search", params={"q": message, "lang": "de"})
            httpx.get(f"{on_postgres.settings.actions_url}/knowledge/search", params={"q": message}, timeout=60)

    # The console: every user message in the transcript, masked; no identifier anywhere in the answer.
    shown = json.dumps(detail, ensure_ascii=False) + json.dumps(summary, ensure_ascii=False)
    users = [turn["text"] for turn in detail["conversation"]["transcript"] if turn["who"] == "user"]
    assert users == [message.replace(written, f"[{kind}]") for kind, written, message in ALL]
    assert not [written for _, written, _ in ALL if written in shown]

    logs = on_postgres.logs()
    # The logs did receive the patient's messages (Rasa at DEBUG): only the identifiers are gone.
    assert "Kunt u de terugbetaling storten op [IBAN]" in logs and patient in logs
    leaked = [(kind, form) for kind, written, _ in ALL for form in writings(written) if form in logs]
    assert not leaked, leaked
