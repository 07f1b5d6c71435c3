"""Knowledge answers through the REST channel of the real servers, and a document added live.

This module starts its own action server and Rasa server, pointed (KNOWLEDGE_DIR,
KNOWLEDGE_INDEX_DIR) at a temporary copy of data/knowledge and of the built index, so a
document can be added and indexed without touching the real ones. Ports: TEST_RASA_PORT + 2
and TEST_ACTIONS_PORT + 2 (or TEST_KNOWLEDGE_RASA_PORT / TEST_KNOWLEDGE_ACTIONS_PORT), so it
never collides with the session servers of test_rest_channel.py.
"""
import json
import os
import secrets
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from assistant.knowledge.config import load_config
from assistant.knowledge.index import current_name
from assistant.services import ACTIONS_PYTHON, ServiceGroup, latest_model
from assistant.settings import load_settings
from tests.integration.conftest import RunningAssistant

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]

NEW_DOCUMENT = """---
id: convention-testamont
title: "Convention TESTAMONT (document de test)"
kind: agreement
language: fr
source:
  title: "Source de test"
  url: "https://example.org/testamont"
dates:
  signed: "2031-03-14"
territories: [FR, LU]
uncertain: []
updated: "2031-03-15"
---

# Convention TESTAMONT

La convention TESTAMONT est un document de test, écrit par ce test dans un dossier temporaire.

## Signature

La convention TESTAMONT a été signée le 14 mars 2031 à Remich par deux hôpitaux imaginaires. Elle ne
sert qu'à vérifier qu'un document ajouté pendant que l'assistant tourne est trouvé après une seule
commande de construction, sans redémarrer le serveur d'actions.
"""

REFERENCE_QUESTIONS = [
    ("nl", "Wat is een ZOAST?", "zoast-general", "Bron:"),
    ("lb", "Brauch ech eng Autorisatioun fir an d'Spidol an der Belsch?", "form-s2", "Quell:"),
    ("fr", "Quand l'accord-cadre franco-luxembourgeois a-t-il été signé ?", "agreement-fr-lu", "Source :"),
]


def _port(name: str, base: str, default: int) -> str:
    return os.environ.get(name) or str(int(os.environ.get(base, default)) + 2)


@pytest.fixture(scope="module")
def knowledge_env(tmp_path_factory):
    """A temporary copy of the documents and of the current index, as environment overrides."""
    base = tmp_path_factory.mktemp("knowledge")
    docs, index = base / "knowledge", base / "index"
    shutil.copytree(ROOT / "data" / "knowledge", docs)
    index.mkdir()
    real = load_config()
    name = current_name(real.index_dir)
    if name:   # a copy is up to date at once; without one the build below embeds everything
        shutil.copytree(real.index_dir / name, index / name)
        os.symlink(name, index / "current")
    env = {"KNOWLEDGE_DIR": str(docs), "KNOWLEDGE_INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1"}
    build(env)
    return env


def build(env) -> float:
    started = time.monotonic()
    done = subprocess.run([str(ACTIONS_PYTHON), "-m", "assistant.knowledge", "build", "--quiet"],
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT), **env),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return time.monotonic() - started


@pytest.fixture(scope="module")
def knowledge_assistant(knowledge_env, tmp_path_factory):
    ports = {"RASA_PORT": _port("TEST_KNOWLEDGE_RASA_PORT", "TEST_RASA_PORT", 15005),
             "ACTIONS_PORT": _port("TEST_KNOWLEDGE_ACTIONS_PORT", "TEST_ACTIONS_PORT", 15055)}
    with pytest.MonkeyPatch.context() as patch:
        # The services copy os.environ when they are defined.
        for key, value in knowledge_env.items():
            patch.setenv(key, value)
        settings = load_settings(dict(os.environ, VAR_DIR=str(tmp_path_factory.mktemp("var")), **ports))
        token = secrets.token_urlsafe(16)
        group = ServiceGroup(settings, latest_model(settings), token)
    busy = group.busy_ports()
    if busy:
        pytest.fail(f"ports {busy} are busy; set TEST_KNOWLEDGE_RASA_PORT / TEST_KNOWLEDGE_ACTIONS_PORT")
    group.start()
    yield RunningAssistant(settings, token, group)
    group.stop()


def titles(env, doc_id):
    current = Path(env["KNOWLEDGE_INDEX_DIR"]) / "current"
    documents = json.loads((current / "documents.json").read_text(encoding="utf-8"))
    return {meta["language"]: meta["title"] for key, meta in documents.items() if meta["id"] == doc_id}


