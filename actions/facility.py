"""The nearest-eligible-facility form and answer: place (+ country hint) -> nearest -> render."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.dialogue.mining import countries_in_answer
from assistant.dialogue.place_check import ASK_WHICH, MAX_FAILED_ANSWERS, OUTSIDE, answer_to_question, check_place
from assistant.geo.facilities import nearest
from assistant.geo.gazetteer import FOUND
from assistant.geo.map_data import facility_map
from assistant.geo.render import render
from assistant.i18n import t

CATALOGUE = "lookups"
# Only the widget's channel draws a map. Rasa's socket.io channel emits a custom payload as
# bot_uttered(data); the REST channel would send it as a separate reply without text.
MAP_CHANNEL = "socketio"
_NCP_COUNTRIES = ("FR", "DE")     # where facts.md names a national contact point


def _attempts(tracker: Tracker) -> float:
    return float(tracker.get_slot("place_attempts") or 0)


def contact_line(country: Optional[str], language: Optional[str]) -> str:
    """Whom to ask which hospitals across the border the user may use."""
    if country in ("BE", "FR", "LU", "DE", "NL"):
        who = t("geo", f"insurer_{country}", language)
        if country in _NCP_COUNTRIES:
            who = f"{who} {t(CATALOGUE, 'or_word', language)} {t(CATALOGUE, f'contact_ncp_{country}', language)}"
    else:
        who = t(CATALOGUE, "contact_default", language)
    return t(CATALOGUE, "place_contact", language, who=who)


def gave_up_reply(country: Optional[str], language: Optional[str]) -> str:
    """No place after several tries: the EU routes that apply everywhere, whom to ask, and 112."""
    return "\n".join([
        t(CATALOGUE, "place_gave_up", language),
        t("geo", "general_routes", language),
        contact_line(country, language),
        t("geo", "source_line", language, links=t("geo", "general_sources", language)),
        t("geo", "emergency_line", language),
    ])


class ValidateFacilityForm(FormValidationAction):
    """Resolves the place; asks back when it is ambiguous or unknown, and stops asking after a few tries."""

    def name(self) -> Text:
        return "validate_facility_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        if tracker.get_slot("residence_place") is None and _attempts(tracker) >= MAX_FAILED_ANSWERS:
            return []           # the form ends; action_nearest_facility gives the general routes
        return list(domain_slots)

    async def validate_residence_place(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[Text, Any]:
        hint = tracker.get_slot("residence_country")
        pending = tracker.get_slot("place_query")
        text = str(value or "").strip()
        answered_countries: List[str] = []
        if pending and text != pending:
            answered_countries = countries_in_answer(tracker.latest_message or {})
            check = answer_to_question(text, pending, answered_countries, hint)
        else:
            check = check_place(text, hint)
        if check.status == ASK_WHICH:
            return {"residence_place": None, "place_query": check.text}
        if check.status not in (OUTSIDE, FOUND):
            return {"residence_place": None, "place_query": check.text, "place_attempts": _attempts(tracker) + 1}
        values = {"residence_place": check.text, "place_query": None, "place_attempts": None}
        if check.country and (not hint or check.country in answered_countries):
            # The user named their country (or the place tells it): later questions use it as a hint.
            values["residence_country"] = check.country
        return values


class ActionAskResidencePlace(Action):
    """Asks where the user lives, or asks back about what they typed (which country? which place?)."""

    def name(self) -> Text:
        return "action_ask_residence_place"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        pending = tracker.get_slot("place_query")
        if pending:
            result = nearest(pending, country_hint=tracker.get_slot("residence_country"))
            if result.status != FOUND:
                dispatcher.utter_message(text=render(result, tracker.get_slot("language")))
                return []
        dispatcher.utter_message(response="utter_ask_residence_place")
        return []


class ActionNearestFacility(Action):
    """Top three eligible hospitals across the border with distance, address, scheme and what to bring,
    the nearest domestic hospital, the general routes when no scheme applies; 112 for emergencies."""

    def name(self) -> Text:
        return "action_nearest_facility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = tracker.get_slot("language")
        country = tracker.get_slot("residence_country")
        place = tracker.get_slot("residence_place")
        reset = [SlotSet("place_query", None), SlotSet("place_attempts", None)]
        if not place:
            dispatcher.utter_message(text=gave_up_reply(country, language))
            return reset + [SlotSet("last_lookup", {"lookup": "nearest_facility", "status": "place_not_found"})]
        result = nearest(place, care_type=tracker.get_slot("care_type"), country_hint=country)
        text = render(result, language)
        points = facility_map(result) if tracker.get_latest_input_channel() == MAP_CHANNEL else None
        if points and points["options"]:
            dispatcher.utter_message(text=text, json_message={"data": {"facility_map": points}})
        else:
            dispatcher.utter_message(text=text)
        lookup = {"lookup": "nearest_facility", "language": language, **result.as_dict(), "reply": text}
        return reset + [SlotSet("last_lookup", lookup)]
