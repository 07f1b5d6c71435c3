"""Every action answers, even when it fails: one wrapper around every registered action.

Without it, an exception in an action becomes an HTTP 500 of the action server; Rasa 3.6 logs it and
the user gets an empty reply. Here the failure is logged with its traceback and the user gets an
apology in their language, with where to turn (and 112 for an emergency; the text is the channels'
one for a turn without reply, assistant/channels/guard.py), and the conversation goes
on. A form's rejection (ActionExecutionRejection) is not a failure: Rasa needs it to leave the form.

Wrapping at registration covers every action and form validation, present and future, without a
try/except in each of them.
"""
import logging
from typing import Any, Callable, Dict, List, Text

from rasa_sdk import ActionExecutionRejection, utils
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from assistant.channels.guard import apology as apology_text
from assistant.dialogue.slots import countries_of

logger = logging.getLogger(__name__)
# Actions that only read slots (besides the validate_* ones).
QUIET_ACTIONS = {"action_validate_slot_mappings"}


def apology(tracker: Any) -> str:
    """The same apology as the channels' for an empty turn, with the contacts of the conversation's
    countries; read defensively: the tracker may be what failed."""
    try:
        language = tracker.get_slot("language")
        countries = countries_of(tracker.get_slot("residence_country"), tracker.get_slot("work_country"))
    except Exception:  # noqa: BLE001 - any broken tracker still gets the five-language apology
        language, countries = None, []
    return apology_text(language, countries)


class Guarded:
    """An action's run, answering with the apology when it fails. A class rather than a closure: the
    action server pickles its executor into each Sanic worker process, and closures do not pickle."""

    def __init__(self, action_name: Text, run: Callable) -> None:
        self.action_name, self.run = action_name, run

    async def __call__(self, dispatcher: CollectingDispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        try:
            return await utils.call_potential_coroutine(self.run(dispatcher, tracker, domain))
        except ActionExecutionRejection:
            raise
        except Exception:  # noqa: BLE001 - the point of this wrapper
            if self.action_name.startswith("validate_") or self.action_name in QUIET_ACTIONS:
                # Reading slots is not the turn's answer: an apology here would be followed by that
                # answer. Nothing is set; if nothing answers either, the channel apologises.
                logger.exception("action %s failed; its slots are left as they were", self.action_name)
                return []
            logger.exception("action %s failed; the user gets an apology", self.action_name)
            dispatcher.utter_message(text=apology(tracker))
            return []


_register_function = ActionExecutor.register_function


def _register_guarded(self: ActionExecutor, action_name: Text, run: Callable) -> None:
    _register_function(self, action_name, run if isinstance(run, Guarded) else Guarded(action_name, run))


ActionExecutor.register_function = _register_guarded
