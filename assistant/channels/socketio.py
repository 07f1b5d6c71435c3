"""Rasa's socket.io channel (the web widget's) behind the checks of guard.py.

Rasa builds its socket.io server with ``cors_allowed_origins=[]``, which switches engine.io's
Origin check off: any web page could open a conversation. Here engine.io refuses other origins
than those the Rasa server allows by CORS (``--cors``: the web app's) at the handshake, packets
are bounded, and the user-message handler runs the guard before handing the cleaned message to
Rasa's own handler (session persistence, ``metadata_key`` and the event names stay Rasa's).
"""
from __future__ import annotations

import json
import logging
import sys
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from assistant.channels.guard import MAX_SENDER_CHARS, Guard, cors_origins_from_argv
from assistant.settings import load_channel_limits, load_settings

logger = logging.getLogger(__name__)


class GuardedSocketIOInput(SocketIOInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = Guard(load_channel_limits())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(self.guard.never_silent(on_new_message))
        self.guard.attach(webhook)
        sio = self.sio
        cors = cors_origins_from_argv(sys.argv)
        sio.eio.cors_allowed_origins = list(cors or (load_settings().web_origin,))
        if cors:
            # Rasa's sanic-cors already sends the CORS headers of these origins on every route; with
            # engine.io's as well, a polling response would carry Access-Control-Allow-Origin twice
            # and browsers refuse that. engine.io keeps its Origin check and drops its headers.
            sio.eio._cors_headers = lambda environ: []
        # Polling bodies; WebSocket messages are bounded by Sanic's WEBSOCKET_MAX_SIZE (1 MiB).
        sio.eio.max_http_buffer_size = self.guard.limits.request_max_bytes
        rasa_handle_message = sio.handlers[self.namespace or "/"][self.user_message_evt]

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                logger.warning("socket.io message of %s ignored: not an object", sid)
                return
            sender = data.get("session_id") if self.session_persistence else sid
            if not sender:
                return await rasa_handle_message(sid, data)  # Rasa warns and ignores it
            if not isinstance(sender, str) or len(sender) > MAX_SENDER_CHARS:
                logger.warning("socket.io message of %s ignored: invalid session_id", sid)
                return
            text = data.get("message")
            metadata = _metadata(data.get(self.metadata_key))
            verdict = await self.guard.screen(sender, text if isinstance(text, str) else "", metadata)
            if verdict.reply is not None:
                await SocketIOOutput(sio, self.bot_message_evt).send_text_message(sender, verdict.reply)
                return
            await rasa_handle_message(sid, {**data, "message": verdict.text, self.metadata_key: metadata})

        return webhook


def _metadata(value: Any) -> Dict[str, Any]:
    """Rasa accepts the metadata as an object or a JSON string and fails on anything else."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}
