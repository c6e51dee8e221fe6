"""Issue 12 item 13: at DEBUG, the database layer logs statements but never their parameters,
so neither a connect flow's OAuth state nor an Astravue email reaches a log record from it.

(Other DEBUG records may hold them by design: the test's own browser logs the redirect URLs it
follows, and slack_sdk logs the "Connected as ..." message it posts.)"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from bot.db.models import AstravueLink
from bot.logging import setup_logging
from bot.sandbox.stack import SLACK_USERNAMES, Stack
from tests.scenario import conftest as scenario
from tests.scenario.conftest import buttons, eventually, last_response, text_of

stack = scenario.stack  # the running stack of the scenario tests
DATABASE_LOGGERS = ("sqlalchemy", "aiosqlite", "asyncpg", "alembic")


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.exc_text or ''}")


@pytest.fixture
def records() -> Iterator[Records]:
    """The app's logging at DEBUG, plus SQLAlchemy's statement log (`sqlalchemy.engine` at
    INFO) as an operator debugging SQL would turn it on."""
    root, engine_log = logging.getLogger(), logging.getLogger("sqlalchemy.engine")
    saved = root.level, engine_log.level
    setup_logging("DEBUG")
    engine_log.setLevel(logging.INFO)
    handler = Records()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        setup_logging(logging.getLevelName(saved[0]))
        engine_log.setLevel(saved[1])


def _state_of(start_url: str) -> str:
    """The OAuth state the signed start link carries (its claims are readable, not secret)."""
    token = parse_qs(urlsplit(start_url).query)["t"][0]
    claims = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["s"]


async def test_debug_database_logs_carry_no_oauth_state_or_email(
    stack: Stack, records: Records
) -> None:
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").command("connect")
    url = buttons(await last_response(stack, "U0MARIA", before))["account.connect"]["url"]
    state = _state_of(url)
    page = await stack.follow_connect(url, SLACK_USERNAMES["U0MARIA"])
    assert page.status_code == 200, page.text
    await eventually(
        lambda: any(
            "Connected" in text_of(p.payload) for p in stack.sandbox.slack.responses[before:]
        )
    )
    async with stack.runtime.sessions() as session:
        email = (await session.scalars(select(AstravueLink.astravue_email))).one()
    assert email and "@" in email
    database = [line for line in records.lines if line.startswith(DATABASE_LOGGERS)]
    assert any("INSERT INTO oauth_states" in line for line in database)  # not vacuous
    leaks = [line[:300] for line in database if state in line or email in line]
    assert leaks == []
