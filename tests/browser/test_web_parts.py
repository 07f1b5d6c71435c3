"""The web app's parts without a browser or a server: fast checks of what the pages rely on."""
import json
import re
import sqlite3
import time
from pathlib import Path

import pytest

from assistant.tracker_db import TrackerDb
from assistant.web.agents import authenticate, ensure_first_agent, load_agents, set_agent, verify_password
from assistant.web.conversations import live_conversations
from assistant.web.knowledge_client import KnowledgeUnavailable
from assistant.web.retention import purge_idle_conversations
from assistant.web.security import content_security_policy, security_headers
from assistant.web.sessions import Signer
from assistant.web.suggest import suggest
from assistant.web.texts import PATIENT_KEYS, all_texts, page_language
from assistant.web.throttle import LoginThrottle
from assistant.web.tracker_view import view_of


# ------------------------------------------------------------------ agents and sessions
def test_passwords_are_stored_hashed_and_checked(tmp_path):
    path = tmp_path / "agents.json"
    set_agent(path, "jan", "a long password", "nl")
    stored = path.read_text()
    assert "a long password" not in stored and "scrypt$" in stored
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    agents = load_agents(path)
    assert authenticate(agents, "jan", "a long password").language == "nl"
    assert authenticate(agents, "jan", "a long passwore") is None
    assert authenticate(agents, "nobody", "a long password") is None
    assert not verify_password("x", "md5$whatever")


def test_the_first_run_creates_one_agent_with_a_random_password_once(tmp_path):
    path = tmp_path / "secrets" / "agents.json"
    username, password = ensure_first_agent(path)
    assert len(password) >= 16
    assert authenticate(load_agents(path), username, password)
    assert ensure_first_agent(path) is None                 # never printed twice
    _, other = ensure_first_agent(tmp_path / "other.json")
    assert other != password                                # no built-in default


def test_short_passwords_and_odd_usernames_are_refused(tmp_path):
    with pytest.raises(ValueError):
        set_agent(tmp_path / "a.json", "jan", "short")
    with pytest.raises(ValueError):
        set_agent(tmp_path / "a.json", "jan doe<script>", "a long password")


def test_signed_sessions_refuse_tampering_other_purposes_and_expiry():
    signer = Signer(b"k" * 32)
    token = signer.dumps({"user": "jan"}, "session", 60)
    assert signer.loads(token, "session")["user"] == "jan"
    body, mac = token.split(".")
    forged = json.dumps({"user": "admin", "exp": int(time.time()) + 60}).encode()
    import base64
    assert signer.loads(base64.urlsafe_b64encode(forged).decode().rstrip("=") + "." + mac, "session") is None
    assert signer.loads(token, "login") is None
    assert Signer(b"x" * 32).loads(token, "session") is None
    assert signer.loads(signer.dumps({"user": "jan"}, "session", -1), "session") is None


def test_logins_are_throttled_after_repeated_failures():
    now = [0.0]
    throttle = LoginThrottle(max_failures=3, window_s=60, clock=lambda: now[0])
    keys = ["ip:1", "user:jan"]
    for _ in range(3):
        throttle.failed(keys)
    assert throttle.blocked(["ip:2", "user:jan"])
    now[0] = 61
    assert not throttle.blocked(keys)


# ------------------------------------------------------------------ headers and texts
def test_the_policy_allows_only_this_site_and_the_rasa_socket():
    policy = content_security_policy("http://127.0.0.1:5005", [])
    assert "script-src 'self';" in policy and "unsafe" not in policy
    assert "connect-src 'self' http://127.0.0.1:5005 ws://127.0.0.1:5005" in policy
    assert "frame-ancestors 'none'" in policy
    widget = security_headers("https://rasa.example", True, ["https://www.mutualite.example"])
    assert "frame-ancestors 'self' https://www.mutualite.example" in widget["Content-Security-Policy"]
    assert "wss://rasa.example" in widget["Content-Security-Policy"]
    assert security_headers("http://x", False, [])["X-Frame-Options"] == "DENY"


def test_every_page_text_exists_in_five_languages_and_the_notice_says_how_long():
    texts = all_texts(PATIENT_KEYS, days="30")
    assert sorted(texts) == ["de", "en", "fr", "lb", "nl"]
    for language, values in texts.items():
        assert set(values) == set(PATIENT_KEYS)
        assert "30" in values["privacy_text"] and "112" in values["privacy_text"], language
    assert page_language(None, "nl-BE,nl;q=0.9,en;q=0.5", "fr") == "nl"
    assert page_language("lb", "de", "fr") == "lb"
    assert page_language(None, "es", "fr") == "fr"


