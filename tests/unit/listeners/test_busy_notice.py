"""Invocation.tell_busy: a wait for the Astravue budget is announced once, before the
answer, and never for events or after the answer went out."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext

from bot.listeners.safe_lazy import Invocation


class Responses:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def __call__(self, **message: Any) -> None:
        self.sent.append(message)


def invocation(body: dict[str, Any]) -> tuple[Invocation, Responses]:
    responses = Responses()
    context = AsyncBoltContext({"response_url": "https://hooks.slack.test/r/1", "user_id": "U1"})
    inv = Invocation(
        services=None,  # type: ignore[arg-type]  # not reached
        client=None,  # type: ignore[arg-type]
        body=body,
        context=context,
        respond=responses,  # type: ignore[arg-type]
    )
    return inv, responses


async def test_the_first_wait_is_announced_once_then_the_answer_follows() -> None:
    inv, responses = invocation({"command": "/astravue", "text": "log 1h 14"})
    await inv.tell_busy(12.3)
    await inv.tell_busy(40.0)
    await inv.reply({"text": "Logged 1h"})
    assert [m["text"] for m in responses.sent] == [
        "Astravue is busy for you, this will arrive in ~15 s.",
        "Logged 1h",
    ]
    assert responses.sent[0]["response_type"] == "ephemeral"
    assert responses.sent[0]["replace_original"] is False


async def test_no_notice_after_the_answer_or_for_an_event() -> None:
    inv, responses = invocation({"command": "/astravue", "text": "timer start 14"})
    await inv.reply({"text": "Started"})
    await inv.tell_busy(30.0)  # e.g. the Home redraw after the answer
    assert [m["text"] for m in responses.sent] == ["Started"]

    event, responses = invocation({"event": {"type": "app_home_opened"}})
    await event.tell_busy(30.0)
    assert responses.sent == []
