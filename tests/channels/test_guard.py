"""The channels' checks and replies (assistant/channels/guard.py), without any server."""
import asyncio
import json
import string
from pathlib import Path

import pytest

from assistant.channels.guard import (
    BadRequest,
    Conversation,
    Guard,
    Limits,
    RateLimiter,
    apology,
    clean_text,
    cors_origins_from_argv,
    emergency_excerpt,
    is_blank,
    load_limits,
    parse_rest_body,
    read_conversation,
    reply_language,
    say,
)
from assistant.i18n import LANGUAGES, catalogue, t
from assistant.services import rasa_service
from assistant.settings import load_settings
from tests.aio import run_async


def test_limits_come_from_settings_and_the_environment():
    assert load_limits({}) == Limits(2000, 1_000_000, 20, 10.0)
    assert load_limits({"MAX_MESSAGE_CHARS": "500", "RATE_LIMIT_WINDOW_S": "2.5"}).max_message_chars == 500
    assert load_limits({"RATE_LIMIT_WINDOW_S": "2.5"}).rate_limit_window_s == 2.5


def test_socketio_origins_are_those_the_supervisor_gives_rasa():
    settings = load_settings({"WEB_PORT": "18080"})
    argv = rasa_service(settings, "token", Path("model.tar.gz")).argv[1:]
    assert cors_origins_from_argv(argv) == ("http://127.0.0.1:18080",)
    assert cors_origins_from_argv(["run", "--enable-api", "--auth-token=x"]) == ()


@pytest.mark.parametrize("raw,cleaned", [
    ("Bonjour\x00\x07 le\x1b[31m monde\x7f", "Bonjour le[31m monde"),
    ("ligne 1\r\nligne 2\rligne 3", "ligne 1\nligne 2\nligne 3"),
    ("\ufeffMoien\u202e, wéi geet et?\u202c", "Moien, wéi geet et?"),
    ("lone \ud800surrogate", "lone surrogate"),
    ("  \tHallo\u0085  ", "Hallo"),
    # What people write stays: accents, emoji with joiners, right-to-left marks and scripts.
    ("Ça va ? 👩‍⚕️ \u200fمرحبا", "Ça va ? 👩‍⚕️ \u200fمرحبا"),
])
def test_control_characters_are_stripped(raw, cleaned):
    assert clean_text(raw) == cleaned


def test_whitespace_and_invisible_characters_are_blank():
    assert is_blank("") and is_blank(" \n\t\u3000") and is_blank("\u200f\u200b\u200e")
    assert not is_blank("😀") and not is_blank("?")


def test_the_rate_limit_slides_and_keeps_a_bounded_memory():
    now = [0.0]
    limiter = RateLimiter(3, 10.0, max_senders=2, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")
    now[0] = 9.9
    assert not limiter.allow("a")
    now[0] = 10.0
    assert limiter.allow("a")
    limiter.allow("c")
    assert len(limiter._seen) == 2 and len(limiter._seen["a"]) <= 3


def test_an_over_long_emergency_keeps_its_emergency_words_within_the_limit():
    text = "Ich wohne in Arlon. " * 200 + "Mein Vater ist bewusstlos. " + "Er ist 80. " * 300
    excerpt = emergency_excerpt(text, 2000)
    assert excerpt is not None and len(excerpt) <= 2000 and "bewusstlos" in excerpt
    assert emergency_excerpt("Ich wohne in Arlon. " * 500, 2000) is None
    # Only the first windows are read: the lexicon costs ~10 ms per 1,000 characters.
    assert emergency_excerpt("x" * 50_000 + " my son is unconscious", 2000) is None


@pytest.mark.parametrize("body,error", [
    (b'{"sender": "a", "message": "hi"', "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ('{"sender": "a", "message": "caf\xe9"}'.encode("latin-1"), "not valid UTF-8"),
    (b'[{"sender": "a", "message": "hi"}]', "JSON object"),
    (b'"hi"', "JSON object"),
    (b'{"message": "hi"}', "sender"),
    (b'{"sender": "a"}', "message"),
    (b"{}", "sender, message"),
    (b'{"sender": 42, "message": "hi"}', "'sender'"),
    (b'{"sender": "", "message": "hi"}', "'sender'"),
    (b'{"sender": "a\\u0000b", "message": "hi"}', "'sender'"),
    (json.dumps({"sender": "a" * 257, "message": "hi"}).encode(), "'sender'"),
    (b'{"sender": "a", "message": ["hi"]}', "'message'"),
    (b'{"sender": "a", "message": null}', "'message'"),
    (b'{"sender": "a", "message": "hi", "metadata": "fr"}', "'metadata'"),
    (b'{"sender": "a", "message": "hi", "input_channel": 1}', "'input_channel'"),
])
def test_malformed_bodies_are_refused_with_a_reason(body, error):
    with pytest.raises(BadRequest, match=error):
        parse_rest_body(body)


def test_a_well_formed_body_is_read_as_rasa_reads_it():
    message = parse_rest_body(json.dumps({"sender": "s1", "message": "Moien",
                                          "metadata": {"customData": {"language": "lb"}}}).encode())
    assert (message.sender, message.text, message.metadata, message.input_channel) == \
        ("s1", "Moien", {"customData": {"language": "lb"}}, None)


def test_the_reply_language_follows_the_widget_then_the_text_then_the_conversation():
    assert reply_language("Guten Tag, ich habe eine Frage", {"customData": {"language": "nl"}}) == "nl"
    assert reply_language("Guten Tag, ich habe eine Frage zu meiner Krankenkasse", None, "fr") == "de"
    assert reply_language("ok", None, "lb") == "lb"
    assert reply_language("", None) is None and reply_language("xxxxxxxx", None, "xx") is None


def test_every_text_has_the_same_placeholders_in_every_language():
    for key, variants in catalogue("channels").items():
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(variants[lang]) if f} for lang in LANGUAGES}
        assert len({frozenset(f) for f in fields.values()}) == 1, (key, fields)


