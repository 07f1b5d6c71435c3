"""The pages' texts (assistant/i18n/web.yml) and the choice of a page's first language."""
from __future__ import annotations

from typing import Dict, Optional

from assistant.i18n import LANGUAGES, catalogue, normalise_language

CATALOGUE = "web"
# Shown in the language selector in their own language, never translated.
LANGUAGE_NAMES = {"fr": "Français", "de": "Deutsch", "nl": "Nederlands", "lb": "Lëtzebuergesch", "en": "English"}


class _KeepUnknown(dict):
    """A placeholder this page does not fill stays as written instead of failing."""

    def __missing__(self, key):
        return "{" + key + "}"


def texts(language: str, **values) -> Dict[str, str]:
    language = normalise_language(language)
    out = {}
    for key, variants in catalogue(CATALOGUE).items():
        text = variants.get(language) or variants["fr"]
        out[key] = text.format_map(_KeepUnknown(values)) if "{" in text else text
    return out


# The widget's texts; the console's stay out of the patient's page.
PATIENT_KEYS = ("page_title", "intro", "language_label", "language_auto", "chat_label", "welcome", "input_label",
                "input_placeholder", "send", "new_conversation", "status_connecting", "status_online",
                "status_offline", "typing", "you_said", "assistant_said", "agent_said", "emergency_label",
                "call_112", "privacy_title", "privacy_summary", "privacy_text", "source_label", "opens_new_tab",
                "pmap_title", "pmap_place", "pmap_hospital", "pmap_domestic", "pmap_territory",
                "pmap_territory_approx", "pmap_territory_unknown", "pmap_list_first", "zones_link", "straight_line")


def all_texts(keys=None, **values) -> Dict[str, Dict[str, str]]:
    out = {}
    for language in LANGUAGES:
        every = texts(language, **values)
        out[language] = {k: every[k] for k in keys} if keys else every
    return out


def page_language(query_lang: Optional[str], accept_language: Optional[str], default: str) -> str:
    """?lang= first, then the browser's preferred languages, then the product's default."""
    if query_lang and query_lang.lower() in LANGUAGES:
        return query_lang.lower()
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return normalise_language(default)
