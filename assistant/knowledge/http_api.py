"""The knowledge search the agent console asks the action server for: one retrieval path.

The console (assistant/web) used to load its own e5 model and rank with its own code and
thresholds, so an agent could see other passages than the patient got. Now the action server,
which holds the model and the index once (runtime.py), answers the console too, with the same
Searcher, thresholds, glossaries and composition (answer.py) as the knowledge action.

    GET /knowledge/search?q=...&language=lb&reply_language=fr&k=5

    q               the question, 1-500 characters (400 beyond, as when empty)
    language        the question's language, as the conversation's `language` slot: it picks the
                    glossary (Luxembourgish) and the threshold. Omitted: unknown, as the action
                    does with an empty slot (no glossary, the French threshold).
    reply_language  the language to show passages and answer in (default: language, else fr);
                    the agent's language, while the question may be the patient's
    k               passages to return, 1-10 (default 5)

    200 {"passages": [{id, language, title, section, text, url, date, score}...],
         "answer": {text, language, passage_language, section, score, sources: [...]} | null,
         "reason": "answered" | "below_threshold"}
    400 {"error": "...", "detail": "..."}     bad input (never a 5xx)
    503 {"error": "retrieval_unavailable"}    no model or no index, or the search failed

Passages are the ranked documents, each with the section the answer would quote in
``reply_language``; the first is the answer's own when there is one. ``answer`` is what the
assistant would reply (passage, source line, see also), null below the threshold.
Read-only, on the action server's interface (ACTIONS_HOST, loopback): it stores nothing and returns only
knowledge documents, but its query may be a patient's words, so it is never exposed.
"""
from __future__ import annotations

import logging
from typing import Callable, Optional

from sanic import Blueprint, response

from assistant.i18n import LANGUAGES, normalise_language
from assistant.knowledge import runtime
from assistant.knowledge.answer import compose, country_weight, question_countries, quote, rank_documents

log = logging.getLogger(__name__)

PATH = "/knowledge/search"
MAX_QUESTION = 500
MAX_K, DEFAULT_K = 10, 5


class BadRequest(ValueError):
    def __init__(self, error: str, detail: str) -> None:
        super().__init__(detail)
        self.error, self.detail = error, detail


def _language(request, name: str) -> Optional[str]:
    value = (request.args.get(name) or "").strip().lower()
    if value and value not in LANGUAGES:
        raise BadRequest("bad_language", f"{name} must be one of {', '.join(LANGUAGES)}")
    return value or None


def parse(request) -> dict:
    """The search's arguments from the query string, or BadRequest."""
    question = (request.args.get("q") or "").strip()
    if not question:
        raise BadRequest("q_required", "q (the question) is required")
    if len(question) > MAX_QUESTION:
        raise BadRequest("q_too_long", f"q is limited to {MAX_QUESTION} characters")
    raw_k = request.args.get("k") or str(DEFAULT_K)
    if not (raw_k.isascii() and raw_k.isdigit()) or not 1 <= int(raw_k) <= MAX_K:
        raise BadRequest("bad_k", f"k must be an integer from 1 to {MAX_K}")
    language = _language(request, "language")
    return {"question": question, "language": language,
            "reply_language": _language(request, "reply_language") or language or "fr", "k": int(raw_k)}


def passages(result, language: str, config, k: int) -> list:
    """The k best documents, each with the section the answer would quote in ``language``."""
    named, weight = question_countries(result), country_weight(config)
    found = []
    for document in rank_documents(result, countries=named, weight=weight)[:k]:
        quoted = quote(result, document, language, config, named, weight)
        found.append(dict(quoted.source.as_dict(), section=quoted.heading, text=quoted.text))
    return found


def search(question: str, language: Optional[str], reply_language: str, k: int) -> dict:
    """Blocking (embedding): the same search and threshold as runtime.answer for this question."""
    engine = runtime.searcher()
    config = engine.config
    result = engine.search(question, language)
    # The question's language sets the threshold, as in the action (compose's own default would
    # take the reply language's): the agent gets an answer exactly when the patient did.
    reply = compose(result, reply_language, config,
                    threshold=config.threshold_for(normalise_language(language)))
    answer = None
    if reply.found:
        answer = {"text": reply.text, "language": reply.language, "passage_language": reply.passage_language,
                  "section": reply.section, "score": round(reply.score, 4), "sources": reply.sources()}
    return {"passages": passages(result, reply_language, config, k), "answer": answer, "reason": reply.reason}


def knowledge_blueprint(retrieve: Callable[..., dict] = search) -> Blueprint:
    """A new Blueprint per app (the action server builds one app per process)."""
    blueprint = Blueprint("knowledge_api")

    @blueprint.get(PATH)
    async def knowledge_search(request):
        try:
            arguments = parse(request)
        except BadRequest as bad:
            return response.json({"error": bad.error, "detail": bad.detail}, status=400)
        try:
            found = await runtime.in_retrieval_thread(lambda: retrieve(**arguments))
        except Exception:   # no model, no index, a broken version, a bug: the console says so
            log.exception("knowledge search for the console failed")
            return response.json({"error": "retrieval_unavailable"}, status=503)
        return response.json(found)

    return blueprint
