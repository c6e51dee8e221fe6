"""`/astravue time` and `/astravue timesheet` end to end: task titles and member names instead
of ids, entries by day in the user's zone with a total per day and for the period, and
Previous / Next redrawing the same message."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.calendar import show_day, show_span
from bot.domain.tasks import TaskRef, task_url
from bot.sandbox.stack import Stack
from bot.ui.ids import Action
from tests.scenario.conftest import buttons, connect, eventually, last_response, text_of

MARIA, DEV = 1, 2
MADRID = ZoneInfo("Europe/Madrid")  # Maria's Slack zone in the sandbox


def task_ref(stack: Stack, title: str) -> TaskRef:
    task = next(t for t in stack.sandbox.astravue.tasks.values() if t.title == title)
    return TaskRef(task.task_id, task.space_id, task.project_id)


def log(stack: Stack, user: int, ref: TaskRef, day: date, start: time, minutes: int) -> None:
    """An entry made in Astravue itself, `minutes` long from `start` (Madrid time) on `day`."""
    begin = datetime.combine(day, start, tzinfo=MADRID)
    stack.sandbox.astravue.add_range_entry(
        user, ref.task_id, begin, begin + timedelta(minutes=minutes), project_id=ref.project_id
    )


async def run(stack: Stack, text: str, user: str = "U0MARIA") -> dict[str, Any]:
    before = len(stack.sandbox.slack.responses)
    await stack.user(user).command(text)
    return await last_response(stack, user, before)


async def move(stack: Stack, action: Action, user: str = "U0MARIA") -> dict[str, Any]:
    """Click Previous or Next on the user's last reply; that reply, once the app redrew it."""
    shown = stack.sandbox.slack.ephemerals_for(user)[-1]
    value = buttons(shown.as_slack())[action]["value"]
    before = len(stack.sandbox.slack.responses)
    await stack.user(user).click(action, value, message=shown.as_slack(), channel_id="C0GENERAL")
    answer = (await eventually(lambda: stack.sandbox.slack.responses[before:]))[-1]
    assert answer.outcome == "replaced", answer.outcome
    assert stack.sandbox.slack.ephemerals_for(user)[-1] is shown  # no new message
    return shown.as_slack()


def weeks() -> tuple[date, date]:
    """This week's and last week's Mondays in Maria's zone."""
    today = datetime.now(MADRID).date()
    monday = today - timedelta(days=today.weekday())
    return monday, monday - timedelta(days=7)


async def test_entries_by_day_with_titles_totals_and_previous_next(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    stack.sandbox.astravue.entries.clear()  # only this test's entries
    app_url = stack.settings.astravue_app_url
    pricing = task_ref(stack, "Update pricing page copy")
    passport = task_ref(stack, "Renew passport")  # a personal task
    this_monday, last_monday = weeks()
    log(stack, MARIA, pricing, last_monday, time(9), 90)
    log(stack, MARIA, passport, last_monday, time(14), 45)
    log(stack, MARIA, pricing, last_monday + timedelta(days=2), time(10), 120)
    # 00:30 in Madrid is still Sunday in UTC: it belongs to this Monday, in this week.
    log(stack, MARIA, passport, this_monday, time(0, 30), 30)
    today = datetime.now(MADRID).date()

    week = await run(stack, "time week")
    shown = text_of(week)
    assert f"Your time · {show_span(this_monday, this_monday + timedelta(days=6), today)}" in shown
    assert f"*{show_day(this_monday, today)}* · 30m" in shown
    assert f"<{task_url(app_url, passport)}|Renew passport>" in shown
    assert "Total *30m*" in shown and "task " not in shown
    assert Action.TIME_NEXT not in buttons(week)  # nothing to show after this week

    last_week = text_of(await move(stack, Action.TIME_PREVIOUS))
    assert show_span(last_monday, last_monday + timedelta(days=6), today) in last_week
    assert f"*{show_day(last_monday, today)}* · 2h 15m" in last_week
    assert f"*{show_day(last_monday + timedelta(days=2), today)}* · 2h" in last_week
    assert f"<{task_url(app_url, pricing)}|Update pricing page copy>" in last_week
    assert "Total *4h 15m*" in last_week

    back = await move(stack, Action.TIME_NEXT)
    assert text_of(back) == shown


async def test_project_sheet_names_members_and_moves_by_week(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    stack.sandbox.astravue.entries.clear()
    pricing = task_ref(stack, "Update pricing page copy")
    login = task_ref(stack, "Fix login redirect loop")
    this_monday, last_monday = weeks()
    log(stack, MARIA, pricing, this_monday, time(9), 60)
    log(stack, DEV, login, this_monday, time(11), 150)
    log(stack, DEV, login, last_monday, time(11), 20)
    today = datetime.now(MADRID).date()

    sheet = text_of(await run(stack, "timesheet #Website week"))
    assert "Timesheet: Website" in sheet and "Total *3h 30m*" in sheet
    assert "• Dev Patel: *2h 30m*" in sheet and "• You: *1h*" in sheet
    assert "Member " not in sheet
    assert f"{show_day(this_monday, today)} · *3h 30m*" in sheet

    before = text_of(await move(stack, Action.SHEET_PREVIOUS))
    assert show_span(last_monday, last_monday + timedelta(days=6), today) in before
    assert "• Dev Patel: *20m*" in before and "You" not in before

    everyone = text_of(await run(stack, "timesheet week"))
    assert "Timesheet: everyone" in everyone and "• Website: *3h 30m*" in everyone
    assert "Website" in text_of(await move(stack, Action.SHEET_PREVIOUS))
