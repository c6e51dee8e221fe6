"""Operations of the seed that had no caller: a user's timers on a task, subtask checklists."""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect, text_of
from tests.scenario.test_tasks import _task_titled
from tests.scenario.test_timers import run

DEV = 2


def requested(stack: Stack, path: str) -> bool:
    return any(p == path for _, p, _ in stack.sandbox.astravue.requests)


async def test_a_task_card_shows_your_time_on_it_today_and_in_all(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    pricing = _task_titled(stack, "Update pricing page copy")
    assert pricing is not None  # seeded: Maria logged 1h 30m yesterday
    await run(stack, f"log 45m {pricing.task_id}")
    stack.sandbox.astravue.add_manual_entry(
        DEV, pricing.task_id, timedelta(hours=3), project_id=pricing.project_id
    )  # not Maria's

    card = text_of(await run(stack, f"task show {pricing.task_id}"))
    assert "*Your time* today 45m · total 2h 15m" in card
    assert requested(stack, f"/v1/time-track/tasks/{pricing.task_id}")


async def test_time_for_a_task_lists_your_entries_on_it(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    pricing = _task_titled(stack, "Update pricing page copy")
    assert pricing is not None
    await run(stack, f"log 20m {pricing.task_id} Headline tweaks")
    stack.sandbox.astravue.add_manual_entry(
        DEV, pricing.task_id, timedelta(hours=3), project_id=pricing.project_id, notes="Dev's work"
    )

    listing = text_of(await run(stack, "time update pricing page copy"))
    assert "Your time on “Update pricing page copy”" in listing
    assert "Total *1h 50m*" in listing
    assert "Copy review" in listing and "Headline tweaks" in listing
    assert "Dev's work" not in listing
    assert "No task matches “fortnight”" in text_of(await run(stack, "time fortnight"))


async def test_a_subtasks_details_use_the_subtask_checklist(stack: Stack) -> None:
    await connect(stack, "U0DEV")
    login = _task_titled(stack, "Fix login redirect loop")
    regression = _task_titled(stack, "Write regression test")
    assert login is not None and regression is not None
    parent = text_of(await run(stack, f"task show {login.task_id}", user="U0DEV"))
    assert f"Write regression test (#{regression.task_id})" in parent

    card = text_of(await run(stack, f"task show {regression.task_id}", user="U0DEV"))
    assert "Write regression test" in card and "Checklist* 0/2 done" in card
    assert requested(stack, f"/v1/tasks/{login.task_id}/subtasks/{regression.task_id}/checklists")
