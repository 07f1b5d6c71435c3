"""Recognises messages that describe an emergency, independently of the NLU model.

A classifier trained on a few hundred examples will miss some phrasings; this
matcher is the deterministic second line (data/safety/emergency_lexicon.yml) and
runs after DIET in the Rasa pipeline. Standard library + PyYAML only.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import yaml

DEFAULT_LEXICON = Path(__file__).resolve().parents[2] / "data" / "safety" / "emergency_lexicon.yml"


def normalise_for_matching(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces."""
    text = unicodedata.normalize("NFKD", text or "").replace("’", "'")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class EmergencyMatch:
    language: str
    pattern: str
    matched_text: str


class EmergencyMatcher:
    def __init__(self, lexicon_path: Path | str = DEFAULT_LEXICON) -> None:
        with open(lexicon_path, encoding="utf-8") as handle:
            patterns: Dict[str, List[str]] = yaml.safe_load(handle)["patterns"]
        # Patterns are written with accents for readability; match them the way text is normalised.
        self._patterns = [
            (language, source, re.compile(rf"(?<!\w)(?:{normalise_for_matching(source)})", re.UNICODE))
            for language, sources in patterns.items()
            for source in sources
        ]

    def match(self, text: str) -> Optional[EmergencyMatch]:
        normalised = normalise_for_matching(text)
        for language, source, pattern in self._patterns:
            found = pattern.search(normalised)
            if found:
                return EmergencyMatch(language, source, found.group(0))
        return None

    def is_emergency(self, text: str) -> bool:
        return self.match(text) is not None
