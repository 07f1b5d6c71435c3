"""The agent console page and its JSON API (all behind the agent's session)."""
from __future__ import annotations

import asyncio
import logging

from sanic import Blueprint, response
from sqlalchemy.exc import SQLAlchemyError

from assistant.i18n import LANGUAGES, normalise_language
from assistant.web.agent_auth import current_agent, requires_agent
from assistant.web.console import DetailCache, conversation_detail
from assistant.web.conversations import live_conversations
from assistant.web.knowledge_client import BlockingSearch, KnowledgeUnavailable
from assistant.web.lookups import facility_lookup, insurer_lookup, situation_from
from assistant.web.rasa_api import RasaUnavailable
from assistant.web.texts import LANGUAGE_NAMES, all_texts, texts

logger = logging.getLogger(__name__)
agent_api = Blueprint("agent_api")
_cache = DetailCache()
MAX_QUERY = 300
MAX_REPLY = 2000


def _language(request) -> str:
    return normalise_language(request.args.get("lang") or request.ctx.agent.get("language"))


def _query(request, name: str) -> str:
    return (request.args.get(name) or "").strip()[:MAX_QUERY]


@agent_api.get("/agent")
async def console_page(request):
    agent = current_agent(request)
    if agent is None:
        return response.redirect("/agent/login", status=303)
    language = normalise_language(agent.get("language"))
    page = request.app.ctx.templates.get_template("agent.html").render(
        lang=language, t=texts(language), agent=agent, csrf=agent["csrf"],
        languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        console_config={"agentLanguage": language, "csrf": agent["csrf"], "texts": all_texts(),
                        "languageNames": LANGUAGE_NAMES})
    return response.html(page)


@agent_api.get("/agent/api/conversations")
@requires_agent
async def conversations(request):
    try:
        rows = await asyncio.to_thread(live_conversations, request.app.ctx.tracker, request.app.ctx.config.live_hours)
    except SQLAlchemyError as error:
        # The tracker store (PostgreSQL in production) is away: say so, as the detail says "Rasa unavailable".
        logger.warning("conversation list: tracker store unavailable: %s", error)
        return response.json({"error": "tracker_store_unavailable"}, status=503)
    return response.json({"conversations": [row.as_dict() for row in rows]})


@agent_api.get("/agent/api/conversation")
@requires_agent
async def conversation(request):
    sender_id = (request.args.get("id") or "")[:255]
    if not sender_id:
        return response.json({"error": "id required"}, status=400)
    language = _language(request)
    try:
        tracker = await request.app.ctx.rasa.tracker(sender_id)
    except RasaUnavailable:
        return response.json({"error": "rasa unavailable"}, status=503)
    if tracker is None or not tracker.get("events"):
        return response.json({"error": "not found"}, status=404)
    key = (sender_id, tracker.get("latest_event_time"), language)
    detail = _cache.get(key)
    if detail is None:
        knowledge = BlockingSearch(request.app.ctx.knowledge, asyncio.get_running_loop())
        detail = await asyncio.to_thread(conversation_detail, tracker, language, knowledge)
        if detail["suggestion"]["kind"] != "unavailable":    # asked again at the next poll
            _cache.put(key, detail)
    return response.json(detail)


@agent_api.post("/agent/api/send")
@requires_agent
async def send(request):
    body = request.json or {}
    sender_id = str(body.get("id") or "")[:255]
    text = str(body.get("text") or "").strip()[:MAX_REPLY]
    if not sender_id or not text:
        return response.json({"error": "id and text required"}, status=400)
    label = texts(_language(request))["agent_said"]
    try:
        await request.app.ctx.rasa.send_bot_message(sender_id, f"👤 **{label}** : {text}",
                                                    request.ctx.agent["user"])
    except RasaUnavailable:
        return response.json({"error": "rasa unavailable"}, status=503)
    return response.json({"sent": True})


@agent_api.get("/agent/api/search")
@requires_agent
async def search(request):
    query, language = _query(request, "q"), _language(request)
    if not query:
        return response.json({"passages": [], "answer": None})
    try:
        # The agent's words in the agent's language, searched as the assistant searches.
        found = await request.app.ctx.knowledge.search(query, language, language, k=5)
    except KnowledgeUnavailable:
        return response.json({"error": "retrieval_unavailable"}, status=503)
    return response.json({"passages": found["passages"], "answer": found["answer"]})


@agent_api.get("/agent/api/insurer")
@requires_agent
async def insurer(request):
    query, language = _query(request, "q"), _language(request)
    lookup = await asyncio.to_thread(lambda: insurer_lookup(situation_from({}, [query]), language))
    return response.json({"insurer": lookup})


@agent_api.get("/agent/api/facility")
@requires_agent
async def facility(request):
    place, language = _query(request, "place"), _language(request)
    country = (request.args.get("country") or "").upper() or None
    if country not in (None, "BE", "FR", "LU", "DE", "NL"):
        country = None
    lookup = await asyncio.to_thread(facility_lookup, place, language, country)
    return response.json({"facility": lookup})