def test_an_unknown_language_gets_the_five_languages():
    text = say("too_long", None, length=3000, limit=2000)
    assert text.splitlines() == [t("channels", "too_long", lang, length=3000, limit=2000) for lang in LANGUAGES]
    assert apology(None).count("112") == 5


def test_the_apology_says_112_and_whom_to_ask():
    assert apology("de", ("LU", "XX")).splitlines() == [
        t("channels", "apology", "de"), t("channels", "contact_intro", "de"), "- " + t("knowledge", "contact_LU", "de")]
    assert apology("en").splitlines()[-1] == "- " + t("channels", "contact_default", "en")
    assert "112" in apology("lb").splitlines()[0]


class FakeTracker:
    def __init__(self, slots):
        self.slots = slots

    def get_slot(self, name):
        return self.slots.get(name)


class FakeTrackerStore:
    def __init__(self, trackers=None, broken=False):
        self.trackers, self.broken = trackers or {}, broken

    async def retrieve(self, sender):
        if self.broken:
            raise OSError("database is locked")
        return self.trackers.get(sender)


def test_the_conversation_is_read_from_the_tracker_store():
    store = FakeTrackerStore({"s": FakeTracker({"language": "nl", "residence_country": "BE",
                                                "work_country": ["LU", "BE"]})})
    assert run_async(read_conversation(store, "s")) == Conversation("nl", ("BE", "LU"))
    assert run_async(read_conversation(store, "unknown")) == Conversation()
    assert run_async(read_conversation(FakeTrackerStore(broken=True), "s")) == Conversation()


def _guard(**limits):
    async def conversation(sender):
        return Conversation("lb" if sender == "lb-user" else None, ())
    return Guard(Limits(**limits), conversation)


def test_the_guard_passes_clean_text_and_answers_the_rest():
    check = _guard(max_message_chars=50)
    screen = lambda sender, text, metadata=None: run_async(check.screen(sender, text, metadata))  # noqa: E731
    assert screen("u", " Hallo\x00 zusammen ").text == "Hallo zusammen"
    assert screen("lb-user", " \u200f ").reply == t("channels", "empty", "lb")
    assert screen("u", "x" * 51, {"language": "en"}).reply == t("channels", "too_long", "en", length=51, limit=50)
    assert "unconscious" in screen("v", "x" * 60 + " my son is unconscious").text


class FakeOutput:
    def __init__(self):
        self.sent = []

    async def send_response(self, recipient_id, message):
        self.sent.append(message["text"])

    async def send_text_message(self, recipient_id, text, **kwargs):
        self.sent.append(text)


class FakeMessage:
    def __init__(self, text="Moien, ech hunn eng Fro", metadata=None):
        self.text, self.metadata, self.sender_id, self.output_channel = text, metadata, "lb-user", FakeOutput()


def test_a_turn_without_any_bot_message_gets_the_apology():
    async def silent(message):
        return None

    async def answers(message):
        await message.output_channel.send_response(message.sender_id, {"text": "Moien!"})

    async def fails(message):
        raise RuntimeError("action server answered 500")

    handle = _guard().never_silent
    message = FakeMessage()
    run_async(handle(silent)(message))
    assert message.output_channel.sent == [apology("lb")]
    message = FakeMessage()
    run_async(handle(answers)(message))
    assert message.output_channel.sent == ["Moien!"]
    message = FakeMessage(metadata={"customData": {"language": "fr"}})
    with pytest.raises(RuntimeError):
        run_async(handle(fails)(message))
    assert message.output_channel.sent == [apology("fr")]


def test_only_messages_sent_while_one_is_unanswered_count_against_the_rate():
    async def scenario():
        check = _guard(rate_limit_messages=2)
        waiting = [await check.screen("lb-user", "Moien", None) for _ in range(5)]
        release = asyncio.Event()

        async def slow(message):
            await release.wait()
            await message.output_channel.send_response(message.sender_id, {"text": "Moien!"})

        turn = asyncio.create_task(check.never_silent(slow)(FakeMessage()))
        await asyncio.sleep(0)
        flooding = [await check.screen("lb-user", "Moien", None) for _ in range(3)]
        release.set()
        await turn
        return waiting, flooding, await check.screen("lb-user", "Moien", None)

    waiting, flooding, after = run_async(scenario())
    assert [v.text for v in waiting] == ["Moien"] * 5
    assert [v.text for v in flooding[:2]] == ["Moien", "Moien"]
    assert flooding[2].reply == say("rate_limited", "lb", seconds=10)
    assert after.text == "Moien"


def test_messages_the_guard_answers_itself_count_against_the_rate():
    """Over-long messages are each scanned for an emergency: a stream of them is slowed down too."""
    check = _guard(rate_limit_messages=3, max_message_chars=50)
    verdicts = [run_async(check.screen("flood", "x" * 60, {"language": "de"})) for _ in range(4)]
    assert [v.reply for v in verdicts[:3]] == [t("channels", "too_long", "de", length=60, limit=50)] * 3
    assert verdicts[3].reply == say("rate_limited", "de", seconds=10)
    assert "112" in verdicts[0].reply and "112" in verdicts[3].reply
    # Someone else, and ordinary messages of the same conversation, are not affected.
    assert run_async(check.screen("other", "Hallo", None)).text == "Hallo"
    assert run_async(check.screen("flood", "Hallo", None)).text == "Hallo"
