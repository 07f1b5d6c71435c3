"""assistant/log_redaction.py: a record's final message, its arguments, exception text and ``extra``
fields are masked, on handlers set up before or after the install."""
import io
import logging
import os
import subprocess
import sys

import pytest

from assistant import log_redaction
from assistant.settings import ROOT

FORMAT = "%(levelname)s %(name)s - %(message)s"


@pytest.fixture
def installed():
    """install() on a clean slate; the process's logging is given back as it was."""
    factory = logging.getLogRecordFactory()
    before = {handler: list(handler.filters) for handler in log_redaction._handlers()}
    yield log_redaction.install
    logging.setLogRecordFactory(factory)
    for handler, filters in before.items():
        handler.filters[:] = filters


def capture(name: str, fmt: str = FORMAT):
    stream, handler = io.StringIO(), logging.StreamHandler()
    handler.stream = stream
    handler.setFormatter(logging.Formatter(fmt))
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger, stream


def test_messages_and_their_arguments_are_masked_on_handlers_set_up_later(installed):
    installed()
    logger, out = capture("test.redaction.later")     # as Sanic's workers configure theirs after us
    logger.debug("Received user message '%s' with intent '%s'", "Mon NISS est 85.07.30-033.28", "ask_human")
    logger.info("mail: jan.peeters@example.be, tel %(tel)s", {"tel": "+352 621 123 456"})
    assert out.getvalue().splitlines() == [
        "DEBUG test.redaction.later - Received user message 'Mon NISS est [NISS]' with intent 'ask_human'",
        "INFO test.redaction.later - mail: [e-mail], tel [phone]",
    ]


def test_exception_text_is_masked_and_the_traceback_kept(installed):
    installed()
    logger, out = capture("test.redaction.exception")
    try:
        raise ValueError("cannot parse IBAN BE71 0961 2345 6769")
    except ValueError:
        logger.exception("action failed for %r", "06 12 34 56 78")
    text = out.getvalue()
    assert "action failed for '[phone]'" in text and "ValueError: cannot parse IBAN [IBAN]" in text
    assert "Traceback (most recent call last)" in text
    assert "BE71" not in text and "06 12" not in text


def test_extra_fields_of_handlers_present_at_install_are_masked(installed):
    # Sanic's access log: the request line, query string included, comes through ``extra``.
    logger, out = capture("test.redaction.access", "%(request)s %(status)s")
    installed()
    logger.info("", extra={"request": "GET /knowledge/search?q=mein+IBAN+DE89370400440532013000", "status": 200})
    assert out.getvalue().strip() == "GET /knowledge/search?q=mein+IBAN+[IBAN] 200"


@pytest.mark.parametrize("logged", [
    "GET /knowledge/search?q=KVNR%20A123456789&k=1", "GET /search?q=06%2012%2034%2056%2078",
    "GET /search?q=06+12+34+56+78", "uri: 'http://x/?q=%2B32%204%20123%2045%2067'",
    "GET /search?q=jan.peeters%40example.be"])
def test_url_encoded_identifiers_are_masked(logged):
    masked = log_redaction.redact_logged(logged)
    assert "[" in masked and not any(part in masked for part in ("A123", "06", "123", "jan."))


def test_install_twice_wraps_once(installed):
    installed()
    factory = logging.getLogRecordFactory()
    installed()
    assert logging.getLogRecordFactory() is factory
    logger, out = capture("test.redaction.twice")
    logger.warning("%s", "LU28 0019 4006 4475 0000")
    assert out.getvalue().strip().endswith("- [IBAN]")


ACTIONS_PROCESS = "import actions  # what rasa-sdk imports in its main process and each worker"
WEB_PROCESS = """
import assistant.web.__main__ as web
class App:
    def run(self, **options):   # the server itself is not started: only what main() sets up before it
        pass
web.create_app = lambda config, token: App()
web.main()
"""


@pytest.mark.parametrize("startup", [ACTIONS_PROCESS, WEB_PROCESS], ids=["action server", "web app"])
def test_the_action_server_and_the_web_app_install_it(startup, tmp_path):
    """The Rasa process: tests/test_rasa_patches.py; all three for real: tests/privacy/test_on_postgres.py."""
    check = startup + (
        "\nimport logging\nassert getattr(logging.getLogRecordFactory(), 'redacts', False), 'not installed'"
        "\nlogging.getLogger('assistant').warning('IBAN %s', 'BE71 0961 2345 6769')\n")
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, PYTHONPATH=str(ROOT), VAR_DIR=str(tmp_path)))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "IBAN [IBAN]" in result.stderr and "BE71" not in result.stderr
