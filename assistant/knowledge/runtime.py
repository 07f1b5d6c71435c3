"""The action server's single Searcher, and the way actions call it without blocking.

Loading: rasa-sdk imports the actions package twice, in Sanic's main process (which
only supervises) and in its worker process (which serves). The worker has
SANIC_WORKER_NAME set: there the model and the index are loaded at import time, before
the server listens, so ``/health`` answers only once retrieval is ready (~5 s) and no
user pays for the loading. The main process never loads them (that would double the
memory). Anywhere else (tests, scripts) loading happens on first use, under a lock.

Serving: embedding a question is CPU-bound torch work. It runs in one dedicated
thread (``run_in_executor``), so the Sanic event loop keeps serving other requests;
questions queue there one at a time, which is also the fastest order on 2 cores.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Optional, Sequence, TypeVar

from assistant.knowledge.answer import KnowledgeReply, compose, no_answer
from assistant.knowledge.config import KnowledgeConfig, load_config
from assistant.knowledge.countries import countries_in, normalise_countries
from assistant.knowledge.search import Searcher

log = logging.getLogger(__name__)
T = TypeVar("T")

_lock = threading.Lock()
_searcher: Optional[Searcher] = None
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="knowledge")


def searcher() -> Searcher:
    global _searcher
    if _searcher is None:
        with _lock:
            if _searcher is None:
                _searcher = Searcher(load_config())
    return _searcher


def in_serving_process() -> bool:
    return bool(os.environ.get("SANIC_WORKER_NAME"))


def preload() -> bool:
    """Model and index in memory, one warm-up query run; False (logged) when not possible."""
    try:
        searcher().warm_up()
        return True
    except Exception as error:   # the server must start anyway: replies will say "unavailable"
        log.error("knowledge retrieval not ready: %s", error)
        return False


def preload_if_serving() -> None:
    if in_serving_process():
        preload()


def answer(question: str, language: Optional[str], countries: Sequence[str] = (),
           threshold: Optional[float] = None) -> KnowledgeReply:
    """Blocking: retrieval + composition. Never raises; an unusable index gives a contact reply.

    ``countries``: those of the conversation (ISO codes; None, duplicates and lists inside
    the list, as a list-valued slot gives, are accepted), whose contacts a reply without an
    answer gives. The countries the question names are read from ``question`` itself.
    """
    countries = normalise_countries(countries)
    engine = searcher()
    config: KnowledgeConfig = engine.config
    try:
        result = engine.search(question, language)
    except Exception as error:
        log.error("knowledge search failed: %s", error)
        # Whatever was loaded before still gives the contact document's link.
        return no_answer(language or "fr", countries, engine.loaded, "unavailable", named=countries_in(question))
    return compose(result, language or "fr", config, countries, threshold)


async def in_retrieval_thread(work: Callable[..., T], *args) -> T:
    """``work(*args)`` in the one retrieval thread: the event loop keeps serving, and torch never runs
    two questions at once (the action's and the console's queue up together)."""
    return await asyncio.get_running_loop().run_in_executor(_executor, work, *args)


async def answer_async(question: str, language: Optional[str], countries: Sequence[str] = (),
                       threshold: Optional[float] = None) -> KnowledgeReply:
    return await in_retrieval_thread(answer, question, language, normalise_countries(countries), threshold)
