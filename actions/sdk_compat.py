"""rasa-sdk 3.21 beside a Rasa Open Source 3.6 server, with Rasa's selective domain.

With ``enable_selective_domain`` (endpoints.yml) Rasa 3.6 sends the 45 KB domain only to the actions
that need it (the validate_* ones). rasa-sdk 3.21 expects instead a ``domain_digest`` in every call
without a domain and answers HTTP 449 ("retry with the domain"), which only Rasa Pro understands:
Rasa 3.6 logs an error and the user gets no reply. An action called without a domain gets an empty
one here; the actions that read the domain are exactly those Rasa sends it to.
"""
from typing import Any, Dict, Optional, Text

from rasa_sdk.executor import ActionExecutor


def _domain_of_call(self: ActionExecutor, payload: Dict[Text, Any], action_name: Text) -> Optional[Dict]:
    domain = payload.get("domain")
    if domain:
        self.domain, self.domain_digest = domain, payload.get("domain_digest")
        return domain
    return {}


ActionExecutor.update_and_return_domain = _domain_of_call


# The serving worker loads the retrieval model and the index before it acknowledges its start-up
# (assistant/knowledge/runtime.py: no user pays for the loading). That takes 5-10 s on an idle machine
# but can pass Sanic's fixed 30 s acknowledgement limit while another process holds both cores (a
# training, a test suite), and Sanic then shuts the action server down. Allow two minutes.
from sanic.worker.manager import WorkerManager  # noqa: E402
from sanic.worker.process import WorkerProcess  # noqa: E402

WorkerProcess.THRESHOLD = WorkerManager.THRESHOLD = 1200    # tenths of a second
