"""The competent-insurer reply from the conversation's slots: the full answer, the short one that goes
with another answer, or what is already certain while a fact that changes the answer is missing."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

from assistant.dialogue.slots import situation_from_slots
from assistant.dialogue.summary import understood_line
from assistant.i18n import normalise_language
from assistant.insurance import render, resolve
from assistant.insurance.render import render_brief, render_caveats, render_partial


@dataclass(frozen=True)
class InsurerReply:
    answered: bool                          # False: the text says what is certain; a question follows
    text: str
    lookup: Optional[Dict[str, Any]] = None     # the structured result, for the agent console


def _lookup(decision, resolution, language: str, text: str) -> Dict[str, Any]:
    return {"lookup": "competent_insurer", "language": language, "decision": decision.to_dict(),
            "assumptions": [note.key for note in resolution.assumptions],
            "caveats_text": render_caveats(decision, language), "reply": text}


def insurer_reply(slots: Mapping[str, Any], language: Optional[str]) -> InsurerReply:
    language = normalise_language(language)
    told = situation_from_slots(slots)
    resolution = resolve(told)
    if not resolution.answerable:
        return InsurerReply(False, render_partial(resolution, language))
    decision = resolution.decision()
    text = render(decision, language, resolution.assumptions)
    understood = understood_line(told, language)
    if understood:
        text = f"{text}\n{understood}"
    return InsurerReply(True, text, _lookup(decision, resolution, language, text))


def insurer_brief(slots: Mapping[str, Any], language: Optional[str]) -> Optional[InsurerReply]:
    """Two lines (country and institution, forms) when the slots decide the insurer, else None; with
    the lookup, so that the agent console sees the decision a mixed answer gave."""
    resolution = resolve(situation_from_slots(slots))
    if not resolution.answerable:
        return None
    decision = resolution.decision()
    if not decision.determined:
        return None
    language = normalise_language(language)
    text = render_brief(decision, language, resolution.assumptions)
    return InsurerReply(True, text, _lookup(decision, resolution, language, text))
