"""Issue 12 item 6: an Astravue that ignores `page` and sends no totals must not make a list
walk forever. `task list` ends quickly, with a note that the list was cut short."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.sandbox.seed import MARIA
from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect, last_response, text_of


async def test_task_list_ends_with_a_note_when_astravue_ignores_page(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    for number in range(120):  # more than one full page of 100, the size the app asks for
        stack.sandbox.astravue.create_task(MARIA, title=f"Chore {number:03}")
    await connect(stack, "U0MARIA")
    stack.sandbox.dialect.ignores_paging = True
    requests_before = len(stack.sandbox.astravue.requests)
    caplog.set_level(logging.WARNING, logger="bot.astravue.pagination")

    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").command("task list personal")
    # The old code looped here (921 requests, 1 GB after 20 s); the timeout guards that run.
    listing = await asyncio.wait_for(last_response(stack, "U0MARIA", before), timeout=20)

    shown = text_of(listing)
    assert "Showing the first 100" in shown
    assert "Astravue returned more pages than expected" in shown
    assert len(stack.sandbox.astravue.requests) - requests_before < 10
    assert any(
        "listPersonalTasks" in r.getMessage() and "repeated" in r.getMessage()
        for r in caplog.records
    )
