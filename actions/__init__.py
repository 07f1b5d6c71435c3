"""Thin Rasa SDK actions: read the tracker, call assistant/, write the reply.

One concern per module; rasa_sdk registers every Action subclass found in this package.
"""

from actions import sdk_compat  # noqa: F401,E402  (selective domain with Rasa 3.6: see the module)
from actions import never_silent  # noqa: F401,E402  (a failing action still answers: see the module)
from actions import knowledge_endpoint  # noqa: F401,E402  (the console's knowledge search: see the module)
