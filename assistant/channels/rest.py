"""Rasa's REST channel (``/webhooks/rest/webhook``) behind the checks of guard.py.

Rasa's ``receive`` reads ``request.json`` as it comes: a body that is not an object with a
string message fails inside the turn, and nothing bounds its size or rate. Here a request
middleware of the channel's blueprint reads the body first: 400 with a JSON error for what
cannot be read, the guard's reply for what must not reach the NLU, and otherwise the cleaned
message, which the ``_extract_*`` methods hand to Rasa's unchanged ``receive``.
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.request import Request

from assistant.channels.guard import BadRequest, Guard, parse_rest_body
from assistant.settings import load_channel_limits


class GuardedRestInput(RestInput):
    def __init__(self) -> None:
        self.guard = Guard(load_channel_limits())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(self.guard.never_silent(on_new_message))
        self.guard.attach(webhook)

        @webhook.middleware("request")
        async def screen(request: Request) -> Optional[response.HTTPResponse]:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            try:
                message = parse_rest_body(request.body)
            except BadRequest as error:
                return response.json({"error": "bad_request", "message": str(error)}, status=400)
            verdict = await self.guard.screen(message.sender, message.text, message.metadata)
            if verdict.reply is not None:
                # The same JSON as a bot reply (a 200, not an error page): clients show it as one.
                collector = CollectingOutputChannel()
                await collector.send_text_message(message.sender, verdict.reply)
                if bool_arg(request, "stream", default=False):  # as Rasa streams: a JSON object a line
                    return response.text("".join(json.dumps(m) + "\n" for m in collector.messages),
                                         content_type="text/event-stream")
                return response.json(collector.messages)
            request.ctx.message = message
            request.ctx.text = verdict.text
            return None

        return webhook

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        return req.ctx.message.sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        return req.ctx.text

    def _extract_input_channel(self, req: Request) -> Text:
        return req.ctx.message.input_channel or self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        return request.ctx.message.metadata
