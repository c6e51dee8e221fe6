"""Timers and time entries end to end: Slack requests in, entries checked in the sandbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.db.repositories import settings_for
from bot.db.session import session_scope
from bot.domain.tasks import TaskRef
from bot.sandbox.astravue_state import TimeEntry
from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from tests.scenario.conftest import (
    buttons,
    connect,
    drain_lazy_work,
    eventually,
    last_response,
    text_of,
)

MARIA = 1
MADRID = ZoneInfo("Europe/Madrid")


def task_ref(stack: Stack, title: str) -> TaskRef:
    task = next(t for t in stack.sandbox.astravue.tasks.values() if t.title == title)
    return TaskRef(task.task_id, task.space_id, task.project_id)


def running(stack: Stack) -> TimeEntry | None:
    return stack.sandbox.astravue.running_timer(MARIA)


def entries_of(stack: Stack, task: TaskRef) -> list[TimeEntry]:
    """Maria's entries on `task`, oldest created first (seeded ones included)."""
    return sorted(
        (e for e in stack.sandbox.astravue.time_entries(MARIA) if e.task_id == task.task_id),
        key=lambda e: e.entry_id,
    )


def card(action_id: str, value: str) -> dict[str, Any]:
    """A message holding one button, as a task card would."""
    return {
        "ts": "1.0",
        "blocks": [
            {
                "type": "actions",
                "block_id": "b",
                "elements": [
                    {
                        "type": "button",
                        "action_id": action_id,
                        "value": value,
                        "text": {"type": "plain_text", "text": "x"},
                    }
                ],
            }
        ],
    }