# ------------------------------------------------------------------ conversations
def _tracker_db(path, rows):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL, "
               "intent_name TEXT, action_name TEXT, data TEXT)")
    db.executemany("INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) VALUES (?,?,?,?,?)", rows)
    db.commit()
    db.close()


def _user(sender, at, intent, text, language):
    data = {"text": text, "parse_data": {"entities": [{"entity": "language", "value": language}]}}
    return (sender, "user", at, intent, json.dumps(data))


def test_live_conversations_come_from_the_tracker_store_newest_first(tmp_path):
    now = time.time()
    db = tmp_path / "tracker.db"
    _tracker_db(db, [
        _user("old", now - 3 * 86400, "greet", "Moien", "lb"),
        _user("a", now - 60, "greet", "Hoi", "NL"),                  # the synonym mapper's upper case
        _user("b", now - 10, "emergency", "Hilfe, Brustschmerzen", "de"),
        ("b", "bot", now - 9, None, "{}"),
    ])
    rows = live_conversations(TrackerDb.sqlite(db, read_only=True), live_hours=24, now=now)
    assert [r.sender_id for r in rows] == ["b", "a"]
    assert rows[0].emergency and rows[0].language == "de" and rows[0].messages == 2
    assert rows[1].language == "nl" and not rows[1].emergency
    assert live_conversations(TrackerDb.sqlite(tmp_path / "missing.db", read_only=True), 24) == []


def test_retention_deletes_only_whole_idle_conversations(tmp_path):
    now = time.time()
    db = tmp_path / "tracker.db"
    _tracker_db(db, [_user("idle", now - 40 * 86400, "greet", "x", "fr"),
                     _user("recent", now - 40 * 86400, "greet", "x", "fr"),
                     _user("recent", now - 3600, "greet", "y", "fr")])
    assert purge_idle_conversations(TrackerDb.sqlite(db), 30, now=now) == 1
    senders = {r[0] for r in sqlite3.connect(db).execute("SELECT sender_id FROM events")}
    assert senders == {"recent"}


# ------------------------------------------------------------------ the suggested reply
def _tracker(intent, text, language, responses=(), actions=(), slots=None):
    events = [{"event": "user", "text": text, "timestamp": 1.0,
               "parse_data": {"intent": {"name": intent, "confidence": 0.97},
                              "entities": [{"entity": "language", "value": language}]}}]
    events += [{"event": "action", "name": a} for a in actions]
    events += [{"event": "bot", "text": "…", "metadata": {"utter_action": r}} for r in responses]
    return {"sender_id": "s", "slots": dict(slots or {}, language=language), "events": events,
            "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.97},
                               "entities": [{"entity": "language", "value": language}]}}


def test_an_emergency_suggestion_says_112_in_the_agents_language():
    view = view_of(_tracker("emergency", "Mäi Papp kritt keng Loft", "lb", ["utter_emergency"],
                            slots={"residence_country": "BE"}))
    suggestion = suggest(view, "fr")
    assert suggestion.kind == "emergency" and suggestion.language == "fr"
    assert suggestion.text.splitlines()[0].count("112") and "urgence" in suggestion.text
    assert "1733" in suggestion.text and suggestion.sources       # Belgium's out-of-hours number


def test_a_response_is_mirrored_in_the_agents_language():
    view = view_of(_tracker("greet", "Moien", "lb", ["utter_greet"]))
    suggestion = suggest(view, "de")
    assert suggestion.kind == "response" and suggestion.language == "de"
    assert "112" in suggestion.text and "Moien" not in suggestion.text


def test_a_facility_question_in_luxembourgish_is_answered_in_french_with_sources():
    view = view_of(_tracker("ask_nearest_facility", "Wéi ee Spidol? Ech wunnen zu Arel", "lb",
                            actions=["action_nearest_facility"], slots={"residence_place": "Arel"}))
    suggestion = suggest(view, "fr")
    assert suggestion.kind == "facility" and "Arlon" in suggestion.text and "km" in suggestion.text
    assert suggestion.sources and suggestion.sources[0]["url"].startswith("https://")


class FakeKnowledge:
    """The action server's search as the console's suggestion calls it (knowledge_client)."""

    def __init__(self, answer=None, unavailable=False):
        self.answer, self.unavailable, self.calls = answer, unavailable, []

    def search(self, question, language, reply_language, k=5):
        self.calls.append((question, language, reply_language))
        if self.unavailable:
            raise KnowledgeUnavailable("down")
        return {"passages": [], "answer": self.answer, "reason": "answered" if self.answer else "below_threshold"}


