"""Reply templates of the custom actions, one YAML file per feature.

Each file maps a message key to its text in every supported language::

    no_result:
      fr: "Je n'ai pas trouvé de réponse fiable."
      de: "..."
      nl: "..."
      lb: "..."
      en: "..."

Texts are ``str.format`` templates. A missing language falls back to the
default language rather than failing, but ``tests/`` checks that none is missing.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Dict

import yaml

LANGUAGES = ("fr", "de", "nl", "lb", "en")
DEFAULT_LANGUAGE = "fr"
_HERE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=None)
def catalogue(name: str) -> Dict[str, Dict[str, str]]:
    """The templates of one feature (``assistant/i18n/<name>.yml``)."""
    with open(_HERE / f"{name}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def catalogue_names() -> list:
    return sorted(p.stem for p in _HERE.glob("*.yml"))


def normalise_language(language: str | None) -> str:
    language = (language or "").lower()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def t(name: str, key: str, language: str | None, **values) -> str:
    """The text of ``key`` in ``language``, formatted with ``values``."""
    variants = catalogue(name)[key]
    text = variants.get(normalise_language(language)) or variants[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text
