"""What the input channels check before a message reaches the NLU, and what they answer instead.

Standard library, PyYAML and the project's pure-Python modules only (language detection, the
emergency lexicon, the i18n texts; no ``rasa``, no ``sanic``), so the channels of the Rasa env use
it and the tests of the actions env call it directly. Limits come from the ``channels`` section
of settings.yml, each overridable by the environment variable named there. Texts are in
``assistant/i18n/channels.yml``.
"""
from __future__ import annotations

import argparse
import collections
import functools
import json
import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Deque, Dict, Iterable, Optional, Sequence, Tuple

from assistant.i18n import LANGUAGES, t
from assistant.insurance.situation import COUNTRIES  # the five countries the contacts cover

# The limits are settings (settings.yml, section channels), read by the one settings loader.
from assistant.settings import ChannelLimits as Limits  # noqa: F401
from assistant.settings import load_channel_limits as load_limits  # noqa: F401

logger = logging.getLogger(__name__)

CATALOGUE = "channels"
# A sender id is a conversation key in the tracker store, not a text.
MAX_SENDER_CHARS = 256
# Language detection and the emergency lexicon look at a bounded part of a long message: a
# megabyte of text must not hold the event loop for seconds (the lexicon takes ~10 ms per 1,000
# characters).
DETECTION_CHARS = 1_000
EMERGENCY_SCAN_WINDOWS = 5
# The longest emergency phrase of the lexicon is far shorter: windows overlap by this much.
EMERGENCY_OVERLAP_CHARS = 200


def cors_origins_from_argv(argv: Sequence[str]) -> Tuple[str, ...]:
    """The origins of ``rasa run --cors …``: what the Rasa server allows on its HTTP API.

    assistant.services passes the web app's origin there, test ports included (the Rasa process
    is not told WEB_PORT), so the socket.io channel reads the same list instead of a setting.
    """
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--cors", nargs="*")
    known, _ = parser.parse_known_args(list(argv))
    return tuple(known.cors or ())


# C0 and C1 controls but tab and newline; bidi embeddings, overrides and isolates (they reorder
# what the agent console shows); the BOM; lone surrogates (JSON may escape them, UTF-8 cannot
# store them, so the tracker store would fail on them).
_STRIPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def clean_text(text: str) -> str:
    return _STRIPPED.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def is_blank(text: str) -> bool:
    """Nothing a reader would see: whitespace and invisible format characters (LRM, ZWSP) only."""
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text)


