"""Health-insurance words that overrule an "out of scope" intent (data/scope/health_terms.yml).

The intent model learned "out of scope" from near-domain questions (taxes, family allowances, jobs);
a question worded with the field's own terms it never saw ("Which is the competent State?") can land
there, and the user is told we cannot help. When the message names a term of the field and no
near-domain subject, and the model's second choice is a question intent, that intent takes the place
of "out of scope" and its confidence. Standard library + PyYAML only, so the
Rasa component (assistant/scope/component.py) and the unit tests share it.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import yaml

from assistant.safety.emergency import normalise_for_matching

DEFAULT_TERMS = Path(__file__).resolve().parents[2] / "data" / "scope" / "health_terms.yml"
OUT_OF_SCOPE = "out_of_scope"
# The intents that answer a question of the field: the one ranked highest takes the place.
QUESTION_INTENTS = ("ask_knowledge", "ask_competent_insurer", "ask_nearest_facility")


def _compile(patterns: Sequence[str], word_start: bool) -> re.Pattern:
    # Patterns are written with accents for readability; match them the way the text is normalised.
    anchor = "(?<!\\w)" if word_start else ""
    return re.compile("|".join(f"{anchor}(?:{normalise_for_matching(pattern)})" for pattern in patterns))


class ScopeTerms:
    def __init__(self, path: Path | str = DEFAULT_TERMS) -> None:
        with open(path, encoding="utf-8") as handle:
            terms = yaml.safe_load(handle)
        self._in_scope = _compile(terms["in_scope"], word_start=True)
        self._keeps_out = _compile(terms["keeps_out"], word_start=False)

    def field_term(self, text: str) -> Optional[str]:
        """The health-insurance term that puts the message in scope, or None (none, or a near-domain subject)."""
        normalised = normalise_for_matching(text)
        if self._keeps_out.search(normalised):
            return None
        found = self._in_scope.search(normalised)
        return found.group(0) if found else None

    def reroute(self, text: str, ranking: Sequence[Mapping[str, Any]]) -> Optional[List[Dict[str, Any]]]:
        """The ranking with "out of scope" and the best question intent swapped, or None to keep it.

        Only when "out of scope" is ranked first and a question intent second: the model's own second
        choice, never an intent it gave almost nothing.
        """
        if len(ranking) < 2 or ranking[0].get("name") != OUT_OF_SCOPE \
                or ranking[1].get("name") not in QUESTION_INTENTS or self.field_term(text) is None:
            return None
        swapped = [dict(entry) for entry in ranking]
        swapped[0]["name"], swapped[1]["name"] = swapped[1]["name"], OUT_OF_SCOPE
        return swapped
