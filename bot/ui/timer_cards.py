"""The timer cards: the running timer (status, start, switch, undo) and the stopped one, with
the note form a stop offers. Pure functions, data in, Block Kit out."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, tzinfo
from typing import Any

from bot.astravue.models import TimerData, TimeTrackerDto
from bot.domain.tasks import TaskRef, task_ref
from bot.parsing.durations import format_duration
from bot.ui.components import (
    Block,
    actions,
    button,
    date_token,
    message,
    modal,
    plain,
    section,
    truncate,
    truncate_escaped,
)
from bot.ui.ids import Action, Callback

PICK = "pick"  # a Switch button with no task yet: open the picker
NOTE_BLOCK, NOTE_INPUT = "note", "note"
NOTE_MAX = 500


def title_of(timer: TimerData) -> str:
    return timer.task_title or f"task {timer.task_id}"


def since(timer: TimerData, zone: tzinfo, now: datetime) -> str:
    """ "since 09:14" (with the day when it began before today), shown by Slack in each
    reader's own zone; the fallback is the owner's zone. A start is a moment, so `<!date>`."""
    if timer.start_time is None:
        return "running"
    start = timer.start_time.astimezone(zone)
    epoch = int(timer.start_time.timestamp())
    if start.date() == now.astimezone(zone).date():
        return f"since {date_token(epoch, '{time}', start.strftime('%H:%M'))}"
    fallback = start.strftime("%a %d %b %H:%M")
    return f"since {date_token(epoch, '{date_short_pretty} {time}', fallback)}"


def running_lines(timer: TimerData, zone: tzinfo, now: datetime) -> str:
    return (
        f":stopwatch: *{truncate_escaped(title_of(timer), 200)}*\nRunning {since(timer, zone, now)}"
    )


def timer_buttons(timer: TimerData) -> Block:
    """Stop stops at once (Undo takes it back); "Stop & edit…" asks billable and note first."""
    ref = task_ref(timer).encode()
    return actions(
        button("Stop", Action.TIMER_QUICK_STOP, ref, style="primary"),
        button("Stop & edit…", Action.TIMER_STOP, ref),
        button("Switch task", Action.TIMER_SWITCH, PICK),
    )


def status(timer: TimerData | None, zone: tzinfo, now: datetime) -> dict[str, Any]:
    if timer is None:
        text = "No timer is running."
        return message(
            text,
            [
                section(
                    f":zzz: {text} Start one with "
                    "`/astravue timer start <task>`, or a Start button on "
                    "any task."
                )
            ],
        )
    text = f"Timer running on {title_of(timer)}"
    return message(text, [section(running_lines(timer, zone, now)), timer_buttons(timer)])


def started(
    timer: TimerData,
    zone: tzinfo,
    now: datetime,
    *,
    stopped: tuple[str, TimeTrackerDto] | None = None,
    lead: str | None = None,
) -> dict[str, Any]:
    """The running card; `stopped` is what a switch stopped (title, entry), `lead` a line
    above it (mrkdwn)."""
    blocks: list[Block] = []
    if lead is not None:
        blocks.append(section(lead))
    if stopped is not None:
        blocks.append(section(stopped_line(*stopped)))
    blocks += [section(running_lines(timer, zone, now)), timer_buttons(timer)]
    return message(f"Timer started on {title_of(timer)}", blocks)


def undone(timer: TimerData, zone: tzinfo, now: datetime) -> dict[str, Any]:
    lead = ":leftwards_arrow_with_hook: Undone: the entry is gone and the timer runs again."
    return started(timer, zone, now, lead=lead)


def busy(
    running: TimerData, wanted: TaskRef, wanted_title: str, zone: tzinfo, now: datetime
) -> dict[str, Any]:
    """Astravue runs one timer per user: offer Switch rather than an error."""
    text = f"A timer is already running on {title_of(running)}."
    return message(
        text,
        [
            section(
                f":warning: A timer is already running (one at a time).\n"
                f"{running_lines(running, zone, now)}"
            ),
            actions(
                button(
                    f"Switch to {truncate(wanted_title, 60)}",
                    Action.TIMER_SWITCH,
                    wanted.encode(),
                    style="primary",
                ),
                button("Keep the current one", Action.DISMISS, "keep"),
            ),
        ],
    )


def stopped_line(title: str, entry: TimeTrackerDto) -> str:
    logged = format_duration(entry.duration or timedelta(0))
    kind = "billable" if entry.billable else "non-billable"
    note = f" · _{truncate_escaped(entry.notes, 200)}_" if entry.notes else ""
    return (
        f":white_check_mark: Stopped *{truncate_escaped(title, 200)}* · *{logged}* ({kind}){note}"
    )


def stop_value(title: str, ref: TaskRef, entry_id: int) -> str:
    """What Add note and Undo carry: the entry, the task and its title (ids, no secrets)."""
    value = {"e": entry_id, "r": ref.encode(), "t": truncate(title, 150)}
    return json.dumps(value, separators=(",", ":"))


def stopped(title: str, ref: TaskRef, entry: TimeTrackerDto) -> dict[str, Any]:
    value = stop_value(title, ref, entry.time_tracker_id)
    return message(
        f"Stopped {title} · {format_duration(entry.duration or timedelta(0))}",
        [
            section(stopped_line(title, entry)),
            actions(
                button("Add note", Action.TIMER_NOTE, value),
                button("Undo", Action.TIMER_UNDO, value),
            ),
        ],
    )


def note_input(initial: str | None = None, *, optional: bool = True) -> Block:
    """The Note field of the stop, edit and note forms (500 characters, several lines)."""
    prefilled = {"initial_value": initial[:NOTE_MAX]} if initial else {}
    element = {"type": "plain_text_input", "action_id": NOTE_INPUT, "multiline": True}
    return {
        "type": "input",
        "block_id": NOTE_BLOCK,
        "optional": optional,
        "label": plain("Note"),
        "element": {**element, "max_length": NOTE_MAX, **prefilled},
    }


def note_modal(value: str, title: str) -> dict[str, Any]:
    """The note of an entry just logged; `value` (from `stop_value`) rides in the metadata."""
    blocks = [
        section(f"Time logged on *{truncate_escaped(title, 200)}*"),
        note_input(optional=False),
    ]
    return modal(
        "Note", blocks, callback_id=Callback.TIMER_NOTE, submit="Save", private_metadata=value
    )
