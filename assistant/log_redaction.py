"""Masks personal identifiers (privacy_redaction.redact) in every log record of the process.

    install()        # once per process: the Rasa server (rasa_patches.py), the action server
                     # (actions/__init__.py), the web app (assistant/web/__main__.py)

Rasa logs what users write (at DEBUG, and in some INFO and error lines), exceptions may quote it,
Sanic's access log carries query strings (the console's knowledge search sends a patient's words
to the action server): none of it may put a patient's NISS, IBAN or phone number into var/logs.

Two hooks, because neither alone sees everything:
- the log record factory: every record of every logger, whatever handlers Rasa, rasa-sdk, Sanic or
  coloredlogs set up before or after us (Sanic's worker processes configure theirs later), is
  redacted when it is created: message with its arguments, exception and stack text;
- the same filter on the handlers present at install: it also redacts the fields a record gets
  through ``extra=`` after the factory ran (Sanic's access log puts the request line there).
"""
from __future__ import annotations

import logging
import traceback
from urllib.parse import unquote, unquote_plus

from assistant.privacy_redaction import redact

# The attributes every LogRecord has; anything else came through ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def redact_logged(text: str) -> str:
    """``redact``, and again on the text URL-decoded: a request line or an HTTP client's log carries
    the query percent- or plus-encoded ("q=06%2012%2034%2056%2078"), where the patterns see no number."""
    masked = redact(text)
    if "%" in masked or "+" in masked:
        for decoded in (unquote(masked), unquote_plus(masked)):
            if redact(decoded) != decoded:
                return redact(decoded)
    return masked


class RedactionFilter(logging.Filter):
    """Rewrites the record in place and lets it through: the message is final (arguments merged),
    the exception and stack become text, every string is masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:   # a broken format string: keep what logging itself would show
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact_logged(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        # The traceback object keeps the frames' locals (a user's text among them): only the
        # masked text goes on to the handlers.
        record.exc_info = None
        if record.exc_text:
            record.exc_text = redact_logged(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_logged(record.stack_info)
        for name, value in vars(record).items():
            if name not in _STANDARD and isinstance(value, str):
                setattr(record, name, redact_logged(value))
        return True


_FILTER = RedactionFilter()


def _handlers():
    loggers = [logging.getLogger()] + [logger for logger in logging.Logger.manager.loggerDict.values()
                                       if isinstance(logger, logging.Logger)]
    return {handler for logger in loggers for handler in logger.handlers}


def install() -> None:
    """Idempotent: a second call changes nothing."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "redacts", False):
        def redacting_factory(*args, **kwargs) -> logging.LogRecord:
            record = factory(*args, **kwargs)
            _FILTER.filter(record)
            return record

        redacting_factory.redacts = True
        logging.setLogRecordFactory(redacting_factory)
    for handler in _handlers():
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
