"""Time entries and timesheets: the user's entries with Edit and Delete, and the per-project
and organisation-wide sheets grouped by member or project."""

from __future__ import annotations

from datetime import timedelta, tzinfo
from typing import Any

from bot.astravue.models import TimesheetReport, TimesheetSummary, TimeTrackerDto
from bot.parsing.durations import format_duration
from bot.ui.components import (
    MAX_MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    confirm_dialog,
    context,
    header,
    message,
    section,
    truncate,
    truncate_escaped,
)
from bot.ui.ids import Action
from bot.ui.timers import when

ENTRY_LINES = 40  # entries shown in a list before "and N more"
SHEET_LINES = 30


def _total(entries: list[TimeTrackerDto]) -> timedelta:
    return sum((e.duration or timedelta(0) for e in entries), timedelta(0))


def _entry_line(entry: TimeTrackerDto, zone: tzinfo) -> str:
    note = f" · _{truncate_escaped(entry.notes, 150)}_" if entry.notes else ""
    kind = ":moneybag: billable" if entry.billable else "non-billable"
    return (
        f"*{format_duration(entry.duration or timedelta(0))}* · task {entry.task_id} · "
        f"{when(entry, zone)} · {kind}{note}"
    )


def entries_list(entries: list[TimeTrackerDto], zone: tzinfo, label: str) -> dict[str, Any]:
    total, billable = _total(entries), _total([e for e in entries if e.billable])
    text = f"Your time {label}: {format_duration(total)}"
    blocks: list[Block] = [
        header(f"Your time {label}"),
        section(
            f"Total *{format_duration(total)}* · billable "
            f"*{format_duration(billable)}* · non-billable "
            f"*{format_duration(total - billable)}*"
        ),
    ]
    if not entries:
        blocks.append(context("No entries yet. Log some with `/astravue log 1h30 <task>`."))
    room = min(ENTRY_LINES, (MAX_MESSAGE_BLOCKS - len(blocks) - 1) // 2)
    for entry in entries[:room]:
        value = str(entry.time_tracker_id)
        blocks += [
            section(_entry_line(entry, zone)),
            actions(
                button("Edit", Action.TIME_EDIT, value),
                button(
                    "Delete",
                    Action.TIME_DELETE,
                    value,
                    style="danger",
                    confirm=confirm_dialog(
                        "Delete this entry?", _entry_line(entry, zone), "Delete", danger=True
                    ),
                ),
            ),
        ]
    if len(entries) > room:
        blocks.append(context(f"…and {len(entries) - room} more entries."))
    return message(text, blocks)


def _totals_line(
    total: timedelta | None, billable: timedelta | None, non_billable: timedelta | None
) -> str:
    def show(span: timedelta | None) -> str:
        return format_duration(span or timedelta(0))

    return (
        f"Total *{show(total)}* · billable *{show(billable)}* · non-billable *{show(non_billable)}*"
    )


def _grouped(entries: list[TimeTrackerDto], key: str, names: dict[int | None, str]) -> list[str]:
    groups: dict[int | None, timedelta] = {}
    for entry in entries:
        group = getattr(entry, key)
        groups[group] = groups.get(group, timedelta(0)) + (entry.duration or timedelta(0))
    return [
        f"• {truncate_escaped(names.get(group, str(group)), 60)}: *{format_duration(span)}*"
        for group, span in sorted(groups.items(), key=lambda item: -item[1])
    ]


def _sheet_lines(lines: list[str]) -> str:
    """At most SHEET_LINES groups (short enough for one section), then "and N more"."""
    if not lines:
        return "No time logged in this period."
    more = len(lines) - SHEET_LINES
    return "\n".join(lines[:SHEET_LINES]) + (f"\n…and {more} more" if more > 0 else "")


def project_sheet(
    project_name: str,
    summary: TimesheetSummary,
    report: TimesheetReport,
    label: str,
    me: int | None,
) -> dict[str, Any]:
    names: dict[int | None, str] = {me: "You"}
    lines = _grouped(
        report.entries,
        "user_id",
        {**names, **{e.user_id: f"Member {e.user_id}" for e in report.entries if e.user_id != me}},
    )
    title = f"Timesheet: {project_name} ({label})"
    blocks = [
        header(truncate(title, 150)),
        section(
            _totals_line(
                summary.total_duration, summary.billable_duration, summary.non_billable_duration
            )
        ),
        section(_sheet_lines(lines)),
    ]
    return message(title, blocks)


def global_sheet(
    report: TimesheetReport, project_names: dict[int | None, str], label: str
) -> dict[str, Any]:
    lines = _grouped(report.entries, "project_id", {None: "Personal tasks", **project_names})
    title = f"Timesheet: everyone ({label})"
    blocks = [
        header(title),
        section(
            _totals_line(
                report.total_duration, report.billable_duration, report.non_billable_duration
            )
        ),
        section(_sheet_lines(lines)),
    ]
    return message(title, blocks)


def forbidden_global() -> dict[str, Any]:
    text = (
        "Your Astravue role doesn't allow the organisation-wide timesheet. Name a project "
        "instead: `/astravue timesheet #project week`."
    )
    return message(text, [section(f":lock: {text}")])
