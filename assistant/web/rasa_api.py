"""The Rasa HTTP API, as the console uses it; the token never leaves the server."""
from __future__ import annotations

from typing import Optional
from urllib.parse import quote

import httpx


class RasaUnavailable(RuntimeError):
    pass


class RasaApi:
    def __init__(self, rasa_url: str, token: str, timeout_s: float = 10.0) -> None:
        self._url = rasa_url.rstrip("/")
        self._token = token
        self._client = httpx.AsyncClient(timeout=timeout_s)

    async def close(self) -> None:
        await self._client.aclose()

    def _conversation(self, sender_id: str, tail: str) -> str:
        return f"{self._url}/conversations/{quote(sender_id, safe='')}/{tail}"

    async def tracker(self, sender_id: str) -> Optional[dict]:
        try:
            reply = await self._client.get(self._conversation(sender_id, "tracker"),
                                           params={"token": self._token})
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        if reply.status_code == 404:
            return None
        if reply.status_code != 200:
            raise RasaUnavailable(f"tracker: HTTP {reply.status_code}")
        return reply.json()

    async def send_bot_message(self, sender_id: str, text: str, agent: str) -> None:
        """Append a bot message to the conversation and push it to the patient's channel."""
        event = {"event": "bot", "text": text, "metadata": {"sent_by_agent": agent}}
        try:
            reply = await self._client.post(
                self._conversation(sender_id, "tracker/events"), json=[event],
                params={"token": self._token, "output_channel": "latest",
                        "execute_side_effects": "true"})
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        if reply.status_code != 200:
            raise RasaUnavailable(f"append events: HTTP {reply.status_code}")