class RateLimiter:
    """At most ``limit`` messages per sender within ``window_s``, over a sliding window.

    Memory is bounded twice: a sender keeps at most ``limit`` timestamps, and only the
    ``max_senders`` most recently seen senders are remembered.
    """

    def __init__(self, limit: int, window_s: float, max_senders: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s, self.max_senders, self._clock = limit, window_s, max_senders, clock
        self._seen: "collections.OrderedDict[str, Deque[float]]" = collections.OrderedDict()

    def allow(self, sender: str) -> bool:
        now = self._clock()
        times = self._seen.pop(sender, None) or collections.deque()
        self._seen[sender] = times
        while times and now - times[0] >= self.window_s:
            times.popleft()
        if len(self._seen) > self.max_senders:
            self._seen.popitem(last=False)
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True


@functools.lru_cache(maxsize=1)
def _emergency_matcher():
    from assistant.safety import EmergencyMatcher
    return EmergencyMatcher()


def emergency_excerpt(text: str, max_chars: int) -> Optional[str]:
    """The first window of at most ``max_chars`` that the emergency lexicon matches: an over-long
    message that describes an emergency still reaches the NLU (trimmed), so 112 comes first."""
    step = max_chars - min(EMERGENCY_OVERLAP_CHARS, max_chars // 4)
    for start in range(0, min(len(text), EMERGENCY_SCAN_WINDOWS * step), step):
        window = text[start:start + max_chars]
        if _emergency_matcher().is_emergency(window):
            return window
    return None


class BadRequest(ValueError):
    """A REST body the channel cannot read; the message says what is wrong (HTTP 400)."""


@dataclass(frozen=True)
class RestMessage:
    sender: str
    text: str
    metadata: Optional[Dict[str, Any]]
    input_channel: Optional[str]


def parse_rest_body(body: bytes) -> RestMessage:
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("The body is not valid UTF-8.") from None
    except (ValueError, RecursionError):
        raise BadRequest("The body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise BadRequest('The body must be a JSON object: {"sender": "...", "message": "..."}.')
    missing = [key for key in ("sender", "message") if key not in payload]
    if missing:
        raise BadRequest(f"Missing field(s): {', '.join(missing)}.")
    sender, text = payload["sender"], payload["message"]
    metadata, input_channel = payload.get("metadata"), payload.get("input_channel")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS \
            or _STRIPPED.search(sender):
        raise BadRequest(f"'sender' must be a string of 1 to {MAX_SENDER_CHARS} printable characters.")
    if not isinstance(text, str):
        raise BadRequest("'message' must be a string.")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be a JSON object.")
    if input_channel is not None and not isinstance(input_channel, str):
        raise BadRequest("'input_channel' must be a string.")
    return RestMessage(sender, text, metadata, input_channel)


@functools.lru_cache(maxsize=1)
def _detector():
    from assistant.language import LanguageDetector
    return LanguageDetector()


def reply_language(text: str, metadata: Any, conversation_language: Optional[str] = None) -> Optional[str]:
    """As the NLU decides it (assistant/language/resolve.py), minus the guesses: the widget's
    choice, a confident detection, the conversation's language; None when unsure."""
    from assistant.language.metadata import language_from_metadata

    chosen = language_from_metadata(metadata)
    if chosen:
        return chosen
    detection = _detector().detect(text[:DETECTION_CHARS]) if text else None
    if detection is not None and detection.confident:
        return detection.language
    return conversation_language if conversation_language in LANGUAGES else None


def say(key: str, language: Optional[str], **values) -> str:
    """The text in ``language``; in the five languages, one per line, when it is not known."""
    if language in LANGUAGES:
        return t(CATALOGUE, key, language, **values)
    return "\n".join(t(CATALOGUE, key, lang, **values) for lang in LANGUAGES)


def apology(language: Optional[str], countries: Iterable[str] = ()) -> str:
    """No bot message this turn: sorry, 112, and whom to ask (the conversation's countries)."""
    if language not in LANGUAGES:
        return say("apology", None)
    contacts = [t("knowledge", f"contact_{c}", language) for c in countries if c in COUNTRIES] \
        or [t(CATALOGUE, "contact_default", language)]
    return "\n".join([t(CATALOGUE, "apology", language), t(CATALOGUE, "contact_intro", language),
                      *(f"- {line}" for line in contacts)])


@dataclass(frozen=True)
class Conversation:
    language: Optional[str] = None
    countries: Tuple[str, ...] = ()


async def read_conversation(tracker_store, sender: str) -> Conversation:
    """The language and countries of a stored conversation; nothing when it cannot be read."""
    try:
        from assistant.dialogue.slots import countries_of  # work_country may hold a list

        tracker = await tracker_store.retrieve(sender)
        if tracker is None:
            return Conversation()
        return Conversation(tracker.get_slot("language"), tuple(
            countries_of(tracker.get_slot("residence_country"), tracker.get_slot("work_country"))))
    except Exception:  # the apology must not depend on the tracker store being healthy
        logger.warning("conversation of %r unreadable for a channel reply", sender, exc_info=True)
        return Conversation()


async def _no_conversation(_sender: str) -> Conversation:
    return Conversation()


@dataclass(frozen=True)
class Verdict:
    """Either ``text`` to hand to the NLU or ``reply`` to answer instead."""
    text: Optional[str] = None
    reply: Optional[str] = None


class Guard:
    """The checks and replies shared by both channels; one per channel instance."""

    def __init__(self, limits: Limits,
                 conversation: Callable[[str], Awaitable[Conversation]] = _no_conversation) -> None:
        self.limits = limits
        self.rate = RateLimiter(limits.rate_limit_messages, limits.rate_limit_window_s)
        self.conversation = conversation
        self._unanswered: "collections.Counter[str]" = collections.Counter()

    def attach(self, blueprint) -> None:
        """Once the Sanic app exists: bound its request bodies, and read conversations from its
        agent's tracker store (looked up at each use: Rasa replaces the agent with a new model)."""
        @blueprint.listener("before_server_start")
        async def bind_to_app(app, _loop) -> None:
            # Sanic's default is 100 MB per body; each connection reads this value when it opens.
            app.config.REQUEST_MAX_SIZE = self.limits.request_max_bytes
            _detector(), _emergency_matcher()  # loaded now, not in the first guarded turn
            self.conversation = lambda sender: read_conversation(app.ctx.agent.tracker_store, sender)

    async def _language(self, sender: str, text: str, metadata: Any) -> Optional[str]:
        chosen = reply_language(text, metadata)
        return chosen or (await self.conversation(sender)).language

    async def screen(self, sender: str, text: str, metadata: Any) -> Verdict:
        # Only messages sent while an earlier one of the conversation is still unanswered count: a
        # client that waits for each answer (a person, the tests, the load test) is never slowed
        # down (Rasa runs one turn per conversation at a time), one that floods is.
        if self._unanswered[sender] and not self.rate.allow(sender):
            # No tracker read here: a flood must stay cheap.
            return Verdict(reply=say("rate_limited", reply_language(text, metadata),
                                     seconds=round(self.limits.rate_limit_window_s)))
        cleaned = clean_text(text)
        if (is_blank(cleaned) or len(cleaned) > self.limits.max_message_chars) and not self.rate.allow(sender):
            # What the guard answers itself never leaves anything unanswered, so it counts here: a
            # stream of over-long messages (each scanned for an emergency) is slowed down like a flood.
            return Verdict(reply=say("rate_limited", reply_language(text[:self.limits.max_message_chars], metadata),
                                     seconds=round(self.limits.rate_limit_window_s)))
        if is_blank(cleaned):
            return Verdict(reply=say("empty", await self._language(sender, "", metadata)))
        if len(cleaned) > self.limits.max_message_chars:
            excerpt = emergency_excerpt(cleaned, self.limits.max_message_chars)
            if excerpt is not None:
                logger.info("over-long message of %r describes an emergency: its excerpt goes on", sender)
                return Verdict(text=excerpt)
            return Verdict(reply=say("too_long", await self._language(sender, cleaned, metadata),
                                     length=len(cleaned), limit=self.limits.max_message_chars))
        return Verdict(text=cleaned)

    def never_silent(self, on_new_message: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[None]]:
        """``on_new_message`` that apologises when the turn sent no bot message at all (action
        server down or failing, an exception in the turn): the user is never left waiting."""
        async def handle(message) -> None:
            sent = _count_replies(message.output_channel)
            self._unanswered[message.sender_id] += 1
            try:
                await on_new_message(message)
            finally:
                if not sent():
                    await self._apologise(message)
                self._unanswered[message.sender_id] -= 1
                if not self._unanswered[message.sender_id]:
                    del self._unanswered[message.sender_id]
        return handle

    async def _apologise(self, message) -> None:
        try:
            conversation = await self.conversation(message.sender_id)
            language = reply_language(message.text or "", message.metadata, conversation.language)
            await message.output_channel.send_text_message(
                message.sender_id, apology(language, conversation.countries))
        except Exception:
            logger.exception("could not send the apology for an empty turn of %r", message.sender_id)


def _count_replies(output_channel) -> Callable[[], int]:
    """Counts what the turn sends: every bot message of Rasa's processor goes through
    ``send_response`` (rasa/core/processor.py), whatever the channel, so it is wrapped on this
    one turn's output channel instance."""
    count = [0]
    send_response = output_channel.send_response

    async def counting(recipient_id, message) -> None:
        count[0] += 1
        await send_response(recipient_id, message)

    output_channel.send_response = counting
    return lambda: count[0]
