"""A failing action still answers: the action server's executor, as the webhook calls it."""
import pickle

import pytest
from rasa_sdk import Action, ActionExecutionRejection
from rasa_sdk.executor import ActionExecutor

import actions  # noqa: F401  (installs the wrapper, as the action server does when it loads the package)
from actions.never_silent import Guarded
from assistant.channels.guard import apology
from tests.aio import run_async


class BrokenAction(Action):
    def name(self):
        return "action_broken_for_test"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text="partial")
        raise KeyError("something the developer did not foresee")


class BrokenSlotReader(Action):
    def name(self):
        return "validate_broken_form_for_test"

    async def run(self, dispatcher, tracker, domain):
        raise KeyError("a slot value nobody foresaw")


class RejectingAction(Action):
    def name(self):
        return "action_rejecting_for_test"

    def run(self, dispatcher, tracker, domain):
        raise ActionExecutionRejection(self.name(), "a form leaves the loop this way")


def call(executor: ActionExecutor, action: str, slots):
    tracker = {"sender_id": "t", "slots": slots, "latest_message": {"text": "hallo"}, "events": [],
               "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": None}
    payload = {"next_action": action, "tracker": tracker, "domain": {"slots": {}}}
    return run_async(executor.run(payload))


@pytest.fixture
def executor():
    executor = ActionExecutor()
    executor.register_action(BrokenAction)
    executor.register_action(RejectingAction)
    executor.register_action(BrokenSlotReader)
    return executor


@pytest.mark.parametrize("language", ["fr", "de", "nl", "lb", "en"])
def test_a_failing_action_answers_with_an_apology_in_the_users_language(executor, language):
    result = call(executor, "action_broken_for_test", {"language": language, "residence_country": "BE",
                                                        "work_country": ["LU"]})
    texts = [m.get("text") for m in result.responses]
    assert texts[-1] == apology(language, ["BE", "LU"])
    assert "112" in texts[-1] and "CNS" in texts[-1]


def test_without_a_known_language_the_apology_comes_in_all_five(executor):
    result = call(executor, "action_broken_for_test", {})
    texts = [m.get("text") for m in result.responses]
    assert texts[-1] == apology(None)


def test_a_form_rejection_is_not_turned_into_an_apology(executor):
    with pytest.raises(ActionExecutionRejection):
        call(executor, "action_rejecting_for_test", {"language": "de"})


def test_a_failing_slot_reader_says_nothing_the_turns_answer_comes_after_it(executor):
    result = call(executor, "validate_broken_form_for_test", {"language": "de"})
    assert result.responses == [] and result.events == []


def test_the_guarded_actions_still_travel_to_the_sanic_workers():
    """The action server pickles its executor into each worker process: the wrappers must survive."""
    executor = ActionExecutor()
    executor.register_package("actions")
    copy = pickle.loads(pickle.dumps(executor))
    assert set(copy.actions) == set(executor.actions) and len(copy.actions) >= 10
    assert all(isinstance(run, Guarded) for run in copy.actions.values())
