"""Item 8 of the security review: a malformed `state` (a NUL byte made PostgreSQL answer 500),
start token or confirmation field gets the "link not valid" page (400), and is refused before
any query touches the connect tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event

from bot.sandbox.stack import Stack
from tests.scenario import conftest as scenario

stack = scenario.stack
no_secret_in_debug_logs = scenario.no_secret_in_debug_logs

MALFORMED = (
    "%00",
    "a" * 42 + "%00",
    "%00" * 43,
    "x" * 5000,
    "%FF%FE" * 20,
    "'%20OR%201=1--",
    "a" * 31,
    "a" * 65,
    "a.b",
    "",
)


@contextmanager
def statements(stack: Stack) -> Iterator[list[str]]:
    """Every SQL statement the app runs meanwhile."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engine = stack.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _refused_as_invalid(response: httpx.Response, case: str) -> None:
    assert response.status_code == 400, (case, response.status_code)
    assert "Link not valid" in response.text, case


async def test_malformed_states_tokens_and_confirmations_get_the_invalid_link_page(
    stack: Stack,
) -> None:
    app = stack.app_url
    async with httpx.AsyncClient() as browser:
        with statements(stack) as queries:
            for raw in MALFORMED:
                _refused_as_invalid(
                    await browser.get(f"{app}/oauth/astravue/callback?state={raw}&code=c"),
                    f"callback state={raw[:20]}",
                )
                _refused_as_invalid(
                    await browser.get(f"{app}/oauth/astravue/start?t={raw}"), f"start t={raw[:20]}"
                )
                _refused_as_invalid(
                    await browser.post(
                        f"{app}/oauth/astravue/confirm",
                        content=f"pending={raw}&csrf={raw}&action=link",
                        headers={"Content-Type": "application/x-www-form-urlencoded"},
                    ),
                    f"confirm pending={raw[:20]}",
                )
        assert queries == []

        # A start token the app signed itself around a malformed state (defence in depth).
        token = stack.runtime.services.linking.signer.sign(
            {"s": "\x00", "t": "T0ACME", "u": "U0MARIA"}, ttl=60
        )
        with statements(stack) as queries:
            _refused_as_invalid(
                await browser.get(f"{app}/oauth/astravue/start", params={"t": token}),
                "signed bad state",
            )
        assert not [q for q in queries if "oauth_states" in q]
