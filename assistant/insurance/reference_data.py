"""Loads the insurance reference data (data/insurance/*.yml) and answers lookups on it."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from assistant.i18n import normalise_language

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "insurance"

CONFIDENCE_ORDER = ("solid", "single_source", "uncertain")


@functools.lru_cache(maxsize=None)
def load(name: str) -> Dict[str, Any]:
    """One data file, e.g. ``load("rules")`` for data/insurance/rules.yml."""
    with open(DATA_DIR / f"{name}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@functools.lru_cache(maxsize=None)
def institutions() -> Dict[str, Dict[str, Any]]:
    """Every institution by id."""
    by_id = {}
    for country, entries in load("institutions").items():
        for entry in entries:
            if entry["id"] in by_id:
                raise ValueError(f"duplicate institution id {entry['id']}")
            by_id[entry["id"]] = dict(entry, country=entry.get("country", country))
    return by_id


def institution(institution_id: str) -> Dict[str, Any]:
    try:
        return institutions()[institution_id]
    except KeyError:
        raise KeyError(f"unknown institution id {institution_id!r} (see data/insurance/institutions.yml)") from None


def institution_name(institution_id: str, language: Optional[str], short: bool = False) -> str:
    """The institution's name in ``language``; ``short`` for repeat mentions ("CNS" after "CNS (Caisse...)")."""
    entry = institution(institution_id)
    language = normalise_language(language)
    if short:
        name = (entry.get("short_names") or {}).get(language) or entry.get("short")
        if name:
            return name
    return (entry.get("names") or {}).get(language) or entry["name"]


def source(source_id: str) -> Dict[str, str]:
    try:
        return load("rules")["sources"][source_id]
    except KeyError:
        raise KeyError(f"unknown source id {source_id!r} (see data/insurance/rules.yml)") from None


def weakest(*confidences: Optional[str]) -> str:
    """The least certain of several confidence levels (a chain is as weak as its weakest link)."""
    ranks = [CONFIDENCE_ORDER.index(c) for c in confidences if c]
    return CONFIDENCE_ORDER[max(ranks)] if ranks else "solid"


def insurer_country(name: Optional[str]) -> Optional[str]:
    """The country of a named insurer ("Partenamut" -> BE), if it is one we know."""
    if not name:
        return None
    wanted = name.strip().casefold()
    for entry in institutions().values():
        candidates: List[str] = [entry["name"], *(entry.get("members") or [])]
        if any(wanted == c.casefold() for c in candidates):
            return entry["country"]
    return None
