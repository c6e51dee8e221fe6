"""Logging setup and the redaction filter that keeps tokens, secrets and response_urls out.

The filter sits on handlers, not loggers: a handler sees every record that reaches it,
including records propagated from loggers created later (uvicorn, slack_bolt, httpx), while a
logger's own filters only see records logged on that exact logger.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

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
_MIN_SECRET_CHARS = 6
_MASK = "***"

# A slash as it appears raw, JSON-escaped (`\/`), or URL-encoded (`%2F`, `%5C%2F`).
_SLASH = r"(?:\\?/|%2[Ff]|%5[Cc]%2[Ff])"
# A quote as it appears raw or JSON-escaped inside another string.
_QUOTE = r"\\?[\"']"
_SENSITIVE_KEYS = frozenset(
    {
        "refresh_token",
        "access_token",
        "id_token",
        "id_token_hint",
        "token",
        "client_secret",
        "code_verifier",
        "password",
        "response_url",
        "bot_token",
        "user_token",
        "bot_refresh_token",
        "user_refresh_token",
    }
)
_JSON_KEYS = "|".join(sorted(_SENSITIVE_KEYS, key=len, reverse=True))
# Query strings and form bodies also carry the OAuth authorization `code`.
_FORM_KEYS = "|".join(sorted(_SENSITIVE_KEYS | {"code"}, key=len, reverse=True))

_Replacement = str | Callable[[re.Match[str]], str]
_RULES: tuple[tuple[re.Pattern[str], _Replacement], ...] = (
    # key=value in query strings and form bodies (not `error_code=`: no word char before).
    (re.compile(rf"(?<![\w.-])((?:{_FORM_KEYS})=)[^&\s\"'#<>\\]+", re.I), rf"\g<1>{_MASK}"),
    # "key": "value" pairs in JSON and Python reprs, raw or escaped inside another string.
    (
        re.compile(rf"({_QUOTE}(?:{_JSON_KEYS}){_QUOTE}\s*:\s*)({_QUOTE})(?:(?!\2).)*\2", re.I),
        rf"\g<1>\g<2>{_MASK}\g<2>",
    ),
    # Authorization header values, whatever the scheme (Basic carries the client secret).
    (
        re.compile(
            rf"(authorization{_QUOTE}?\s*[:=]\s*{_QUOTE}?)(?:([A-Za-z]+)\s+)?[^\s\"',;\\]+", re.I
        ),
        lambda m: f"{m[1]}{m[2] + ' ' if m[2] else ''}{_MASK}",
    ),
    (re.compile(r"\b(bearer)\s+[^\s\"',;\\]+", re.I), rf"\g<1> {_MASK}"),
    # A JWT starts a word (or follows a %XX escape); anchoring keeps long runs linear.
    (
        re.compile(r"(?:(?<![\w-])|(?<=%[0-9A-Fa-f]{2}))eyJ[\w-]+\.[\w-]+\.[\w-]*"),
        f"eyJ{_MASK}",
    ),
    (re.compile(r"\b(xoxe\.xox[a-z]-|xox[abpre]-|xapp-)[\w-]+"), rf"\g<1>{_MASK}"),
    # Slack response_urls (and any other hooks URL) are bearer capabilities.
    (
        re.compile(rf"(hooks\.slack(?:-gov)?\.com){_SLASH}[^\s\"'<>&]*", re.I),
        rf"\g<1>/{_MASK}",
    ),
    # Our signed connect links are single-use capabilities too: whoever opens one links
    # their Astravue account to that Slack user.
    (
        re.compile(
            rf"(oauth{_SLASH}astravue{_SLASH}start(?:\?|%3F)t(?:=|%3D))[^\s\"'<>&#\\]+", re.I
        ),
        rf"\g<1>{_MASK}",
    ),
    # The sandbox's response_urls: `.../slack/respond/<opaque>`.
    (
        re.compile(rf"({_SLASH}slack{_SLASH}respond{_SLASH})[^\s\"'<>&?#\\]+", re.I),
        rf"\g<1>{_MASK}",
    ),
)

_secrets_lock = threading.Lock()
_secret_values: set[str] = set()
_secret_pattern: re.Pattern[str] | None = None


def _register_secret(value: str) -> None:
    global _secret_pattern
    if len(value) < _MIN_SECRET_CHARS:
        return
    with _secrets_lock:
        _secret_values.update({value, quote(value, safe=""), quote_plus(value)})
        # Longest first, so a secret that contains another is masked whole.
        ordered = sorted(_secret_values, key=len, reverse=True)
        _secret_pattern = re.compile("|".join(re.escape(item) for item in ordered))


def redact(text: str) -> str:
    """`text` with tokens, secrets and response_urls masked."""
    pattern = _secret_pattern
    if pattern is not None:
        text = pattern.sub(_MASK, text)
    for rule, replacement in _RULES:
        text = rule.sub(replacement, text)
    return text


def _standard_record_attributes() -> frozenset[str]:
    blank = logging.LogRecord("", logging.INFO, "", 0, "", (), None)
    return frozenset(vars(blank)) | {"message", "asctime"}


STANDARD_ATTRIBUTES = _standard_record_attributes()
_exception_formatter = logging.Formatter()


class RedactionFilter(logging.Filter):
    """Masks secrets in a record's message, arguments, exception text and extra fields.

    Never drops a record and never raises: a record whose arguments do not fit its format
    string is still logged, as the raw message followed by the redacted arguments.
    """

    @staticmethod
    def register_secret(value: str) -> None:
        """Mask this literal everywhere (values under 6 characters are ignored)."""
        _register_secret(value)

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
                key: _MASK if str(key).lower() in _SENSITIVE_KEYS else value
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
    from bot.log_context import ContextFilter
    from bot.log_json import JsonFormatter

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