async def press(
    stack: Stack,
    action_id: str,
    value: str,
    user: str = "U0MARIA",
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Click a message button; the app's answer through the response URL."""
    before = len(stack.sandbox.slack.responses)
    await stack.user(user).click(
        action_id, value, message=message or card(action_id, value), channel_id="C0GENERAL"
    )
    await drain_lazy_work(stack)  # the answer is the last post: earlier cards are rewritten first
    return await last_response(stack, user, before)


async def pick_in_menu(stack: Stack, listing: dict[str, Any], value: str) -> None:
    """Choose `value` in an entry's overflow menu of `listing`."""
    await stack.user("U0MARIA").click(
        Action.TIME_ENTRY_MENU,
        message=listing,
        channel_id="C0GENERAL",
        selected_option={"value": value},
        action_type="overflow",
    )


async def run(stack: Stack, text: str, user: str = "U0MARIA") -> dict[str, Any]:
    before = len(stack.sandbox.slack.responses)
    await stack.user(user).command(text)
    await drain_lazy_work(stack)
    return await last_response(stack, user, before)


async def new_modal(stack: Stack, count_before: int, user: str = "U0MARIA") -> dict[str, Any]:
    calls = await eventually(lambda: stack.sandbox.slack.calls_to("views.open")[count_before:])
    assert calls
    return (await eventually(lambda: stack.sandbox.slack.open_views(user)))[-1]


def radio(value: str) -> dict[str, Any]:
    return {"type": "radio_buttons", "selected_option": {"value": value}}


def text_input(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


async def test_start_busy_switch_stop_with_billable_and_note(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    budget = task_ref(stack, "Review Q3 budget")
    pricing = task_ref(stack, "Update pricing page copy")

    started = await press(stack, Action.TIMER_START, budget.encode())
    assert "Review Q3 budget" in text_of(started)
    assert running(stack) is not None and running(stack).task_id == budget.task_id  # type: ignore[union-attr]

    busy = await press(stack, Action.TIMER_START, pricing.encode())
    assert "already running" in text_of(busy)
    switch = buttons(busy)[Action.TIMER_SWITCH]
    assert switch["value"] == pricing.encode()
    assert switch["text"]["text"] == "Switch to Update pricing page copy"
    switched = await press(stack, Action.TIMER_SWITCH, switch["value"], message=busy)
    assert "Stopped *Review Q3 budget*" in text_of(switched)
    now_running = running(stack)
    assert now_running is not None and now_running.task_id == pricing.task_id
    assert [e.running for e in entries_of(stack, budget)][-1] is False

    card = await run(stack, "timer")
    assert "Update pricing page copy" in text_of(card) and "Running since <!date^" in text_of(card)

    # "Stop & edit…" asks for billable and a note before stopping.
    opened = len(stack.sandbox.slack.calls_to("views.open"))
    edit = buttons(card)[Action.TIMER_STOP]
    assert edit["text"]["text"] == "Stop & edit…"
    await stack.user("U0MARIA").click(Action.TIMER_STOP, edit["value"], message=card)
    modal = await new_modal(stack, opened)
    assert modal["callback_id"] == Callback.TIMER_STOP
    await stack.user("U0MARIA").submit(
        modal,
        {"billable": {"billable": radio("no")}, "note": {"note": text_input("Pricing <draft>")}},
    )
    await drain_lazy_work(stack)
    assert running(stack) is None
    stopped = entries_of(stack, pricing)[-1]
    assert stopped.billable is False and stopped.notes == "Pricing <draft>"
    dm = await eventually(lambda: stack.sandbox.slack.dm_messages("U0MARIA"))
    assert "Stopped *Update pricing page copy*" in text_of(dm[-1].as_slack())
    assert "&lt;draft&gt;" in str(dm[-1].as_slack())

    # Quick stop keeps the last choice (non-billable) without asking; the open Home follows.
    await press(stack, Action.TIMER_START, budget.encode())
    await stack.user("U0MARIA").event(
        {"type": "app_home_opened", "user": "U0MARIA", "tab": "home", "channel": "D0MARIA"}
    )
    home = await eventually(lambda: stack.sandbox.slack.home_view("U0MARIA"))
    assert "No timer running" not in text_of(home)
    done = await press(stack, Action.TIMER_QUICK_STOP, budget.encode())
    assert "non-billable" in text_of(done)
    assert running(stack) is None and entries_of(stack, budget)[-1].billable is False
    await eventually(
        lambda: "No timer running" in text_of(stack.sandbox.slack.home_view("U0MARIA") or {})
    )


async def test_commands_start_switch_and_the_picker(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    budget, passport = task_ref(stack, "Review Q3 budget"), task_ref(stack, "Renew passport")
    assert "Review Q3 budget" in text_of(await run(stack, f"timer start {budget.task_id}"))
    assert running(stack).task_id == budget.task_id  # type: ignore[union-attr]
    switched = text_of(await run(stack, f"timer switch {passport.task_id}"))
    assert "Stopped *Review Q3 budget*" in switched and "Renew passport" in switched
    assert running(stack).task_id == passport.task_id  # type: ignore[union-attr]
    assert "already running" in text_of(await run(stack, f"timer start {budget.task_id}"))

    opened = len(stack.sandbox.slack.calls_to("views.open"))
    await stack.user("U0MARIA").command("timer start")
    modal = await new_modal(stack, opened)
    assert modal["callback_id"] == Callback.TIMER_START_PICK
    answer = await stack.user("U0MARIA").suggest(Action.SELECT_TASK, "budget", view=modal)
    options = answer.json()["options"]
    assert [o["text"]["text"] for o in options] == ["Review Q3 budget"]
    assert options[0]["value"] == budget.encode()
    empty = await stack.user("U0MARIA").submit(modal, {})
    assert empty.json()["response_action"] == "errors"
    await stack.user("U0MARIA").submit(
        modal,
        {"task": {Action.SELECT_TASK: {"type": "external_select", "selected_option": options[0]}}},
    )
    busy = await eventually(
        lambda: [
            m
            for m in stack.sandbox.slack.dm_messages("U0MARIA")
            if "already running" in text_of(m.as_slack())
        ]
    )
    assert buttons(busy[-1].as_slack())[Action.TIMER_SWITCH]["value"] == budget.encode()


async def test_log_every_duration_form_range_and_date(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    passport = task_ref(stack, "Renew passport")
    pricing = task_ref(stack, "Update pricing page copy")
    for form in ("1h30", "1:30", "90m", "1.5h", "1h 30m"):
        reply = text_of(await run(stack, f"log {form} {passport.task_id}"))
        assert "Logged *1h 30m*" in reply, (form, reply)
    manual = entries_of(stack, passport)
    assert len(manual) == 5
    assert all(e.end - e.start == timedelta(minutes=90) for e in manual)  # type: ignore[operator]
    assert {e.entry_type for e in manual} == {"MANUAL"}

    await run(stack, f"log 45m {pricing.task_id} yesterday Copy edits")
    entry = entries_of(stack, pricing)[-1]
    assert entry.project_id == pricing.project_id and entry.notes == "Copy edits"
    yesterday = datetime.now(MADRID).date() - timedelta(days=1)
    assert entry.start.astimezone(MADRID).date() == yesterday
    assert entry.end - entry.start == timedelta(minutes=45)  # type: ignore[operator]

    await run(stack, f"log 09:00-10:30 {pricing.task_id} yesterday")
    ranged = entries_of(stack, pricing)[-1]
    assert ranged.entry_type == "RANGE"
    assert ranged.start.astimezone(MADRID).replace(tzinfo=None) == datetime.combine(
        yesterday, datetime.min.time()
    ).replace(hour=9)
    assert ranged.end.astimezone(MADRID).hour == 10  # type: ignore[union-attr]


async def test_bad_durations_show_the_accepted_forms(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    passport = task_ref(stack, "Renew passport")
    for bad in ("1h70", "-5m", "25:00"):
        reply = text_of(await run(stack, f"log {bad} {passport.task_id}"))
        assert "`1h30`" in reply and "`90m`" in reply and "09:00-10:30" in reply, reply
    assert entries_of(stack, passport) == []


async def test_log_modal_validates_then_logs(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    passport = task_ref(stack, "Renew passport")
    opened = len(stack.sandbox.slack.calls_to("views.open"))
    await stack.user("U0MARIA").command("log")
    modal = await new_modal(stack, opened)
    assert modal["callback_id"] == Callback.TIME_LOG
    task = {
        Action.SELECT_TASK: {
            "type": "external_select",
            "selected_option": {
                "value": passport.encode(),
                "text": {"type": "plain_text", "text": "Renew passport"},
            },
        }
    }
    bad = await stack.user("U0MARIA").submit(
        modal, {"task": task, "amount": {"amount": text_input("1h70")}}
    )
    assert "amount" in bad.json()["errors"]
    today = datetime.now(MADRID).date().isoformat()
    await stack.user("U0MARIA").submit(
        modal,
        {
            "task": task,
            "amount": {"amount": text_input("2h")},
            "date": {"date": {"type": "datepicker", "selected_date": today}},
            "billable": {"billable": radio("yes")},
            "note": {"note": text_input("Forms")},
        },
    )
    await eventually(lambda: entries_of(stack, passport))
    entry = entries_of(stack, passport)[0]
    assert entry.billable is True and entry.notes == "Forms"
    assert entry.end - entry.start == timedelta(hours=2)  # type: ignore[operator]


async def test_time_list_edit_and_delete(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    passport = task_ref(stack, "Renew passport")
    await run(stack, f"log 08:00-09:00 {passport.task_id}")
    listing = await run(stack, "time today")
    assert "Total *1h*" in text_of(listing) and "Renew passport" in text_of(listing)
    entry = entries_of(stack, passport)[0]
    menu = buttons(listing)[Action.TIME_ENTRY_MENU]
    edit, delete = (option["value"] for option in menu["options"])
    assert edit == f"edit|{entry.entry_id}"

    opened = len(stack.sandbox.slack.calls_to("views.open"))
    await pick_in_menu(stack, listing, edit)
    await eventually(lambda: stack.sandbox.slack.calls_to("views.update"))
    modal = await new_modal(stack, opened)
    assert modal["callback_id"] == Callback.TIME_EDIT
    day = entry.start.astimezone(MADRID).date().isoformat()
    await stack.user("U0MARIA").submit(
        modal,
        {
            "date": {"date": {"type": "datepicker", "selected_date": day}},
            "start": {"start": {"type": "timepicker", "selected_time": "08:15"}},
            "end": {"end": {"type": "timepicker", "selected_time": "09:45"}},
            "billable": {"billable": radio("no")},
            "note": {"note": text_input("Edited")},
        },
    )
    await eventually(lambda: entries_of(stack, passport)[0].notes == "Edited")
    assert entry.end - entry.start == timedelta(minutes=90)  # type: ignore[operator]
    assert entry.start.astimezone(MADRID).strftime("%H:%M") == "08:15"

    before = len(stack.sandbox.slack.responses)
    await pick_in_menu(stack, listing, delete)
    prompt = await last_response(stack, "U0MARIA", before)
    assert entries_of(stack, passport) != []  # asked first
    confirm = buttons(prompt)[Action.TIME_DELETE]
    deleted = await press(stack, Action.TIME_DELETE, confirm["value"], message=prompt)
    assert "deleted" in text_of(deleted)
    assert entries_of(stack, passport) == []


async def test_timesheets_project_global_and_forbidden(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    pricing = task_ref(stack, "Update pricing page copy")
    await run(stack, f"log 2h {pricing.task_id}")
    sheet = text_of(await run(stack, "timesheet #Website week"))
    assert "Timesheet: Website" in sheet and "billable" in sheet and "You" in sheet
    everyone = text_of(await run(stack, "timesheet month"))
    assert "Website" in everyone and "Total" in everyone
    stack.sandbox.astravue_faults.update(
        {"error_rate": 1.0, "error_status": 403, "path_prefix": "/v1/time-track/timesheet"}
    )
    assert "doesn't allow" in text_of(await run(stack, "timesheet week"))


async def _remind(stack: Stack, task: TaskRef) -> dict[str, Any]:
    await press(stack, Action.TIMER_START, task.encode())
    timer = running(stack)
    assert timer is not None
    # Forgotten since this morning (on a whole minute: the API speaks milliseconds).
    timer.start = (timer.start - timedelta(hours=9)).replace(second=0, microsecond=0)
    sent_before = len(stack.sandbox.slack.dm_messages("U0MARIA"))
    # Two processes' jobs at once (as with several `serve` processes): one reminder.
    passes = await asyncio.gather(
        stack.runtime.services.rescue.run(),
        stack.runtime.services.rescue.run(),
    )
    assert sorted(passes) == [0, 1]
    assert await stack.runtime.services.rescue.run() == 0  # once per timer
    dms = stack.sandbox.slack.dm_messages("U0MARIA")
    assert len(dms) == sent_before + 1
    return dms[-1].as_slack()


async def test_forgotten_timer_dm_once_and_its_three_buttons(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    budget = task_ref(stack, "Review Q3 budget")
    assert await stack.runtime.services.rescue.run() == 0  # nothing running
    dm = await _remind(stack, budget)
    assert "more than 8 hours" in text_of(dm)
    found = buttons(dm)
    assert {Action.TIMER_QUICK_STOP, Action.TIMER_STOP_AT, Action.TIMER_KEEP} <= set(found)

    kept = await press(stack, Action.TIMER_KEEP, found[Action.TIMER_KEEP]["value"], message=dm)
    assert "keeps running" in text_of(kept) and running(stack) is not None

    timer = running(stack)
    assert timer is not None
    opened = len(stack.sandbox.slack.calls_to("views.open"))
    await stack.user("U0MARIA").click(
        Action.TIMER_STOP_AT, found[Action.TIMER_STOP_AT]["value"], message=dm
    )
    modal = await new_modal(stack, opened)
    assert modal["callback_id"] == Callback.TIMER_STOP_AT
    end = (timer.start + timedelta(hours=2)).astimezone(MADRID)
    await stack.user("U0MARIA").submit(
        modal,
        {"stop_at": {"stop_at": {"type": "timepicker", "selected_time": end.strftime("%H:%M")}}},
    )
    await eventually(lambda: entries_of(stack, budget)[-1].entry_type == "RANGE")
    assert running(stack) is None
    logged = entries_of(stack, budget)[-1]
    assert logged.entry_type == "RANGE" and logged.start == timer.start
    assert logged.end - logged.start == timedelta(hours=2)  # type: ignore[operator]
    assert [e for e in entries_of(stack, budget) if e.entry_type == "TIMER"] == []

    dm = await _remind(stack, budget)  # a new timer is a new reminder
    stop_now = buttons(dm)[Action.TIMER_QUICK_STOP]
    assert stop_now["text"]["text"] == "Stop now"
    await stack.user("U0MARIA").click(Action.TIMER_QUICK_STOP, stop_now["value"], message=dm)
    await drain_lazy_work(stack)
    assert running(stack) is None
    reminder = stack.sandbox.slack.find_message(dm["ts"])
    assert reminder is not None  # the reminder itself now says it stopped
    assert "Stopped *Review Q3 budget*" in text_of(reminder.as_slack())
    assert entries_of(stack, budget)[-1].billable is True


async def test_workday_end_triggers_the_reminder(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    async with session_scope(stack.runtime.sessions) as session:
        row = await settings_for(session, "T0ACME", "U0MARIA")
        row.timer_limit_minutes = 24 * 60
        row.workday_end = (datetime.now(MADRID) - timedelta(minutes=5)).strftime("%H:%M")
    await press(stack, Action.TIMER_START, task_ref(stack, "Renew passport").encode())
    timer = running(stack)
    assert timer is not None
    timer.start = datetime.now(UTC) - timedelta(hours=1)
    assert await stack.runtime.services.rescue.run() == 1
    assert "working day ended" in text_of(stack.sandbox.slack.dm_messages("U0MARIA")[-1].as_slack())


async def test_completing_a_task_with_a_running_timer_stops_it_first(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    pricing = task_ref(stack, "Update pricing page copy")
    await press(stack, Action.TIMER_START, pricing.encode())
    timer = running(stack)
    assert timer is not None
    timer.start = (timer.start - timedelta(minutes=25)).replace(second=0, microsecond=0)
    done = await press(stack, Action.TASK_COMPLETE, pricing.encode())
    assert running(stack) is None
    assert "stopped it first and logged 25m" in text_of(done)
    stopped = entries_of(stack, pricing)[-1]
    assert stopped.entry_id == timer.entry_id and stopped.end is not None
    assert timedelta(minutes=25) <= stopped.end - stopped.start < timedelta(minutes=26)
    assert "Completed" in text_of(done) and "timer.start" not in buttons(done)


async def test_home_new_task_button_opens_the_create_form(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    await stack.user("U0MARIA").event(
        {"type": "app_home_opened", "user": "U0MARIA", "tab": "home", "channel": "D0MARIA"}
    )
    home = await eventually(lambda: stack.sandbox.slack.home_view("U0MARIA"))
    # Start timer now sits in each task's menu (task.row)
    assert {"home.new_task", "home.log_time", "task.row"} <= set(buttons(home))
    opened = len(stack.sandbox.slack.calls_to("views.open"))
    await stack.user("U0MARIA").click("home.new_task", "new", view={"id": "home", **home})
    await new_modal(stack, opened)  # a loading view first, then the form replaces it
    await eventually(
        lambda: stack.sandbox.slack.open_views("U0MARIA")[-1]["callback_id"] == "task.create"
    )
