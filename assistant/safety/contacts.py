"""National out-of-hours numbers to add after the 112 instruction."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterable, List, Mapping, Optional

import yaml

from assistant.i18n import t

NUMBERS_FILE = Path(__file__).resolve().parents[2] / "data" / "contacts" / "emergency_numbers.yml"
COUNTRIES = ("BE", "FR", "LU", "DE", "NL")


@functools.lru_cache(maxsize=None)
def emergency_numbers() -> dict:
    with open(NUMBERS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["countries"]


def countries_in_context(entities: Iterable[Mapping], *slot_values: Optional[str]) -> List[str]:
    """Countries named in the message first, then where the user lives and works."""
    named = [e.get("value") for e in entities or [] if e.get("entity") == "country"]
    ordered = []
    for country in [*named, *slot_values]:
        if country in COUNTRIES and country not in ordered:
            ordered.append(country)
    return ordered


def emergency_contact_lines(countries: Iterable[str], language: Optional[str]) -> List[str]:
    numbers = emergency_numbers()
    lines = []
    for country in countries:
        entry = numbers.get(country)
        if not entry:
            continue
        values = {k: v for k, v in entry.items() if isinstance(v, str)}
        values.update(source_title=entry["source"]["title"], source_url=entry["source"]["url"])
        lines.append(t("emergency", country, language, **values))
    return lines
