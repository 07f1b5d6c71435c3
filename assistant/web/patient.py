"""The patient widget page (/): the chat talks to Rasa's socket.io channel directly."""
from __future__ import annotations

from sanic import Blueprint, response

from assistant.i18n import LANGUAGES
from assistant.web.texts import LANGUAGE_NAMES, PATIENT_KEYS, all_texts, page_language

patient = Blueprint("patient")


@patient.get("/")
async def widget_page(request):
    config = request.app.ctx.config
    language = page_language(request.args.get("lang"), request.headers.get("accept-language"),
                             config.settings.default_language)
    days = f"{config.retention_days:g}"
    texts = all_texts(PATIENT_KEYS, days=days)
    page = request.app.ctx.templates.get_template("patient.html").render(
        lang=language, t=texts[language], languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        # Read by widget.js from a JSON block (not executed, escaped by |tojson).
        widget_config={"socketUrl": config.browser_rasa_url, "pageLanguage": language, "texts": texts,
                       "storageKey": "cross-border-health-chat"},
    )
    return response.html(page)
