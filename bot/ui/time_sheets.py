"""Time entries and timesheets: the user's entries by day, each with Edit and Delete, and the
per-project and organisation-wide sheets by member or project; a period's sheet shows its
days ("30 Nov - 6 Dec", with an en dash) and moves with Previous and Next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from itertools import groupby
from typing import Any

from bot.astravue.models import TimeTrackerDto
from bot.domain.calendar import show_day, show_span
from bot.domain.time_views import EntryNames, Period
from bot.parsing.durations import format_duration
from bot.ui.components import (
    MAX_MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    context,
    header,
    message,
    overflow,
    section,
    truncate,
    truncate_escaped,
)
from bot.ui.ids import Action
from bot.ui.words import clock, plural

SHEET_LINES = 30
Day = tuple[date, list[TimeTrackerDto]]


def _total(entries: list[TimeTrackerDto]) -> timedelta:
    return sum((e.duration or timedelta(0) for e in entries), timedelta(0))


def _totals_line(entries: list[TimeTrackerDto]) -> str:
    total, billable = _total(entries), _total([e for e in entries if e.billable])
    return (
        f"Total *{format_duration(total)}* · billable *{format_duration(billable)}* · "
        f"non-billable *{format_duration(total - billable)}*"
    )


def _period_label(period: Period, today: date) -> str:
    """ "Thu 3 Dec" for a day, "30 Nov - 6 Dec" for a week or a month."""
    if period.kind == "day":
        return show_day(period.first, today)
    return show_span(period.first, period.last, today)


def _by_day(entries: list[TimeTrackerDto], zone: tzinfo) -> list[Day]:
    """Entries (oldest first) in runs of one local day."""

    def day(entry: TimeTrackerDto) -> date:
        return (entry.start_time or datetime.min).astimezone(zone).date()

    return [(d, list(run)) for d, run in groupby(entries, key=day)]


def _task_link(entry: TimeTrackerDto, names: EntryNames) -> str:
    """The entry's task as a link to it, or "task 12" when its title is not known."""
    found = names.tasks.get(entry.task_id or 0)
    if found is None:
        return f"task {entry.task_id}"
    title = truncate_escaped(found.title, 80).replace("|", "¦")
    return f"<{found.url}|{title}>"


def _entry_line(entry: TimeTrackerDto, names: EntryNames, zone: tzinfo) -> str:
    note = f" · _{truncate_escaped(entry.notes, 150)}_" if entry.notes else ""
    kind = ":moneybag: billable" if entry.billable else "non-billable"
    span = f"{clock(entry.start_time, zone)}\u2013{clock(entry.end_time, zone)}"
    return (
        f"*{format_duration(entry.duration or timedelta(0))}* · {_task_link(entry, names)} · "
        f"{span} · {kind}{note}"
    )


def _entry_row(entry: TimeTrackerDto, names: EntryNames, zone: tzinfo) -> Block:
    entry_id = entry.time_tracker_id
    menu = overflow(
        Action.TIME_ENTRY_MENU, [("Edit…", f"edit|{entry_id}"), ("Delete…", f"delete|{entry_id}")]
    )
    return section(_entry_line(entry, names, zone), accessory=menu)


def _day_heading(day: date, entries: list[TimeTrackerDto], today: date) -> Block:
    return section(f"*{show_day(day, today)}* · {format_duration(_total(entries))}")


def _earlier(days: list[Day], today: date) -> Block:
    """Older days in one line each: "…and 9 earlier entries: Mon 30 Nov 2h (3) · …"."""
    count = sum(len(entries) for _, entries in days)
    lines = " · ".join(
        f"{show_day(day, today)} {format_duration(_total(entries))} ({len(entries)})"
        for day, entries in days
    )
    return context(f"…and {plural(count, 'earlier entry', 'earlier entries')}: {lines}")


def _days_blocks(
    days: list[Day], room: int, today: date, row: Callable[[TimeTrackerDto], Block]
) -> list[Block]:
    """The newest days in full while they fit in `room` blocks, the older ones summed up in
    one line; a newest day too long for the room shows its latest entries."""
    shown: list[Block] = []
    kept = len(days)
    for day, entries in reversed(days):
        if 1 + len(entries) > room - 1 - len(shown):  # one block stays for the earlier days
            break
        shown[:0] = [_day_heading(day, entries, today), *map(row, entries)]
        kept -= 1
    if days and kept == len(days):  # not even the newest day fits whole
        *older, (day, entries) = days
        fit = room - 2 - (1 if older else 0)
        hidden = plural(len(entries) - fit, "more entry", "more entries")
        shown = [
            _day_heading(day, entries, today),
            context(f"…and {hidden} earlier that day."),
            *map(row, entries[-fit:]),
        ]
        kept -= 1
    return ([_earlier(days[:kept], today)] if kept else []) + shown


