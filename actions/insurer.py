"""The competent-insurer form and answer: slots -> Situation -> decide -> render, in the user's language."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from assistant.i18n import t
from assistant.insurance import decide, render
from assistant.insurance.render import render_caveats
from actions.situation_summary import understood_line
from actions.slot_values import COUNTRY_SLOTS, insurer_required_slots, normalise_slot, situation_from_slots

CATALOGUE = "lookups"
# Answers to a question that may simply have been misunderstood: the form says so and asks again.
# Any other intent (an emergency, another question) makes the form reject so that its own rule applies.
_REASK_INTENTS = {"inform", "nlu_fallback"}


def _hint_key(slot: Optional[str]) -> Optional[str]:
    if slot in COUNTRY_SLOTS:
        return "not_understood_country"
    return {"employment_status": "not_understood_status",
            "residence_work_share": "not_understood_share"}.get(slot)


class ValidateInsurerForm(FormValidationAction):
    """Asks only what Situation.missing() needs for this status, and normalises every answer."""

    def name(self) -> Text:
        return "validate_insurer_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return insurer_required_slots(tracker.slots)

    async def next_requested_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Optional[Dict[Text, Any]]:
        # Always decide here: left to Rasa, the form would walk the domain's full list of slots.
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = [slot for slot in required if tracker.slots.get(slot) is None]
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

    def _normalised(self, slot: Text, value: Any) -> Dict[Text, Any]:
        return {slot: normalise_slot(slot, value)}

    async def validate_residence_country(self, value, dispatcher, tracker, domain):
        return self._normalised("residence_country", value)

    async def validate_work_country(self, value, dispatcher, tracker, domain):
        return self._normalised("work_country", value)

    async def validate_pension_country(self, value, dispatcher, tracker, domain):
        return self._normalised("pension_country", value)

    async def validate_employment_status(self, value, dispatcher, tracker, domain):
        return self._normalised("employment_status", value)

    async def validate_sending_country(self, value, dispatcher, tracker, domain):
        return self._normalised("sending_country", value)

    async def validate_insured_person_country(self, value, dispatcher, tracker, domain):
        return self._normalised("insured_person_country", value)

    async def validate_administration_country(self, value, dispatcher, tracker, domain):
        return self._normalised("administration_country", value)

    async def validate_residence_work_share(self, value, dispatcher, tracker, domain):
        return self._normalised("residence_work_share", value)


def insurer_buttons(language: Optional[str]) -> List[Dict[Text, Text]]:
    return [{"title": t(CATALOGUE, "button_situation_changed", language), "payload": "/change_situation"},
            {"title": t(CATALOGUE, "button_nearest_facility", language), "payload": "/ask_nearest_facility"}]


class ActionCompetentInsurer(Action):
    """The competent country and institution, forms, care on each side, legal basis, source, whom to ask."""

    def name(self) -> Text:
        return "action_competent_insurer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = tracker.get_slot("language")
        situation = situation_from_slots(tracker.slots)
        decision = decide(situation)
        reply = render(decision, language)
        understood = understood_line(situation, language)
        text = f"{reply}\n{understood}" if understood else reply
        dispatcher.utter_message(text=text, buttons=insurer_buttons(language))
        # The REST channel would send a `custom` payload as a separate reply without text; the agent
        # console reads the decision from this slot (GET /conversations/<id>/tracker) instead.
        lookup = {"lookup": "competent_insurer", "language": language, "decision": decision.to_dict(),
                  "caveats_text": render_caveats(decision, language), "reply": text}
        return [SlotSet("last_lookup", lookup), SlotSet("insurer_reasks", None)]