def knowledge_reply(replies):
    """The reply that carries a source line (the answer), or a readable failure."""
    texts = [r.get("text") or "" for r in replies]
    cited = [t for t in texts if any(w in t for w in ("Source :", "Quelle:", "Bron:", "Quell:", "Source:"))]
    assert cited, f"no cited answer in {texts}"
    return cited[0]


@pytest.mark.parametrize("language,question,doc_id,source_word", REFERENCE_QUESTIONS)
def test_reference_questions_get_short_cited_answers_in_their_language(
        knowledge_assistant, knowledge_env, sender, reply_language, language, question, doc_id, source_word):
    text = knowledge_reply(knowledge_assistant.send(sender, question))
    title = titles(knowledge_env, doc_id)[language]
    assert f"{source_word} [{title}](http" in text, text
    passage = text.split(source_word)[0]
    assert reply_language(passage) == language, passage
    assert len(passage.split()) <= 130


def test_the_french_question_is_answered_with_the_signing_date(knowledge_assistant, sender):
    text = knowledge_reply(knowledge_assistant.send(
        sender, "Quand l'accord-cadre franco-luxembourgeois a-t-il été signé ?"))
    assert "21 novembre 2016" in text


# Twenty people talking while the index is rebuilt and swapped: four per language, each in a town of
# their own, alternating their situation and a general question.
TALKERS = {
    "fr": ("Domicilié à {town}, je bosse au Luxembourg depuis peu", "C'est quoi une ZOAST, en deux mots ?",
           ["Longwy", "Thionville", "Villerupt", "Hayange"]),
    "de": ("Wohnhaft in {town}, beschäftigt in Luxemburg", "Was bedeutet ZOAST eigentlich?",
           ["Trier", "Saarlouis", "Merzig", "Bitburg"]),
    "nl": ("Ik woon sinds kort in {town} en werk in Aken", "Wat is een ZOAST?",
           ["Kerkrade", "Heerlen", "Vaals", "Maastricht"]),
    "lb": ("Ech wunnen zënter kuerzem zu {town} a schaffe mëttlerweil zu Metz",
           "Brauch ech eng Autorisatioun fir an d'Spidol an der Belsch?",
           ["Dudelange", "Differdange", "Rumelange", "Bettembourg"]),
    "en": ("Living in {town} these days, working in Luxembourg", "What exactly is a ZOAST?",
           ["Arlon", "Bastogne", "Virton", "Aubange"]),
}


def test_twenty_people_talk_while_a_document_is_added_and_nothing_fails_or_crosses(
        knowledge_assistant, knowledge_env, sender):
    question = "Quand la convention TESTAMONT a-t-elle été signée ?"
    before = " ".join(r.get("text") or "" for r in knowledge_assistant.send(sender, question))
    assert "TESTAMONT (document de test)" not in before

    actions = knowledge_assistant.group.services[0]
    pid = actions.process.pid
    failures, turns = [], []
    stop = threading.Event()
    people = [(f"{sender}-{language}-{i}", language, situation.format(town=town), general, town)
              for language, (situation, general, towns) in TALKERS.items() for i, town in enumerate(towns)]

    def talk(person_sender, language, situation, general, town):
        # Requests in flight while the new version is built and swapped in; at least one round each.
        rounds = 0
        while rounds == 0 or not stop.is_set():
            for text in (situation, general):
                try:
                    replies = knowledge_assistant.send(person_sender, text)
                    if not any((r.get("text") or "").strip() for r in replies):
                        failures.append(f"{person_sender}: no reply to {text!r}")
                    turns.append(person_sender)
                except Exception as error:   # noqa: BLE001 - any failure is what this test looks for
                    failures.append(f"{person_sender}: {error!r}")
            rounds += 1

    threads = [threading.Thread(target=talk, args=person) for person in people]
    for thread in threads:
        thread.start()
    try:
        path = Path(knowledge_env["KNOWLEDGE_DIR"]) / "agreement" / "convention-testamont.fr.md"
        path.write_text(NEW_DOCUMENT, encoding="utf-8")
        build(knowledge_env)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=300)
    assert not failures, failures[:5]
    assert len(turns) >= 2 * len(people)

    for person_sender, language, _situation, _general, town in people:
        slots = knowledge_assistant.tracker(person_sender)["slots"]
        assert slots["language"] == language, (person_sender, slots["language"])
        assert town.lower() in str(slots.get("residence_place") or "").lower(), (person_sender, slots)

    text = knowledge_reply(knowledge_assistant.send(sender, question))
    assert "[Convention TESTAMONT (document de test)](https://example.org/testamont)" in text
    assert "14 mars 2031" in text
    assert actions.running() and actions.process.pid == pid   # no restart
