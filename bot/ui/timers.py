"""Time-entry messages and the timer modals, and the forgotten-timer DM: pure functions, data
in, Block Kit out. The running and stopped timer cards are `timer_cards`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from bot.astravue.models import TimerData, TimeTrackerDto
from bot.domain.tasks import TaskRef, task_ref
from bot.parsing.durations import DURATION_FORMS, TIME_RANGE_FORMS, format_duration
from bot.ui.components import (
    Block,
    actions,
    button,
    context,
    escape,
    message,
    modal,
    option,
    plain,
    section,
    truncate,
    truncate_escaped,
)
from bot.ui.ids import Action, Callback
from bot.ui.timer_cards import note_input, running_lines, title_of
from bot.ui.words import clock, local_day

BILLABLE_BLOCK, BILLABLE_INPUT = "billable", "billable"
TASK_BLOCK = "task"
AMOUNT_BLOCK, AMOUNT_INPUT = "amount", "amount"
DATE_BLOCK, DATE_INPUT = "date", "date"
START_BLOCK, START_INPUT = "start", "start"
END_BLOCK, END_INPUT = "end", "end"
STOP_AT_BLOCK, STOP_AT_INPUT = "stop_at", "stop_at"
YES, NO = "yes", "no"


def logged(entry: TimeTrackerDto, task_title: str, zone: tzinfo) -> dict[str, Any]:
    span = format_duration(entry.duration or timedelta(0))
    kind = "billable" if entry.billable else "non-billable"
    return message(
        f"Logged {span} on {task_title}",
        [
            section(
                f":white_check_mark: Logged *{span}* on *{truncate_escaped(task_title, 200)}* · "
                f"{when(entry, zone)} ({kind})"
            )
        ],
    )


def bad_amount(reason: str, part: str = "duration") -> dict[str, Any]:
    """Nothing was logged: `reason` blames the `part` that failed (duration, task or date)."""
    forms = f"a duration such as {DURATION_FORMS}, or a range such as {TIME_RANGE_FORMS}"
    usage = f"Usage: `/astravue log <duration> <task> [on <date>] [note]`, with {forms}."
    text = f"{reason} Nothing was logged." + (f"\n{usage}" if part == "duration" else "")
    return message(f"Nothing was logged: check the {part}", [section(f":warning: {text}")])


# -- modals --


def _billable_input(default: bool) -> Block:
    yes, no = option("Billable", YES), option("Non-billable", NO)
    return {
        "type": "input",
        "block_id": BILLABLE_BLOCK,
        "label": plain("Billable?"),
        "element": {
            "type": "radio_buttons",
            "action_id": BILLABLE_INPUT,
            "options": [yes, no],
            "initial_option": yes if default else no,
        },
    }


def _picker(
    kind: str,
    block_id: str,
    action_id: str,
    label: str,
    initial: str | None,
    *,
    optional: bool = False,
) -> Block:
    element: dict[str, Any] = {"type": kind, "action_id": action_id}
    if initial:
        element["initial_date" if kind == "datepicker" else "initial_time"] = initial
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }


def _task_select(initial: tuple[TaskRef, str] | None = None) -> Block:
    element: dict[str, Any] = {
        "type": "external_select",
        "action_id": Action.SELECT_TASK,
        "min_query_length": 0,
        "placeholder": plain("Search your tasks"),
    }
    if initial:
        element["initial_option"] = task_option(*initial)
    return {"type": "input", "block_id": TASK_BLOCK, "label": plain("Task"), "element": element}


def task_option(ref: TaskRef, title: str) -> dict[str, Any]:
    return option(truncate(title or f"task {ref.task_id}", 75), ref.encode())


def stop_modal(timer: TimerData, billable: bool, zone: tzinfo, now: datetime) -> dict[str, Any]:
    blocks = [section(running_lines(timer, zone, now)), _billable_input(billable), note_input()]
    return modal(
        "Stop timer",
        blocks,
        callback_id=Callback.TIMER_STOP,
        submit="Stop",
        private_metadata=str(timer.time_tracker_id),
    )


def stop_at_modal(timer: TimerData, zone: tzinfo, now: datetime, suggested: time) -> dict[str, Any]:
    blocks = [
        section(running_lines(timer, zone, now)),
        _picker(
            "timepicker",
            STOP_AT_BLOCK,
            STOP_AT_INPUT,
            "Stopped working at",
            f"{suggested:%H:%M}",  # a timepicker's value, not words
        ),
        context("The timer stops, and its time is logged from its start to this time."),
    ]
    return modal(
        "Stop at a time",
        blocks,
        callback_id=Callback.TIMER_STOP_AT,
        submit="Stop and log",
        private_metadata=str(timer.time_tracker_id),
    )


def pick_modal(purpose: str) -> dict[str, Any]:
    """The start picker: `purpose` is "start" or "switch" (kept in private_metadata)."""
    blocks = [_task_select(), context("Type to search; your recent and assigned tasks show first.")]
    return modal(
        "Start a timer",
        blocks,
        callback_id=Callback.TIMER_START_PICK,
        submit="Start",
        private_metadata=purpose,
    )


def log_modal(today: date, billable: bool) -> dict[str, Any]:
    blocks = [
        _task_select(),
        {
            "type": "input",
            "block_id": AMOUNT_BLOCK,
            "label": plain("Duration or time range"),
            "element": {
                "type": "plain_text_input",
                "action_id": AMOUNT_INPUT,
                "placeholder": plain("1h30, 90m, 1.5h or 09:00-10:30"),
            },
        },
        _picker("datepicker", DATE_BLOCK, DATE_INPUT, "Date", today.isoformat()),
        _billable_input(billable),
        note_input(),
    ]
    return modal("Log time", blocks, callback_id=Callback.TIME_LOG, submit="Log")


def edit_modal(entry: TimeTrackerDto, zone: tzinfo) -> dict[str, Any]:
    start = entry.start_time.astimezone(zone) if entry.start_time else None
    end = entry.end_time.astimezone(zone) if entry.end_time else None
    blocks = [
        _picker(
            "datepicker",
            DATE_BLOCK,
            DATE_INPUT,
            "Date",
            start.date().isoformat() if start else None,
        ),
        _picker(
            "timepicker",
            START_BLOCK,
            START_INPUT,
            "From",
            start.strftime("%H:%M") if start else None,
        ),
        _picker("timepicker", END_BLOCK, END_INPUT, "To", end.strftime("%H:%M") if end else None),
        _billable_input(bool(entry.billable)),
        note_input(entry.notes),
    ]
    return modal(
        "Edit time entry",
        blocks,
        callback_id=Callback.TIME_EDIT,
        submit="Save",
        private_metadata=str(entry.time_tracker_id),
    )


# -- lists and sheets --


def when(entry: TimeTrackerDto, zone: tzinfo) -> str:
    """ "Tue 03 Mar 09:00 to 10:30" in the reader's zone."""
    day = local_day(entry.start_time, zone) if entry.start_time else ""
    return f"{day} {clock(entry.start_time, zone)} to {clock(entry.end_time, zone)}"


# -- the forgotten-timer rescue --


def rescue_dm(timer: TimerData, zone: tzinfo, now: datetime, why: str) -> dict[str, Any]:
    ref = task_ref(timer).encode()
    tracker = str(timer.time_tracker_id)
    text = f"Your timer on {title_of(timer)} is still running. Forgot to stop it?"
    return message(
        text,
        [
            section(
                f":alarm_clock: *Still working?* Your timer is still running ({escape(why)}).\n"
                f"{running_lines(timer, zone, now)}"
            ),
            actions(
                button("Stop now", Action.TIMER_QUICK_STOP, ref, style="primary"),
                button("Stop at a time…", Action.TIMER_STOP_AT, tracker),
                button("Keep running", Action.TIMER_KEEP, tracker),
            ),
        ],
    )


def kept(timer_title: str) -> dict[str, Any]:
    text = f"OK, the timer on {timer_title} keeps running. I won't ask again for this timer."
    return message(text, [section(f":ok_hand: {escape(text)}")])


def loading(title: str) -> dict[str, Any]:
    return modal(
        title,
        [section(":hourglass_flowing_sand: Loading…")],
        callback_id=Callback.LOADING,
        close="Close",
    )
