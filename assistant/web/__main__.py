"""`python -m assistant.web`: serve the widget and the console on settings' host and WEB_PORT."""
from __future__ import annotations

import logging
import sys

from assistant import log_redaction
from assistant.settings import rasa_auth_token
from assistant.web.app import create_app
from assistant.web.config import load_web_config


def main() -> int:
    # Sanic logs its own lines; ours (knowledge search client, retention) go to the same log file.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s - %(message)s"))
    logging.getLogger("assistant").addHandler(handler)
    logging.getLogger("assistant").setLevel(logging.INFO)
    config = load_web_config()
    app = create_app(config, rasa_auth_token(config.settings))
    # After Sanic has set up its loggers: their handlers get the filter too (assistant/log_redaction.py).
    log_redaction.install()
    # One process: the login throttle and the detail cache live in memory.
    app.run(host=config.host, port=config.port, single_process=True, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
