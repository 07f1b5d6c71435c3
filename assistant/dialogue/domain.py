"""The Rasa domain as one mapping, merged from the feature files of `domain/` the way Rasa merges
them (`--domain domain`): lists (intents, entities, actions) are concatenated, mappings (slots,
forms, responses) joined; a name defined twice is an error here, as it would be a surprise there.

For the readers that are not Rasa: the web app's suggested replies and the tests."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import yaml

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "domain"
_LISTS = ("intents", "entities", "actions")
_MAPPINGS = ("slots", "forms", "responses")


def _name(item: Any) -> str:
    return next(iter(item)) if isinstance(item, dict) else str(item)


def load_domain(directory: Path = DOMAIN_DIR) -> Dict[str, Any]:
    merged: Dict[str, Any] = {key: [] for key in _LISTS}
    merged.update({key: {} for key in _MAPPINGS})
    for path in sorted(directory.glob("*.yml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in part.items():
            if key in _LISTS:
                names = {_name(item) for item in merged[key]}
                twice = names & {_name(item) for item in value}
                if twice:
                    raise ValueError(f"{path.name}: {key} defined twice: {sorted(twice)}")
                merged[key].extend(value)
            elif key in _MAPPINGS:
                twice = set(merged[key]) & set(value or {})
                if twice:
                    raise ValueError(f"{path.name}: {key} defined twice: {sorted(twice)}")
                merged[key].update(value or {})
            else:                                  # version, session_config: one file says them
                merged[key] = value
    return merged
