"""Everything the console shows for one conversation, computed once per tracker state.

The console polls; a conversation that did not change is answered from a small
cache keyed by (conversation, latest event time, agent's language), so that the
lookups and the suggestion run once per patient message, not once per poll.

The passages shown are those the patient's last knowledge answer cited, read from the tracker
(tracker_view.py), never a search of the console's own: the agent sees what the patient got.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Optional

from assistant.i18n import normalise_language
from assistant.web.lookups import facility_lookup, insurer_lookup, place_of, situation_from
from assistant.web.suggest import suggest
from assistant.web.tracker_view import view_of

INSURER_INTENTS = {"ask_competent_insurer"}


def _wants_insurer(view, situation) -> bool:
    return (view.intent in INSURER_INTENTS or view.active_form == "insurer_form"
            or bool(situation.residence_country and (situation.status or situation.work_countries)))


def conversation_detail(tracker: dict, language: str, knowledge=None) -> dict:
    """``knowledge``: the action server's search (knowledge_client.BlockingSearch), for a suggestion
    built from the knowledge base; None: no such suggestion."""
    language = normalise_language(language)
    view = view_of(tracker)
    user_texts = [turn["text"] for turn in view.transcript if turn["who"] == "user"]
    situation = situation_from(view.slots, user_texts)
    insurer = insurer_lookup(situation, language) if _wants_insurer(view, situation) else None
    place = place_of(view.slots, user_texts)
    facility = facility_lookup(place, language, view.slots.get("residence_country")) if place else None
    return {
        "conversation": view.as_dict(),
        "suggestion": suggest(view, language, knowledge).as_dict(),
        "insurer": insurer,
        "facility": facility,
        "agent_language": language,
    }


class DetailCache:
    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._items: "OrderedDict[tuple, dict]" = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Optional[dict]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: tuple, value: dict) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
