"""Time: `log` (a line or the form), and editing or deleting one entry (the lists are in
`bot.listeners.time_views`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.domain.links import LinkInfo
from bot.domain.tasks import TaskRef
from bot.listeners.modals import open_loaded
from bot.listeners.payloads import as_int, edited, view_value
from bot.listeners.registration import Feature, View
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.listeners.timers import (
    NO_TRIGGER,
    refresh_home,
    selected,
    show_modal,
    validate_pick,
    zone_of,
)
from bot.parsing import ParseError, parse_clock_time
from bot.parsing.log_args import Amount, read_amount, read_log_args
from bot.services.form_changes import EntryEdit, entry_changes
from bot.ui import timer_cards as cards
from bot.ui import timers as ui
from bot.ui.ids import Action, Callback

# -- logging time ---------------------------------------------------------------------------


async def log_command(inv: Invocation, resolution: Resolution) -> None:
    timers = inv.services.timers
    link = await inv.link()
    if not resolution.args:
        await open_log_modal(inv, link)
        return
    zone = await zone_of(inv)
    try:
        parsed = read_log_args(
            resolution.args,
            datetime.now(zone).date(),
            day_first=await inv.services.zones.day_first(inv.user_id),
        )
    except ParseError as exc:  # blames the part at fault: duration, task (MissingTask), date
        await inv.reply(ui.bad_amount(exc.message, getattr(exc, "part", "duration")))
        return
    ref, task = await inv.services.tasks.find(link, parsed.task, write=True)
    billable = await timers.stop_billable(link)
    entry = await _log(inv, link, ref, parsed.amount, parsed.day, billable, parsed.note)
    await inv.reply(ui.logged(entry, task.task_title, zone), share=resolution.share)
    await refresh_home(inv)


async def _log(
    inv: Invocation,
    link: LinkInfo,
    ref: TaskRef,
    amount: Amount,
    day: date | None,
    billable: bool,
    note: str | None,
) -> Any:
    timers = inv.services.timers
    if isinstance(amount, tuple):
        return await timers.log_range(link, ref, *amount, day=day, billable=billable, notes=note)
    return await timers.log_duration(link, ref, amount, day=day, billable=billable, notes=note)


async def open_log_modal(inv: Invocation, link: LinkInfo) -> None:
    today = datetime.now(await zone_of(inv)).date()
    await show_modal(inv, ui.log_modal(today, await inv.services.timers.stop_billable(link)))


async def home_log_time(inv: Invocation) -> None:
    await open_log_modal(inv, await inv.link())


def validate_log(view: dict[str, Any]) -> dict[str, str]:
    errors = validate_pick(view)
    try:
        read_amount(str(view_value(view, ui.AMOUNT_BLOCK, ui.AMOUNT_INPUT) or ""))
    except ParseError as exc:
        errors[ui.AMOUNT_BLOCK] = exc.message.replace("`", "")[:150]
    return errors


async def log_submitted(inv: Invocation) -> None:
    payload = inv.payload
    choice = selected(payload.view, ui.TASK_BLOCK, Action.SELECT_TASK)
    assert choice is not None  # validated
    link = await inv.link()
    amount = read_amount(str(payload.value(ui.AMOUNT_BLOCK, ui.AMOUNT_INPUT)))
    day_text = payload.value(ui.DATE_BLOCK, ui.DATE_INPUT)
    entry = await _log(
        inv,
        link,
        choice[0],
        amount,
        date.fromisoformat(day_text) if day_text else None,
        payload.value(ui.BILLABLE_BLOCK, ui.BILLABLE_INPUT) != ui.NO,
        payload.value(cards.NOTE_BLOCK, cards.NOTE_INPUT),
    )
    await inv.reply(ui.logged(entry, choice[1], await zone_of(inv)))
    await refresh_home(inv)


# -- entries --------------------------------------------------------------------------------


async def open_edit(inv: Invocation, entry_id: int) -> None:
    link, zone = await inv.link(), await zone_of(inv)

    async def build() -> dict[str, Any]:
        entry = await inv.services.timers.entry(link, entry_id, datetime.now(zone).date())
        return ui.edit_modal(entry, zone)

    await open_loaded(inv, ui.loading("Edit time entry"), build, no_trigger=NO_TRIGGER)


def validate_edit(view: dict[str, Any]) -> dict[str, str]:
    start = view_value(view, ui.START_BLOCK, ui.START_INPUT)
    end = view_value(view, ui.END_BLOCK, ui.END_INPUT)
    if start and end and end <= start:
        return {ui.END_BLOCK: "The end must be after the start."}
    return {}


async def edit_submitted(inv: Invocation) -> None:
    view = inv.payload.view
    zone = await zone_of(inv)
    day = date.fromisoformat(str(view_value(view, ui.DATE_BLOCK, ui.DATE_INPUT)))

    def moment(block: str, action: str) -> datetime:
        return datetime.combine(
            day, parse_clock_time(str(view_value(view, block, action))), tzinfo=zone
        )

    # Only what the user changed: the pickers show minutes, the entry may hold seconds.
    moved_day = edited(view, ui.DATE_BLOCK, ui.DATE_INPUT)
    billable = view_value(view, ui.BILLABLE_BLOCK, ui.BILLABLE_INPUT) != ui.NO
    changes = entry_changes(
        EntryEdit(
            start=moment(ui.START_BLOCK, ui.START_INPUT)
            if moved_day or edited(view, ui.START_BLOCK, ui.START_INPUT)
            else None,
            end=moment(ui.END_BLOCK, ui.END_INPUT)
            if moved_day or edited(view, ui.END_BLOCK, ui.END_INPUT)
            else None,
            billable=billable if edited(view, ui.BILLABLE_BLOCK, ui.BILLABLE_INPUT) else None,
            notes=str(view_value(view, cards.NOTE_BLOCK, cards.NOTE_INPUT) or "")
            if edited(view, cards.NOTE_BLOCK, cards.NOTE_INPUT)
            else None,
        )
    )
    entry = await inv.services.timers.update_entry(
        await inv.link(), as_int(inv.payload.private_metadata) or 0, changes
    )
    await inv.reply(ui.logged(entry, f"task {entry.task_id}", zone))
    await refresh_home(inv)


async def delete_clicked(inv: Invocation) -> None:
    await inv.services.timers.delete_entry(await inv.link(), as_int(inv.payload.action_value) or 0)
    await inv.reply({"text": ":wastebasket: Time entry deleted.", "blocks": []}, replace=True)
    await refresh_home(inv)


FEATURE = Feature(
    commands={"log": log_command},
    actions={
        Action.TIME_DELETE: delete_clicked,
        Action.HOME_LOG_TIME: home_log_time,
    },
    views=(
        View(Callback.TIME_LOG, log_submitted, validate_log),
        View(Callback.TIME_EDIT, edit_submitted, validate_edit),
    ),
)
