"""Words that settle "out of scope" against a question when the intent model hesitates between the two
(data/scope/health_terms.yml).

The intent model learned "out of scope" from near-domain questions (taxes, family allowances, jobs);
a question worded with the field's own terms it never saw ("Comment se déroule mon affiliation au
Luxembourg ?") can land there, and the user is told we cannot help; a near-domain question worded in
a new way ("What happens to my unemployment benefits...?") can get a knowledge answer that is not
about it. When the model's first two choices are "out of scope" and a question intent, the words
decide: a term of the field and no near-domain subject make it the question, a near-domain subject
and no term of the field make it out of scope. The one chosen takes the first place and its confidence.
Standard library + PyYAML only, so the Rasa component (assistant/scope/component.py) and the unit tests
share it.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import yaml

from assistant.safety.emergency import normalise_for_matching

DEFAULT_TERMS = Path(__file__).resolve().parents[2] / "data" / "scope" / "health_terms.yml"
OUT_OF_SCOPE = "out_of_scope"
# The intents that answer a question of the field.
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

    def near_domain_subject(self, text: str) -> Optional[str]:
        """The near-domain subject that keeps the message out (taxes, allowances...), when it names no term of the field."""
        normalised = normalise_for_matching(text)
        found = self._keeps_out.search(normalised)
        return found.group(0) if found and not self._in_scope.search(normalised) else None

    def reroute(self, text: str, ranking: Sequence[Mapping[str, Any]]) -> Optional[List[Dict[str, Any]]]:
        """The ranking with its first two intents swapped, or None to keep it.

        Only between "out of scope" and a question intent ranked first and second, the model's own
        two choices: out of scope first and a term of the field, or a question first and a near-domain
        subject without any term of the field.
        """
        if len(ranking) < 2:
            return None
        first, second = ranking[0].get("name"), ranking[1].get("name")
        if first == OUT_OF_SCOPE and second in QUESTION_INTENTS:
            decided = self.field_term(text) is not None
        elif first in QUESTION_INTENTS and second == OUT_OF_SCOPE:
            decided = self.near_domain_subject(text) is not None
        else:
            return None
        if not decided:
            return None
        swapped = [dict(entry) for entry in ranking]
        swapped[0]["name"], swapped[1]["name"] = second, first
        return swapped
