"""`time` (your entries by day, to edit or delete) and `timesheet` (a project's or everyone's
time), each for a period that Previous and Next redraw in place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.astravue.errors import Forbidden
from bot.domain.links import LinkInfo
from bot.domain.time_views import PERIOD_WORDS, Period, PeriodKind
from bot.listeners.payloads import as_int
from bot.listeners.registration import Feature
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.listeners.time_entries import open_edit
from bot.listeners.timers import zone_of
from bot.ui import time_sheets
from bot.ui.components import escape
from bot.ui.errors import UserFacingError
from bot.ui.ids import Action

STALE_BUTTON = "That button is out of date: run the command again."


def _period(word: str, default: PeriodKind, now: datetime) -> Period:
    """The period containing `now` that `word` names (`default` when nothing was typed)."""
    kind = PERIOD_WORDS.get(word.lower()) if word else default
    if kind is None:
        raise UserFacingError(
            f"`{escape(word[:20])}` isn't a period I know: use `today`, `week` or `month`."
        )
    return Period.containing(kind, now.date())


async def time_command(inv: Invocation, resolution: Resolution) -> None:
    """`/astravue time [today|week|month]`, or `/astravue time <task>`: your entries."""
    link, zone = await inv.link(), await zone_of(inv)
    word = resolution.args.strip()
    if word and word.lower() not in PERIOD_WORDS:
        _, task = await inv.services.tasks.find(link, word)
        entries, names = await inv.services.time_views.on_task(link, task)
        today = datetime.now(zone).date()
        shown = time_sheets.entries_list(entries, names, zone, today, task_title=task.task_title)
        await inv.reply(shown, share=resolution.share)
        return
    period = _period(word, "day", datetime.now(zone))
    await inv.reply(await _entries(inv, link, period), share=resolution.share)


async def _entries(inv: Invocation, link: LinkInfo, period: Period) -> dict[str, Any]:
    zone = await zone_of(inv)
    entries, names = await inv.services.time_views.mine(link, period)
    return time_sheets.entries_list(entries, names, zone, datetime.now(zone).date(), period)


async def entries_moved(inv: Invocation) -> None:
    """Previous / Next on the entries: the same message, for the period in the button."""
    period = Period.decode(inv.payload.action_value)
    if period is None:
        raise UserFacingError(STALE_BUTTON)
    await inv.reply(await _entries(inv, await inv.link(), period), replace=True)


async def entry_menu(inv: Invocation) -> None:
    """An entry's overflow: Edit… opens the modal, Delete… asks before deleting."""
    verb, _, value = inv.payload.selected_value.partition("|")
    entry_id = as_int(value)
    if entry_id is None or verb not in ("edit", "delete"):
        raise UserFacingError(STALE_BUTTON)
    if verb == "edit":
        await open_edit(inv, entry_id)
    else:
        await inv.reply(time_sheets.delete_prompt(entry_id))


async def timesheet_command(inv: Invocation, resolution: Resolution) -> None:
    """`/astravue timesheet [project] [today|week|month]`: a project's time, else everyone's."""
    link, zone = await inv.link(), await zone_of(inv)
    words = resolution.args.split()
    span = words.pop() if words and words[-1].lower() in PERIOD_WORDS else ""
    period = _period(span, "week", datetime.now(zone))
    project = " ".join(words)
    await inv.reply(await _sheet(inv, link, period, project), share=resolution.share)


async def _sheet(
    inv: Invocation, link: LinkInfo, period: Period, project_words: str
) -> dict[str, Any]:
    views, zone = inv.services.time_views, await zone_of(inv)
    if project_words:
        project = await inv.services.timers.find_project(link, project_words)
        sheet = await views.project_sheet(link, project, period)
        return time_sheets.project_sheet(
            project.project_id, project.project_name, period, sheet.entries, sheet.names, zone
        )
    try:
        sheet = await views.global_sheet(link, period)
    except Forbidden:
        return time_sheets.forbidden_global()
    names = await inv.services.timers.project_names(link)
    return time_sheets.global_sheet(period, sheet.entries, names, zone)


async def sheet_moved(inv: Invocation) -> None:
    """Previous / Next on a timesheet: `<period>|<project id or nothing>`."""
    encoded, _, project_id = inv.payload.action_value.partition("|")
    period = Period.decode(encoded)
    if period is None or not (project_id == "" or project_id.isdigit()):
        raise UserFacingError(STALE_BUTTON)
    await inv.reply(await _sheet(inv, await inv.link(), period, project_id), replace=True)


FEATURE = Feature(
    commands={"time": time_command, "timesheet": timesheet_command},
    actions={
        Action.TIME_PREVIOUS: entries_moved,
        Action.TIME_NEXT: entries_moved,
        Action.TIME_ENTRY_MENU: entry_menu,
        Action.SHEET_PREVIOUS: sheet_moved,
        Action.SHEET_NEXT: sheet_moved,
    },
)
