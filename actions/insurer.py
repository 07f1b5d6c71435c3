"""The competent insurer, answer first: slots -> Situation -> resolve (assume what does not change the
answer) -> the answer now, or what is already certain plus the one question that still matters."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from assistant.dialogue.insurer_answer import insurer_reply
from assistant.dialogue.slots import COUNTRY_SLOTS, INSURER_FORM_SLOTS, insurer_required_slots, normalise_slot
from assistant.i18n import t

CATALOGUE = "lookups"
# Answers to a question that may simply have been misunderstood: the form says so and asks again.
# Any other intent (an emergency, another question) makes the form reject so that its own rule applies.
_REASK_INTENTS = {"inform", "nlu_fallback"}
INSURER_FORM = "insurer_form"


def _hint_key(slot: Optional[str]) -> Optional[str]:
    if slot in COUNTRY_SLOTS:
        return "not_understood_country"
    return {"employment_status": "not_understood_status",
            "residence_work_share": "not_understood_share"}.get(slot)


class ValidateInsurerForm(FormValidationAction):
    """Asks only the facts that still change the answer, and normalises every answer."""

    def name(self) -> Text:
        return "validate_insurer_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return insurer_required_slots(tracker.slots)

    async def next_requested_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Optional[Dict[Text, Any]]:
        # Always decide here: left to Rasa, the form would walk the domain's full list of slots.
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = [slot for slot in required if normalise_slot(slot, tracker.slots.get(slot)) is None]
        return SlotSet(REQUESTED_SLOT, missing[0] if missing else None)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot(REQUESTED_SLOT) if (tracker.active_loop or {}).get("name") == self.form_name() \
            else None
        candidates = tracker.slots_to_validate()
        events = await super().run(dispatcher, tracker, domain)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        unusable = requested in candidates or not candidates
        if requested and tracker.slots.get(requested) is None and unusable and intent in _REASK_INTENTS \
                and _hint_key(requested):
            # Nothing usable in the answer: say why, then the form asks the same question again. The
            # counter only exists so that the form sees a validated slot and does not reject.
            dispatcher.utter_message(text=t(CATALOGUE, _hint_key(requested), tracker.get_slot("language")))
            events.append(SlotSet("insurer_reasks", float(tracker.get_slot("insurer_reasks") or 0) + 1))
        return events

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[Dict[Text, Any]]:
        # Every slot of the form goes through the same typed conversion; other slots pass unchanged.
        return [SlotSet(slot, normalise_slot(slot, value) if slot in INSURER_FORM_SLOTS else value)
                for slot, value in tracker.slots_to_validate().items()]


def insurer_buttons(language: Optional[str]) -> List[Dict[Text, Text]]:
    return [{"title": t(CATALOGUE, "button_situation_changed", language), "payload": "/change_situation"},
            {"title": t(CATALOGUE, "button_nearest_facility", language), "payload": "/ask_nearest_facility"}]


class ActionCompetentInsurer(Action):
    """The competent country and institution with what was assumed; or, when a fact that changes the
    answer is missing, what is already certain and the form asking for that fact only."""

    def name(self) -> Text:
        return "action_competent_insurer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = tracker.get_slot("language")
        reply = insurer_reply(tracker.slots, language)
        if not reply.answered:
            dispatcher.utter_message(text=reply.text)
            if tracker.latest_action_name == INSURER_FORM:
                # The form ended without what it needed: never loop back into it; say whom to ask.
                dispatcher.utter_message(text=t(CATALOGUE, "insurer_contact", language,
                                                who=t(CATALOGUE, "contact_default", language)))
                return []
            return [FollowupAction(INSURER_FORM)]
        dispatcher.utter_message(text=reply.text, buttons=insurer_buttons(language))
        # The REST channel would send a `custom` payload as a separate reply without text; the agent
        # console reads the decision from this slot (GET /conversations/<id>/tracker) instead.
        return [SlotSet("last_lookup", reply.lookup), SlotSet("insurer_reasks", None)]
