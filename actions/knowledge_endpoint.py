"""The console's knowledge search (assistant/knowledge/http_api.py) on the action server.

rasa_sdk builds its Sanic app in the main process and again in each worker, and calls the
`attach_sanic_app_extensions` hook of its plugin manager each time (rasa_sdk/plugin.py): the
blueprint is attached there, so the worker that holds the model and the index serves it. Nothing
is registered in the ActionExecutor (which is pickled into the workers); this module is imported
again in each worker when the executor's actions are unpickled, and registers itself there.
"""
import sys

import pluggy
from rasa_sdk.plugin import plugin_manager

from assistant.knowledge.http_api import knowledge_blueprint

hookimpl = pluggy.HookimplMarker("rasa_sdk")


@hookimpl
def attach_sanic_app_extensions(app) -> None:
    app.blueprint(knowledge_blueprint())


# Once per process, whatever imports this module again.
if plugin_manager().get_plugin(__name__) is None:
    plugin_manager().register(sys.modules[__name__], name=__name__)
