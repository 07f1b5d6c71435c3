"""The Sanic app: patient widget (/), zones page (/zones), agent console (/agent), health, static files.

    create_app(config, rasa_token) -> Sanic

Shared state lives on ``app.ctx``: the config, the Jinja environment, the Rasa API
client, the tracker store Rasa writes (read-only, for the console's list), the action server's
knowledge search client, the agents' file and the session signer.
No retrieval model or index here: the action server has the one copy (knowledge_client.py).
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response

from assistant.tracker_db import open_tracker_db
from assistant.web.agent_api import agent_api
from assistant.web.agent_auth import agent_auth
from assistant.web.config import WebConfig
from assistant.web.knowledge_client import KnowledgeClient
from assistant.web.patient import patient
from assistant.web.rasa_api import RasaApi
from assistant.web.retention import purge_idle_conversations
from assistant.web.security import security_headers
from assistant.web.sessions import Signer, session_key
from assistant.web.throttle import LoginThrottle
from assistant.web.zones_page import zones_page

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"
# The only files of node_modules the browser may fetch, by the name it asks for.
VENDOR_FILES = {
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    "d3-array.min.js": "d3-array/dist/d3-array.min.js",
    "d3-geo.min.js": "d3-geo/dist/d3-geo.min.js",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "countries-10m.json": "world-atlas/countries-10m.json",
}
RETENTION_EVERY_S = 6 * 3600
log = logging.getLogger(__name__)


def templates() -> Environment:
    # Autoescape everything: no user text ever reaches a page unescaped.
    return Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(default=True))


def create_app(config: WebConfig, rasa_token: str, name: str = "cross_border_web") -> Sanic:
    app = Sanic(name)
    app.config.update(REQUEST_MAX_SIZE=64 * 1024, KEEP_ALIVE_TIMEOUT=15)
    app.ctx.config = config
    app.ctx.templates = templates()
    app.ctx.signer = Signer(session_key(config.session_key_file))
    app.ctx.throttle = LoginThrottle()
    app.ctx.rasa_token = rasa_token

    app.blueprint(patient)
    app.blueprint(agent_auth)
    app.blueprint(agent_api)
    app.blueprint(zones_page)
    app.static("/static", STATIC_DIR, name="static")

    @app.get("/health")
    async def health(_request):
        return response.json({"status": "ok"})

    @app.get("/favicon.ico")
    async def favicon(_request):
        return response.empty()

    @app.get("/vendor/<name:str>")
    async def vendor(_request, name: str):
        relative = VENDOR_FILES.get(name)
        path = config.assets_dir / relative if relative else None
        if path is None or not path.exists():
            return response.text("not found (run `make web-assets`)", status=404)
        return await response.file(path, headers={"Cache-Control": "public, max-age=86400"})

    @app.on_response
    async def add_security_headers(request, resp):
        embeddable = request.path == "/"
        for header, value in security_headers(config.browser_rasa_url, embeddable,
                                              config.embed_origins).items():
            resp.headers.setdefault(header, value)
        if request.path.startswith("/agent"):
            resp.headers["Cache-Control"] = "no-store"

    @app.before_server_start
    async def start_clients(app_):
        app_.ctx.rasa = RasaApi(config.rasa_url, rasa_token)
        app_.ctx.knowledge = KnowledgeClient(config.actions_url)
        # The store the Rasa server writes (its endpoints file): read-only for the console, and a
        # writer of its own for retention.
        app_.ctx.tracker = open_tracker_db(config.settings, read_only=True)
        app_.ctx.retention_store = open_tracker_db(config.settings)
        app_.add_task(_retention_loop(app_.ctx.retention_store, config.retention_days), name="retention")

    @app.before_server_stop
    async def stop_housekeeping(app_):
        await app_.cancel_task("retention", raise_exception=False)

    @app.after_server_stop
    async def stop_clients(app_):
        await app_.ctx.rasa.close()
        await app_.ctx.knowledge.close()
        app_.ctx.tracker.close()
        app_.ctx.retention_store.close()

    return app


async def _retention_loop(store, retention_days: float) -> None:
    while True:
        try:
            deleted = await asyncio.to_thread(purge_idle_conversations, store, retention_days)
            if deleted:
                log.info("retention: deleted %d conversations idle for %s days", deleted, retention_days)
        except Exception as error:   # never let housekeeping take the web app down
            log.warning("retention failed: %s", error)
        await asyncio.sleep(RETENTION_EVERY_S)
