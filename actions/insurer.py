from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

# Statuses for which the country of work says nothing: the form does not ask for it.
NO_WORK_COUNTRY = {"pensioner", "unemployed", "student", "family_member", "not_working"}


def insurer_form_slots(status: Optional[str]) -> List[Text]:
    """The facts the insurer form must collect for this employment status."""
    slots = ["residence_country", "employment_status"]
    if status == "pensioner":
        slots.append("pension_country")
    elif status not in NO_WORK_COUNTRY:
        slots.append("work_country")
    return slots


class ValidateInsurerForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_insurer_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return insurer_form_slots(tracker.get_slot("employment_status"))


class ActionCompetentInsurer(Action):
    def name(self) -> Text:
        return "action_competent_insurer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        # The rules engine lands with the competent-insurer issue; until then say so.
        dispatcher.utter_message(response="utter_feature_coming_insurer")
        return []
