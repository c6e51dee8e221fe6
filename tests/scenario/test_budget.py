"""The user's Astravue request budget (issue 19, point 3): a log spends few calls, the App
Home is redrawn only while it is open, and an answer that must wait for the budget is
announced at once, then delivered: never silent, never lost, never twice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.sandbox.slack.records import ResponsePost
from bot.sandbox.stack import Stack, start_stack
from tests.scenario.conftest import connect, drain_lazy_work, eventually, text_of
from tests.scenario.test_home import open_home
from tests.scenario.test_timers import entries_of, run, task_ref

BURST = 15
LIMIT, WINDOW = 6, 2.0  # a small budget: 6 Astravue requests per user per 2 s


def astravue_calls(stack: Stack, since: int) -> list[tuple[str, str]]:
    return [(method, path) for method, path, _org in stack.sandbox.astravue.requests[since:]]


def home_publishes(stack: Stack) -> int:
    return len(stack.sandbox.slack.calls_to("views.publish"))


async def test_a_log_redraws_the_home_only_while_it_is_open(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    passport = task_ref(stack, "Renew passport")

    published, mark = home_publishes(stack), len(stack.sandbox.astravue.requests)
    assert "Logged" in text_of(await run(stack, f"log 15m {passport.task_id}"))
    await drain_lazy_work(stack)
    assert home_publishes(stack) == published  # never opened: the next open draws it
    assert len(astravue_calls(stack, mark)) == 2  # find the task, write the entry

    before = text_of(await open_home(stack, "U0MARIA", "Logged today"))
    mark = len(stack.sandbox.astravue.requests)
    await run(stack, f"log 30m {passport.task_id}")
    await eventually(lambda: text_of(stack.sandbox.slack.home_view("U0MARIA") or {}) != before)
    await drain_lazy_work(stack)
    calls = astravue_calls(stack, mark)
    assert len(calls) == 4, calls  # the log's 2, then the timer section's 2
    assert not [path for _method, path in calls if path.endswith("/tasks")]  # list reused


@pytest.fixture
async def tight_stack(database_url: str) -> AsyncIterator[Stack]:
    running = await start_stack(
        database_url, astravue_user_rate_limit=LIMIT, astravue_user_rate_window_seconds=WINDOW
    )
    try:
        yield running
    finally:
        await running.stop()


async def test_a_burst_of_logs_is_each_answered_once_busy_notice_first(
    tight_stack: Stack,
) -> None:
    stack = tight_stack
    await connect(stack, "U0MARIA")
    passport = task_ref(stack, "Renew passport")
    logged_before = len(entries_of(stack, passport))
    mark = len(stack.sandbox.slack.responses)

    # Each command in its own channel, so each answer is traced to its command.
    for n in range(BURST):
        sent = await stack.user("U0MARIA").command(
            f"log 15m {passport.task_id} burst-{n}", channel_id=f"C0BURST{n:02d}"
        )
        assert sent.status_code == 200

    def answers(n: int) -> list[ResponsePost]:
        return [p for p in stack.sandbox.slack.responses[mark:] if p.channel == f"C0BURST{n:02d}"]

    def logged(n: int) -> list[ResponsePost]:
        return [p for p in answers(n) if "Logged" in text_of(p.payload)]

    await eventually(lambda: all(logged(n) for n in range(BURST)), within=60)
    await drain_lazy_work(stack)

    told_to_wait = 0
    for n in range(BURST):
        texts = [text_of(p.payload) for p in answers(n)]
        assert all(p.status == 200 for p in answers(n))
        assert len(logged(n)) == 1, texts
        if len(texts) == 2:  # the notice first, then the result
            assert "Astravue is busy for you, this will arrive in ~" in texts[0], texts
            assert "Logged" in texts[1]
            told_to_wait += 1
        else:
            assert len(texts) == 1, texts
    # 2 requests per log against 6 per window: only the first 3 logs run without waiting.
    assert told_to_wait >= BURST - LIMIT

    notes = [entry.notes for entry in entries_of(stack, passport)[logged_before:]]
    assert sorted(notes) == sorted(f"burst-{n}" for n in range(BURST))  # none lost, none twice


async def test_a_task_changed_meanwhile_is_read_again_in_the_next_redraw(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    passport, review = task_ref(stack, "Renew passport"), task_ref(stack, "Review Q3 budget")
    await open_home(stack, "U0MARIA", "Review Q3 budget")
    assert "Completed" in text_of(await run(stack, f"task done {review.task_id}"))
    await run(stack, f"log 15m {passport.task_id}")
    await eventually(
        lambda: "Review Q3 budget" not in text_of(stack.sandbox.slack.home_view("U0MARIA") or {})
    )
