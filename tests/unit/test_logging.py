from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator

import pytest

from bot.logging import RedactionFilter, install_redaction, redact, setup_logging

JWT = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiI5ZjEiLCJ0ZW5hbnRfaWQiOjF9"
    ".c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2Nzg5MA"
)
OPAQUE = "0pAqUe-R3fr3sh.T0k3n~value"
RESPONSE_URL = "https://hooks.slack.com/actions/T0ACME/123456/abcDEF987secret"
SANDBOX_URL = "http://127.0.0.1:8099/slack/respond/opaque-capability-42"

# (text containing a secret, the secret fragment that must disappear, what must remain)
CASES = [
    (f"token {JWT} end", "c2lnbmF0dXJl", "eyJ***"),
    (f"Authorization: Bearer {OPAQUE}", OPAQUE, "Bearer ***"),
    (f"headers={{'authorization': 'Bearer {OPAQUE}'}}", OPAQUE, "Bearer ***"),
    ("Authorization: Basic YXN0cmF2dWUtc2xhY2s6c2FuZGJveC1zZWNyZXQ=", "YXN0cmF2", "Basic ***"),
    (
        f"POST /token grant_type=refresh_token&refresh_token={OPAQUE}&x=1",
        OPAQUE,
        "grant_type=refresh_token&refresh_token=***&x=1",
    ),
    ("GET /cb?code=abc123xyz&state=s1", "abc123xyz", "code=***&state=s1"),
    (
        "client_secret=sandbox-secret&client_id=astravue-slack",
        "sandbox-secret",
        "client_id=astravue-slack",
    ),
    ("code_verifier=verif1er-VALUE-x", "verif1er", "code_verifier=***"),
    (f"access_token={OPAQUE}", OPAQUE, "access_token=***"),
    (
        f'body {{"refresh_token": "{OPAQUE}", "expires_in": 300}}',
        OPAQUE,
        '"refresh_token": "***", "expires_in": 300',
    ),
    (f"{{'access_token': '{OPAQUE}', 'scope': 'openid'}}", OPAQUE, "'scope': 'openid'"),
    (f'escaped {{\\"refresh_token\\": \\"{OPAQUE}\\"}}', OPAQUE, 'refresh_token\\": \\"***\\"'),
    ("bot xoxb-1234-5678-AbCdEf", "AbCdEf", "xoxb-***"),
    ("user xoxp-99-88-zzTop", "zzTop", "xoxp-***"),
    ("rotated xoxe.xoxb-1-MTIzNDU2Nzg5", "MTIzNDU2", "xoxe.xoxb-***"),
    ("refresh xoxe-1-My0xLTEyMzQ1Njc4", "My0xLTEy", "xoxe-***"),
    ("socket xapp-1-A0B1-123-deadbeef", "deadbeef", "xapp-***"),
    ("sandbox xoxb-sandbox-token", "sandbox-token", "xoxb-***"),
    (f"posting to {RESPONSE_URL} now", "abcDEF987secret", "hooks.slack.com/*** now"),
    (
        '{"response_url":"https:\\/\\/hooks.slack.com\\/commands\\/T0\\/1\\/zz9secret"}',
        "zz9secret",
        '{"response_url":"***"}',
    ),
    (
        '{"url":"https:\\/\\/hooks.slack.com\\/commands\\/T0\\/1\\/zz9secret"}',
        "zz9secret",
        'https:\\/\\/hooks.slack.com/***"}',
    ),
    (
        "payload=%7B%22u%22%3A%22https%3A%2F%2Fhooks.slack.com%2Factions%2FT0%2Fq7secret",
        "q7secret",
        "hooks.slack.com/***",
    ),
    (f"respond {SANDBOX_URL}", "opaque-capability-42", "127.0.0.1:8099/slack/respond/***"),
    (
        '"POST /slack/respond/opaque-capability-42 HTTP/1.1" 200',
        "opaque-capability-42",
        "/slack/respond/*** HTTP/1.1",
    ),
]


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    install_redaction(handler)
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize(("text", "secret", "kept"), CASES)
def test_redact_text(text: str, secret: str, kept: str) -> None:
    result = redact(text)
    assert secret not in result
    assert kept in result


@pytest.mark.parametrize(("text", "secret", "kept"), CASES)
def test_secret_in_message(
    capture: tuple[logging.Logger, io.StringIO], text: str, secret: str, kept: str
) -> None:
    logger, stream = capture
    logger.info(text)
    assert secret not in stream.getvalue()
    assert kept in stream.getvalue()


@pytest.mark.parametrize(("text", "secret", "kept"), CASES)
def test_secret_in_args(
    capture: tuple[logging.Logger, io.StringIO], text: str, secret: str, kept: str
) -> None:
    logger, stream = capture
    logger.warning("call failed: %s (attempt %d)", text, 2)
    output = stream.getvalue()
    assert secret not in output
    assert kept in output
    assert "call failed:" in output
    assert "(attempt 2)" in output


@pytest.mark.parametrize(("text", "secret", "kept"), CASES)
def test_secret_in_exception(
    capture: tuple[logging.Logger, io.StringIO], text: str, secret: str, kept: str
) -> None:
    logger, stream = capture
    try:
        raise RuntimeError(text)
    except RuntimeError:
        logger.exception("refresh failed for %s", "U0MARIA")
    output = stream.getvalue()
    assert secret not in output
    assert "Traceback" in output
    assert "RuntimeError" in output
    assert "refresh failed for U0MARIA" in output


