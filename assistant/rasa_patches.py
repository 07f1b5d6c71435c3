"""Work that Rasa 3.6 repeats on every custom-action call and that can be done once per process.

Measured with py-spy on the Rasa server under the load benchmark (scripts/loadtest.py): about 12 % of
its busy time went to validating each action server reply with ``jsonschema.validate()``, which checks
the (constant) schema itself and builds a new validator every time. Here the validator is built once;
the reply is validated exactly as before and an invalid one fails the same way.

Applied on import; the Rasa server imports it with the model's NLU components (assistant/nlu/).
Rasa is pinned (requirements/rasa.txt): the patch checks that the method it replaces is still there.
"""
from __future__ import annotations

import functools
from typing import Any, Dict

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

if not hasattr(RemoteAction, "_validate_action_result"):
    raise RuntimeError("Rasa changed: review assistant/rasa_patches.py")


@functools.lru_cache(maxsize=1)
def _reply_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    try:
        _reply_validator().validate(result)
        return True
    except ValidationError as error:   # the same explanation Rasa adds
        error.message += (". Failed to validate Action server response from API, make sure your response "
                          "from the Action endpoint is valid.")
        raise error


RemoteAction._validate_action_result = _validate_action_result
