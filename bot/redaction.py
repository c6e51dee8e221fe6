"""The redaction rules: what counts as a token, secret or capability in a log line, and
`redact`, which masks them. Used by the logging filter (`bot.logging`) and the JSON format
(`bot.log_json`)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from urllib.parse import quote, quote_plus

MIN_SECRET_CHARS = 6
MASK = "***"

# A slash as it appears raw, JSON-escaped (`\/`), or URL-encoded (`%2F`, `%5C%2F`).
_SLASH = r"(?:\\?/|%2[Ff]|%5[Cc]%2[Ff])"
# A quote as it appears raw or JSON-escaped inside another string.
_QUOTE = r"\\?[\"']"
SENSITIVE_KEYS = frozenset(
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
_JSON_KEYS = "|".join(sorted(SENSITIVE_KEYS, key=len, reverse=True))
# Query strings and form bodies also carry the OAuth authorization `code`.
_FORM_KEYS = "|".join(sorted(SENSITIVE_KEYS | {"code"}, key=len, reverse=True))

_Replacement = str | Callable[[re.Match[str]], str]
_RULES: tuple[tuple[re.Pattern[str], _Replacement], ...] = (
    # key=value in query strings and form bodies (not `error_code=`: no word char before).
    (re.compile(rf"(?<![\w.-])((?:{_FORM_KEYS})=)[^&\s\"'#<>\\]+", re.I), rf"\g<1>{MASK}"),
    # "key": "value" pairs in JSON and Python reprs, raw or escaped inside another string.
    (
        re.compile(rf"({_QUOTE}(?:{_JSON_KEYS}){_QUOTE}\s*:\s*)({_QUOTE})(?:(?!\2).)*\2", re.I),
        rf"\g<1>\g<2>{MASK}\g<2>",
    ),
    # Authorization header values, whatever the scheme (Basic carries the client secret).
    (
        re.compile(
            rf"(authorization{_QUOTE}?\s*[:=]\s*{_QUOTE}?)(?:([A-Za-z]+)\s+)?[^\s\"',;\\]+", re.I
        ),
        lambda m: f"{m[1]}{m[2] + ' ' if m[2] else ''}{MASK}",
    ),
    (re.compile(r"\b(bearer)\s+[^\s\"',;\\]+", re.I), rf"\g<1> {MASK}"),
    # A JWT starts a word (or follows a %XX escape); anchoring keeps long runs linear.
    (
        re.compile(r"(?:(?<![\w-])|(?<=%[0-9A-Fa-f]{2}))eyJ[\w-]+\.[\w-]+\.[\w-]*"),
        f"eyJ{MASK}",
    ),
    (re.compile(r"\b(xoxe\.xox[a-z]-|xox[abpre]-|xapp-)[\w-]+"), rf"\g<1>{MASK}"),
    # Slack response_urls (and any other hooks URL) are bearer capabilities.
    (
        re.compile(rf"(hooks\.slack(?:-gov)?\.com){_SLASH}[^\s\"'<>&]*", re.I),
        rf"\g<1>/{MASK}",
    ),
    # Our signed connect links are single-use capabilities too: whoever opens one links
    # their Astravue account to that Slack user.
    (
        re.compile(
            rf"(oauth{_SLASH}astravue{_SLASH}start(?:\?|%3F)t(?:=|%3D))[^\s\"'<>&#\\]+", re.I
        ),
        rf"\g<1>{MASK}",
    ),
    # The sandbox's response_urls: `.../slack/respond/<opaque>`.
    (
        re.compile(rf"({_SLASH}slack{_SLASH}respond{_SLASH})[^\s\"'<>&?#\\]+", re.I),
        rf"\g<1>{MASK}",
    ),
)

_secrets_lock = threading.Lock()
_secret_values: set[str] = set()
_secret_pattern: re.Pattern[str] | None = None


def register_secret(value: str) -> None:
    global _secret_pattern
    if len(value) < MIN_SECRET_CHARS:
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
        text = pattern.sub(MASK, text)
    for rule, replacement in _RULES:
        text = rule.sub(replacement, text)
    return text


def _standard_record_attributes() -> frozenset[str]:
    blank = logging.LogRecord("", logging.INFO, "", 0, "", (), None)
    return frozenset(vars(blank)) | {"message", "asctime"}


STANDARD_ATTRIBUTES = _standard_record_attributes()