def test_secret_split_between_format_and_args(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = capture
    logger.info("Authorization: Bearer %s", OPAQUE)
    logger.info("refresh_token=%s&grant_type=%s", OPAQUE, "refresh_token")
    assert OPAQUE not in stream.getvalue()
    assert stream.getvalue().count("***") == 2


def test_dict_args(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    logger.info("token response %s", {"access_token": JWT, "refresh_token": OPAQUE, "x": 1})
    logger.info("mapping %(refresh_token)s for %(user)s", {"refresh_token": OPAQUE, "user": "U0"})
    output = stream.getvalue()
    assert OPAQUE not in output
    assert "c2lnbmF0dXJl" not in output
    assert "'x': 1" in output
    assert "mapping *** for U0" in output


def test_registered_secret(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    RedactionFilter.register_secret("s1gning-s3cret/with+chars")
    RedactionFilter.register_secret("short")
    logger.info("secret is s1gning-s3cret/with+chars and encoded s1gning-s3cret%2Fwith%2Bchars")
    logger.info("a short word stays")
    output = stream.getvalue()
    assert "s1gning" not in output
    assert output.count("***") == 2
    assert "a short word stays" in output


def test_extra_attributes_redacted(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    handler = logger.handlers[0]
    handler.setFormatter(logging.Formatter("%(message)s url=%(url)s n=%(n)s"))
    logger.info("posting", extra={"url": RESPONSE_URL, "n": 3})
    output = stream.getvalue()
    assert "abcDEF987secret" not in output
    assert "url=https://hooks.slack.com/***" in output
    assert "n=3" in output


def test_mismatched_args_never_raise_and_keep_the_line(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = capture
    logger.info("two placeholders %s %s", f"Bearer {OPAQUE}")
    logger.info("%d items", "not-a-number")
    output = stream.getvalue()
    assert OPAQUE not in output
    assert "two placeholders" in output
    assert "items" in output
    assert "--- Logging error ---" not in output


def test_uvicorn_style_args_stay_a_tuple(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, _ = capture
    record = logger.makeRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/oauth/astravue/callback?code=abc123xyz&state=s", "1.1", 200),
        None,
    )
    RedactionFilter().filter(record)
    assert isinstance(record.args, tuple)
    assert record.args[2] == "/oauth/astravue/callback?code=***&state=s"
    assert record.args[4] == 200


def test_realistic_message_keeps_its_words(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    logger.info(
        "team=%s user=%s action=%s refreshed token for link %d in %.1f ms; error_code=%s",
        "T0ACME",
        "U0MARIA",
        "task_done",
        7,
        12.5,
        "invalid_grant",
    )
    assert stream.getvalue().strip() == (
        "INFO team=T0ACME user=U0MARIA action=task_done refreshed token for link 7 in 12.5 ms;"
        " error_code=invalid_grant"
    )


def test_filter_always_keeps_record() -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("boom")

    record = logging.LogRecord("x", logging.INFO, __file__, 1, Unprintable(), (), None)
    assert RedactionFilter().filter(record) is True
    assert "withheld" in record.getMessage()


def test_redact_is_fast_on_large_text() -> None:
    chunk = f"user U0DEV posted {JWT} to {RESPONSE_URL} with code=abc&state=x plain words "
    text = (chunk * (40_000 // len(chunk) + 1))[:40_000]
    started = time.perf_counter()
    result = redact(text)
    elapsed = time.perf_counter() - started
    assert "c2lnbmF0dXJl" not in result
    assert "abcDEF987secret" not in result
    assert "plain words" in result
    assert elapsed < 0.25, elapsed


@pytest.mark.parametrize(
    "text", ["eyJ" * 13_000, "a" * 40_000, '"token": "' * 4_000, "%22eyJ" * 6_600]
)
def test_redact_stays_linear_on_adversarial_text(text: str) -> None:
    started = time.perf_counter()
    redact(text)
    assert time.perf_counter() - started < 0.1


def test_url_encoded_jwt() -> None:
    assert redact(f"payload=%7B%22t%22%3A%22{JWT}%22%7D") == "payload=%7B%22t%22%3A%22eyJ***%22%7D"


@pytest.fixture
def clean_root() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_levels = {name: logging.getLogger(name).level for name in ("httpx", "slack_sdk")}
    # An earlier in-process `astravue-bot` call may have installed ours on an older stderr.
    earlier = [h for h in saved_handlers if h.get_name() == "astravue-stderr"]
    for handler in earlier:
        root.removeHandler(handler)
    yield root
    for handler in list(root.handlers):
        if handler not in saved_handlers:
            root.removeHandler(handler)
        else:
            handler.filters = [f for f in handler.filters if not isinstance(f, RedactionFilter)]
    for handler in earlier:
        root.addHandler(handler)
    root.setLevel(saved_level)
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)


def test_setup_logging_is_idempotent_and_covers_later_loggers(
    clean_root: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging("info")
    setup_logging("INFO")
    ours = [h for h in clean_root.handlers if h.get_name() == "astravue-stderr"]
    assert len(ours) == 1
    assert sum(isinstance(f, RedactionFilter) for f in ours[0].filters) == 1
    assert clean_root.level == logging.INFO
    assert logging.getLogger("httpx").level == logging.WARNING

    logging.getLogger("slack_bolt.created.later").warning("sending %s", "xoxb-1-2-secretish")
    err = capsys.readouterr().err
    assert "xoxb-***" in err
    assert "secretish" not in err
    assert " WARNING slack_bolt.created.later sending" in err

    setup_logging("DEBUG")
    assert clean_root.level == logging.DEBUG
    assert logging.getLogger("httpx").level == logging.NOTSET
    assert len([h for h in clean_root.handlers if h.get_name() == "astravue-stderr"]) == 1


def test_setup_logging_rejects_unknown_level(clean_root: logging.Logger) -> None:
    with pytest.raises(ValueError, match="unknown log level"):
        setup_logging("LOUD")
