"""Work that Rasa 3.6 repeats on every custom-action call and that can be done once per process.

Measured with py-spy on the Rasa server under the load benchmark (scripts/loadtest.py): about 12 % of
its busy time went to validating each action server reply with ``jsonschema.validate()``, which checks
the (constant) schema itself and builds a new validator every time. Here the validator is built once;
the reply is validated exactly as before and an invalid one fails the same way.

Applied on import; the Rasa server imports it with the model's NLU components (assistant/nlu/).
Rasa is pinned (requirements/rasa.txt): the patch checks that the method it replaces is still there.

A model loaded through the HTTP API (`PUT /model`, how `make retrain` promotes one) is loaded by Rasa
inside its event loop: no message was answered for the 8 s that takes here. The loading now runs in a
worker thread (its own event loop for Rasa's async loader), so the server keeps answering with the old
model until the new one replaces it.
The loader then runs in a short-lived event loop: fine for a model from a file, as here; a model server
or an event broker set up by the loader would be tied to that loop (neither is configured here).

The same import installs the log redaction (assistant/log_redaction.py): Rasa logs what users write,
and this is the Rasa process's one import of our code before the first message is handled.
"""
from __future__ import annotations

import asyncio
import functools
from typing import Any, Dict

import rasa.core.agent
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

from assistant import log_redaction

if not hasattr(RemoteAction, "_validate_action_result") or not hasattr(rasa.core.agent, "load_agent"):
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


_load_agent_in_loop = rasa.core.agent.load_agent


async def _load_agent_in_a_thread(*args: Any, **kwargs: Any) -> "rasa.core.agent.Agent":
    return await asyncio.to_thread(asyncio.run, _load_agent_in_loop(*args, **kwargs))


RemoteAction._validate_action_result = _validate_action_result
if not getattr(rasa.core.agent.load_agent, "_in_a_thread", False):     # imported once per component
    _load_agent_in_a_thread._in_a_thread = True
    rasa.core.agent.load_agent = _load_agent_in_a_thread
log_redaction.install()
