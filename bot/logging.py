"""Logging setup and the redaction filter that keeps tokens, secrets and response_urls out
(the rules themselves are `bot.redaction`).

The filter sits on handlers, not loggers: a handler sees every record that reaches it,
including records propagated from loggers created later (uvicorn, slack_bolt, httpx), while a
logger's own filters only see records logged on that exact logger.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any

from bot.log_context import ContextFilter
from bot.log_json import JsonFormatter
from bot.redaction import MASK, SENSITIVE_KEYS, STANDARD_ATTRIBUTES, redact, register_secret

_HANDLER_NAME = "astravue-stderr"
_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
_NOISY_LOGGERS = (
    "httpx",
    "httpcore",
    "hpack",
    "sqlalchemy.engine",
    "apscheduler",
    "asyncio",
    "slack_sdk",
    "aiohttp",
    "alembic",  # plugin and "Context impl" lines at every start and /readyz
)
# Loggers whose DEBUG records repr every database call with its parameters (OAuth states,
# emails): they stay at WARNING even when the app runs at DEBUG. SQLAlchemy's own statement
# log hides parameters (`hide_parameters` on the engine, bot.db.session).
_PARAMETER_LOGGERS = ("aiosqlite",)
_exception_formatter = logging.Formatter()


class RedactionFilter(logging.Filter):
    """Masks secrets in a record's message, arguments, exception text and extra fields.

    Never drops a record and never raises: a record whose arguments do not fit its format
    string is still logged, as the raw message followed by the redacted arguments.
    """

    @staticmethod
    def register_secret(value: str) -> None:
        """Mask this literal everywhere (values under 6 characters are ignored)."""
        register_secret(value)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            self._redact_message(record)
            self._redact_exception(record)
            self._redact_extras(record)
        except Exception:  # a log line must survive whatever the redaction hits
            record.msg = "<log message withheld: redaction failed>"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True

    @staticmethod
    def _redact_message(record: logging.LogRecord) -> None:
        if isinstance(record.args, Mapping):
            # `%(refresh_token)s`-style: the key never reaches the text, so mask by key here.
            record.args = {
                key: MASK if str(key).lower() in SENSITIVE_KEYS else value
                for key, value in record.args.items()
            }
        try:
            message = record.getMessage()
        except Exception:  # %-args that do not fit: log the raw parts rather than nothing
            record.msg, record.args = redact(f"{record.msg} {record.args!r}"), ()
            return
        redacted = redact(message)
        if redacted == message:
            return
        # Prefer redacting the parts in place: some formatters (uvicorn's access log) read
        # `record.args` as a tuple. Fall back to the redacted whole when parts are not enough.
        parts = _redacted_parts(record.msg, record.args)
        if parts is not None and _render(*parts) == redacted:
            record.msg, record.args = parts
        else:
            record.msg, record.args = redacted, ()

    @staticmethod
    def _redact_exception(record: logging.LogRecord) -> None:
        if record.exc_info and not record.exc_text:
            record.exc_text = _exception_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)

    @staticmethod
    def _redact_extras(record: logging.LogRecord) -> None:
        for name, value in list(vars(record).items()):
            if name not in STANDARD_ATTRIBUTES and isinstance(value, str):
                setattr(record, name, redact(value))


_Args = tuple[Any, ...] | Mapping[str, Any]


def _redacted_parts(msg: Any, args: _Args | None) -> tuple[str, _Args] | None:
    if not isinstance(msg, str):
        return None
    if isinstance(args, Mapping):
        return redact(msg), {k: redact(v) if isinstance(v, str) else v for k, v in args.items()}
    if isinstance(args, tuple):
        return redact(msg), tuple(redact(v) if isinstance(v, str) else v for v in args)
    return None


def _render(msg: str, args: _Args) -> str | None:
    try:
        return msg % args if args else msg
    except Exception:
        return None


def install_redaction(handler: logging.Handler) -> None:
    """Add a `RedactionFilter` to `handler` unless it already has one."""
    if not any(isinstance(existing, RedactionFilter) for existing in handler.filters):
        handler.addFilter(RedactionFilter())


def setup_logging(level: str = "INFO", log_format: str = "text") -> None:
    """Configure the root logger once: stderr handler, plain format, redaction everywhere.

    Calling again only changes the level. Handlers that already exist (on the root logger
    or on library loggers such as uvicorn's) get the redaction filter as well.
    """
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    root = logging.getLogger()
    if not any(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        stderr = logging.StreamHandler(sys.stderr)
        stderr.set_name(_HANDLER_NAME)
        root.addHandler(stderr)
    _set_format(root, log_format)
    root.setLevel(numeric)
    for handler in _all_handlers():
        install_redaction(handler)
    quiet = logging.NOTSET if numeric <= logging.DEBUG else logging.WARNING
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(quiet)
    for name in _PARAMETER_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _set_format(root: logging.Logger, log_format: str) -> None:
    """Plain lines, or one JSON object per line (LOG_FORMAT=json) with the request's ids."""
    for handler in root.handlers:
        if handler.get_name() == _HANDLER_NAME:
            handler.setFormatter(
                JsonFormatter() if log_format == "json" else logging.Formatter(_FORMAT)
            )
            if not any(isinstance(f, ContextFilter) for f in handler.filters):
                handler.addFilter(ContextFilter())


def _all_handlers() -> list[logging.Handler]:
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        item
        for item in logging.Logger.manager.loggerDict.values()
        if isinstance(item, logging.Logger)
    ]
    return [handler for item in loggers for handler in item.handlers]
