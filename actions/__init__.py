"""Thin Rasa SDK actions: read the tracker, call assistant/, write the reply.

One concern per module; rasa_sdk registers every Action subclass found in this package.
"""

from assistant import log_redaction

# First: no identifier a patient types may reach the action server's log (see the module). This
# package is imported in rasa-sdk's main process and again in each worker, so both are covered.
log_redaction.install()

from actions import (  # noqa: E402  (after the log filter, on purpose)
    knowledge_endpoint,  # noqa: F401,E402  (the console's knowledge search: see the module)
    never_silent,  # noqa: F401,E402  (a failing action still answers: see the module)
    sdk_compat,  # noqa: F401,E402  (selective domain with Rasa 3.6: see the module)
)
