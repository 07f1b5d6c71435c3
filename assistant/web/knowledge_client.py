"""The action server's knowledge search, as the console uses it (like rasa_api.py for Rasa).

One retrieval path: the web app holds no model and no index. The agent's search box and the
suggested reply ask the action server (assistant/knowledge/http_api.py), which answers with the
model, index, thresholds and glossaries the patient's reply came from. When it does not answer,
KnowledgeUnavailable: the console says "retrieval unavailable" rather than guess with other means.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from typing import Optional

import httpx

log = logging.getLogger(__name__)

PATH = "/knowledge/search"
# The endpoint refuses longer questions (http_api.MAX_QUESTION; not imported: that module pulls in
# the retrieval stack this process must not load).
MAX_QUESTION = 500


class KnowledgeUnavailable(RuntimeError):
    pass


class KnowledgeClient:
    # Short: a question takes ~30 ms there; longer means the action server is down or stuck, and
    # the console is polled every few seconds.
    def __init__(self, actions_url: str, timeout_s: float = 4.0, connect_s: float = 1.0) -> None:
        self._url = actions_url.rstrip("/") + PATH
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout_s, connect=connect_s))

    async def close(self) -> None:
        await self._client.aclose()

    async def search(self, question: str, language: Optional[str], reply_language: str, k: int = 5) -> dict:
        """{passages, answer, reason} for ``question`` asked in ``language`` (None: unknown), shown in
        ``reply_language``; see assistant/knowledge/http_api.py."""
        params = {"q": question.strip()[:MAX_QUESTION], "reply_language": reply_language, "k": k}
        if language:
            params["language"] = language
        try:
            reply = await self._client.get(self._url, params=params)
        except httpx.HTTPError as error:
            raise KnowledgeUnavailable(f"action server: {error!r}") from error
        if reply.status_code != 200:
            if reply.status_code != 503:      # a 4xx is a mistake on this side: say so in the log
                log.error("knowledge search refused (HTTP %s): %s", reply.status_code, reply.text[:200])
            raise KnowledgeUnavailable(f"knowledge search: HTTP {reply.status_code}")
        try:
            found = reply.json()
            return {"passages": list(found["passages"]), "answer": found.get("answer"), "reason": found.get("reason")}
        except (ValueError, KeyError, TypeError) as error:    # another program on that port
            raise KnowledgeUnavailable(f"knowledge search: unreadable reply ({error!r})") from error


class BlockingSearch:
    """``search`` for code in a worker thread: a conversation's detail is computed with
    asyncio.to_thread (lookups are CPU work), and its suggestion may need a knowledge answer.
    The request runs on the app's event loop, which owns the httpx client; only the thread waits."""

    def __init__(self, client: KnowledgeClient, loop: asyncio.AbstractEventLoop, timeout_s: float = 10.0) -> None:
        self._client, self._loop, self._timeout_s = client, loop, timeout_s

    def search(self, question: str, language: Optional[str], reply_language: str, k: int = 5) -> dict:
        future = asyncio.run_coroutine_threadsafe(self._client.search(question, language, reply_language, k),
                                                  self._loop)
        try:
            return future.result(self._timeout_s)
        except concurrent.futures.TimeoutError as error:
            future.cancel()
            raise KnowledgeUnavailable("knowledge search: no answer in time") from error