def _nav(period: Period, today: date, previous: Action, next_: Action, tail: str = "") -> Block:
    buttons = [button("← Previous", previous, period.shifted(-1).encode() + tail)]
    if period.shifted(1).first <= today:  # no empty future periods
        buttons.append(button("Next →", next_, period.shifted(1).encode() + tail))
    return actions(*buttons)


def entries_list(
    entries: list[TimeTrackerDto],
    names: EntryNames,
    zone: tzinfo,
    today: date,
    period: Period | None = None,
    task_title: str = "",
) -> dict[str, Any]:
    """The user's entries (oldest first) by day: in `period`, with Previous and Next, or on
    the task named `task_title`."""
    label = f"· {_period_label(period, today)}" if period else f"on “{task_title}”"
    title = truncate(f"Your time {label}", 150)
    blocks: list[Block] = [header(title), section(_totals_line(entries))]
    if period is not None:
        blocks.append(_nav(period, today, Action.TIME_PREVIOUS, Action.TIME_NEXT))
    if not entries:
        blocks.append(context("No entries yet. Log some with `/astravue log 1h30 <task>`."))
    room = MAX_MESSAGE_BLOCKS - len(blocks)
    blocks += _days_blocks(
        _by_day(entries, zone), room, today, lambda e: _entry_row(e, names, zone)
    )
    return message(f"{title}: {format_duration(_total(entries))}", blocks)


def delete_prompt(entry_id: int) -> dict[str, Any]:
    """The second step of an entry's "Delete…": one button that deletes it."""
    text = "Delete this time entry? This can't be undone."
    return message(
        text,
        [
            section(text),
            actions(button("Delete", Action.TIME_DELETE, str(entry_id), style="danger")),
        ],
    )


def _grouped(
    entries: list[TimeTrackerDto],
    key: Callable[[TimeTrackerDto], int | None],
    name: Callable[[int | None], str],
) -> list[str]:
    groups: dict[int | None, timedelta] = {}
    for entry in entries:
        groups[key(entry)] = groups.get(key(entry), timedelta(0)) + (entry.duration or timedelta(0))
    return [
        f"• {truncate_escaped(name(group), 60)}: *{format_duration(span)}*"
        for group, span in sorted(groups.items(), key=lambda item: -item[1])
    ]


def _sheet_lines(lines: list[str]) -> str:
    """At most SHEET_LINES groups (short enough for one section), then "and N more"."""
    if not lines:
        return "No time logged in this period."
    more = len(lines) - SHEET_LINES
    return "\n".join(lines[:SHEET_LINES]) + (f"\n…and {more} more" if more > 0 else "")


def _day_totals(entries: list[TimeTrackerDto], zone: tzinfo, today: date) -> str:
    return "\n".join(
        f"{show_day(day, today)} · *{format_duration(_total(run))}*"
        for day, run in _by_day(entries, zone)
    )


def _sheet(
    title: str, entries: list[TimeTrackerDto], groups: list[str], zone: tzinfo, nav: Block
) -> dict[str, Any]:
    today = datetime.now(zone).date()
    blocks = [header(truncate(title, 150)), section(_totals_line(entries)), nav]
    if entries:
        blocks.append(section(_day_totals(entries, zone, today)))
    blocks.append(section(_sheet_lines(groups)))
    return message(title, blocks)


def project_sheet(
    project_id: int,
    project_name: str,
    period: Period,
    entries: list[TimeTrackerDto],
    names: EntryNames,
    zone: tzinfo,
) -> dict[str, Any]:
    """A project's time in `period`: totals, each day, each member by name."""
    today = datetime.now(zone).date()
    lines = _grouped(
        entries,
        lambda e: e.user_id,
        lambda user: names.members.get(user or 0) or f"Member {user}",
    )
    title = f"Timesheet: {project_name} · {_period_label(period, today)}"
    nav = _nav(period, today, Action.SHEET_PREVIOUS, Action.SHEET_NEXT, f"|{project_id}")
    return _sheet(title, entries, lines, zone, nav)


def global_sheet(
    period: Period,
    entries: list[TimeTrackerDto],
    project_names: dict[int | None, str],
    zone: tzinfo,
) -> dict[str, Any]:
    """Everyone's time in `period` the user may see: totals, each day, each project."""
    today = datetime.now(zone).date()
    names = {None: "Personal tasks", **project_names}
    lines = _grouped(
        entries, lambda e: e.project_id, lambda project: names.get(project, f"Project {project}")
    )
    title = f"Timesheet: everyone · {_period_label(period, today)}"
    nav = _nav(period, today, Action.SHEET_PREVIOUS, Action.SHEET_NEXT, "|")
    return _sheet(title, entries, lines, zone, nav)


def forbidden_global() -> dict[str, Any]:
    text = (
        "Your Astravue role doesn't allow the organisation-wide timesheet. Name a project "
        "instead: `/astravue timesheet #project week`."
    )
    return message(text, [section(f":lock: {text}")])