ANSWER = {"text": "Le formulaire S2 …\nSource : [S2](https://www.cleiss.fr/s2)", "language": "fr",
          "passage_language": "fr", "section": "À quoi sert le S2 ?", "score": 0.9,
          "sources": [{"id": "form-s2", "language": "fr", "title": "S2", "url": "https://www.cleiss.fr/s2",
                       "date": "01/01/2025", "score": 0.9}]}


def test_a_knowledge_suggestion_asks_the_action_server_once_in_the_patients_language():
    view = view_of(_tracker("ask_knowledge", "Wat is het S2-formulier?", "nl", actions=["action_answer_knowledge"]))
    knowledge = FakeKnowledge(ANSWER)
    suggestion = suggest(view, "fr", knowledge)
    assert suggestion.kind == "knowledge" and suggestion.text == ANSWER["text"]
    assert suggestion.sources[0]["id"] == "form-s2"
    assert knowledge.calls == [("Wat is het S2-formulier?", "nl", "fr")]
    # No answer: asked once all the same, although it is both a reason and the last resort.
    nothing = FakeKnowledge(None)
    assert suggest(view, "fr", nothing).kind == "none" and len(nothing.calls) == 1


def test_retrieval_unavailable_is_said_only_when_nothing_else_can_be_suggested():
    down = FakeKnowledge(unavailable=True)
    question = view_of(_tracker("ask_knowledge", "Wat is het S2-formulier?", "nl", actions=["action_answer_knowledge"]))
    assert suggest(question, "fr", down).kind == "unavailable"
    greeting = view_of(_tracker("greet", "Moien", "lb", ["utter_greet"]))
    assert suggest(greeting, "fr", down).kind == "response"


def test_the_view_keeps_the_sources_of_the_last_knowledge_answer():
    first = [{"id": "zoast-general", "url": "https://a", "section": "Wat is een ZOAST?"}]
    second = [{"id": "form-s2", "url": "https://b"}]
    tracker = _tracker("greet", "Merci", "nl")
    tracker["events"] = [
        {"event": "user", "text": "Wat is een ZOAST?", "timestamp": 1.0},
        {"event": "slot", "name": "knowledge_sources", "value": first, "timestamp": 1.1},
        {"event": "user", "text": "En het S2?", "timestamp": 2.0},
        {"event": "slot", "name": "knowledge_sources", "value": second, "timestamp": 2.1},
        {"event": "user", "text": "Merci", "timestamp": 3.0},
        # A reset (a new session, "my situation changed"): what the patient was told stays shown.
        {"event": "slot", "name": "knowledge_sources", "value": None, "timestamp": 3.1},
    ]
    assert view_of(tracker).knowledge == {"question": "En het S2?", "time": 2.1, "sources": second}
    assert view_of(_tracker("greet", "Moien", "lb")).knowledge is None


# ------------------------------------------------------------------ pages and styles
WEB = Path(__file__).resolve().parents[2] / "assistant" / "web"


def test_templates_have_no_inline_script_style_or_handler():
    for template in (WEB / "templates").glob("*.html"):
        html = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
        assert not re.search(r"\sstyle=|\son[a-z]+=", html), template.name
        assert "|safe" not in html, template.name
    for script in (WEB / "static").glob("*.js"):
        code = script.read_text(encoding="utf-8")
        assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function",
                             code), script.name


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_colours_meet_wcag_aa_contrast():
    css = (WEB / "static" / "base.css").read_text(encoding="utf-8")
    colour = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [("ink", "paper"), ("muted", "paper"), ("muted", "wash"), ("brand", "paper"),
             ("brand-ink", "brand"), ("danger", "paper"), ("danger", "danger-wash"), ("ok", "paper")]
    for foreground, background in pairs:
        assert contrast(colour[foreground], colour[background]) >= 4.5, (foreground, background)
    assert contrast("#ffffff", colour["danger"]) >= 7        # the emergency bubble: white on red


def test_every_emergency_reply_starts_with_the_siren_the_widget_looks_for():
    """widget.js shows a reply as an emergency when it starts with 🚨: the domain must keep that."""
    from assistant.dialogue.domain import load_domain
    domain = load_domain()
    for variation in domain["responses"]["utter_emergency"]:
        assert variation["text"].lstrip().startswith("🚨"), variation["text"][:40]
    assert "uD83D\\uDEA8" in (WEB / "static" / "widget.js").read_text(encoding="utf-8")
