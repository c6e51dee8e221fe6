"""Timers: start, stop, switch, status, the App Home timer, the forgotten-timer buttons, and
the task picker's options. Logged time, entries and timesheets are `time_entries`."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext

from bot.container import ServiceContainer
from bot.domain.errors import NoTimerRunning
from bot.domain.links import LinkInfo
from bot.domain.tasks import TaskRef, task_ref
from bot.listeners.modals import open_modal
from bot.listeners.payloads import Payload, as_int, state_element
from bot.listeners.registration import Feature, View
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.listeners.timer_cards import answer_with_card, follow
from bot.parsing import first_local_time_after, parse_clock_time, resolve_zone
from bot.services.timers import Stopped, TimerBusy
from bot.ui import home_sections
from bot.ui import timer_cards as cards
from bot.ui import timers as ui
from bot.ui.components import escape
from bot.ui.errors import UserFacingError
from bot.ui.ids import Action, Callback

log = logging.getLogger(__name__)

MAX_OPTIONS = 100
NO_TRIGGER = "That needs a form; run the command again from Slack."


async def zone_of(inv: Invocation) -> tzinfo:
    return await inv.services.zones.zone(inv.user_id)


TIMER_SECTION = "your timer"  # the running timer and today's total


async def refresh_home(inv: Invocation) -> None:
    """After a timer or time write: redraw the Home's timer section, if the Home is open."""
    await inv.services.home.refresh(
        inv.client, inv.team_id, inv.user_id, (TIMER_SECTION,), from_home=inv.from_home
    )


async def show_modal(inv: Invocation, view: dict[str, Any]) -> dict[str, Any]:
    return await open_modal(inv, view, no_trigger=NO_TRIGGER)


def selected(view: dict[str, Any], block_id: str, action_id: str) -> tuple[TaskRef, str] | None:
    """The task picked in an external select: its ref and the title it showed."""
    option = state_element(view, block_id, action_id).get("selected_option")
    if not option:
        return None
    try:
        return TaskRef.decode(option["value"]), option["text"]["text"]
    except (KeyError, ValueError, TypeError):
        return None


def validate_pick(view: dict[str, Any]) -> dict[str, str]:
    if selected(view, ui.TASK_BLOCK, Action.SELECT_TASK) is None:
        return {ui.TASK_BLOCK: "Pick a task."}
    return {}


# -- starting, stopping, switching ----------------------------------------------------------


async def start(inv: Invocation, ref: TaskRef, title: str | None = None) -> None:
    """Start on `ref` (its `title` when the caller knows it: a busy answer names it)."""
    link, zone = await inv.link(), await zone_of(inv)
    now = datetime.now(UTC)
    try:
        timer = await inv.services.timers.start(link, ref)
    except TimerBusy as busy:
        title = title or (await inv.services.tasks.get(link, ref)).task_title
        await inv.reply(cards.busy(busy.running, ref, title, zone, now))
        return
    await answer_with_card(inv, cards.started(timer, zone, now), shows=timer.time_tracker_id)
    await refresh_home(inv)


async def switch(inv: Invocation, ref: TaskRef) -> None:
    link, zone = await inv.link(), await zone_of(inv)
    result = await inv.services.timers.switch(link, ref)
    stopped = (
        (cards.title_of(result.stopped.timer), result.stopped.entry) if result.stopped else None
    )
    await answer_with_card(
        inv,
        cards.started(result.started, zone, datetime.now(UTC), stopped=stopped),
        shows=result.started.time_tracker_id,
        replaces=result.stopped.timer.time_tracker_id if result.stopped else None,
        replace=True,
    )
    await refresh_home(inv)


async def answer_stopped(inv: Invocation, result: Stopped, *, replace: bool = False) -> None:
    """The stopped card, here and on every card that showed the timer."""
    timer, entry = result.timer, result.entry
    await answer_with_card(
        inv,
        cards.stopped(cards.title_of(timer), task_ref(timer), entry),
        shows=entry.time_tracker_id,
        replaces=timer.time_tracker_id,
        replace=replace,
    )
    await refresh_home(inv)


async def open_stop(inv: Invocation) -> None:
    timers = inv.services.timers
    link = await inv.link()
    timer = await timers.running(link)
    if timer is None:
        raise NoTimerRunning()
    value = inv.payload.action_value
    if value and value != cards.PICK:
        ref = _ref(value)
        if ref.task_id != timer.task_id:
            raise UserFacingError(
                f"The timer that runs is on *{escape(cards.title_of(timer))}*, "
                "not on that task. `/astravue timer` shows it."
            )
    billable = await timers.stop_billable(link)
    await show_modal(inv, ui.stop_modal(timer, billable, await zone_of(inv), datetime.now(UTC)))


async def stop_submitted(inv: Invocation) -> None:
    payload = inv.payload
    result = await inv.services.timers.stop(
        await inv.link(),
        billable=payload.value(ui.BILLABLE_BLOCK, ui.BILLABLE_INPUT) != ui.NO,
        notes=payload.value(cards.NOTE_BLOCK, cards.NOTE_INPUT),
        tracker_id=as_int(payload.private_metadata),
    )
    await answer_stopped(inv, result)


async def quick_stop(inv: Invocation) -> None:
    """Stops at once, with the last billable choice: Add note and Undo follow."""
    value = inv.payload.action_value  # a card's Stop names its task; the command does not
    task_id = _ref(value).task_id if value else None
    result = await inv.services.timers.stop(await inv.link(), task_id=task_id)
    await answer_stopped(inv, result, replace=_in_message(inv))


async def start_clicked(inv: Invocation) -> None:
    await start(inv, _ref(inv.payload.action_value))


async def switch_clicked(inv: Invocation) -> None:
    value = inv.payload.action_value
    if value == cards.PICK:
        await show_modal(inv, ui.pick_modal("switch"))
    else:
        await switch(inv, _ref(value))


async def picked(inv: Invocation) -> None:
    choice = selected(inv.payload.view, ui.TASK_BLOCK, Action.SELECT_TASK)
    if choice is None:
        raise UserFacingError("Pick a task first.")
    if inv.payload.private_metadata == "switch":
        await switch(inv, choice[0])
    else:
        await start(inv, choice[0])


# -- after a stop: its note, or Undo -------------------------------------------------------


def _stop_value(value: str) -> tuple[int, TaskRef, str]:
    """The entry, task and title an Add note or Undo button carries (bot.ui.timer_cards)."""
    try:
        data = json.loads(value)
        return int(data["e"]), TaskRef.decode(data["r"]), str(data["t"])
    except (ValueError, KeyError, TypeError):
        raise UserFacingError(
            "That button is out of date. `/astravue time` shows your entries."
        ) from None


async def note_clicked(inv: Invocation) -> None:
    value = inv.payload.action_value
    title = _stop_value(value)[2]
    await show_modal(inv, cards.note_modal(value, title))


async def note_submitted(inv: Invocation) -> None:
    """The note goes on the entry; the stopped cards show it (else a private answer does)."""
    entry_id, ref, title = _stop_value(inv.payload.private_metadata)
    note = inv.payload.value(cards.NOTE_BLOCK, cards.NOTE_INPUT)
    entry = await inv.services.timers.note(await inv.link(), ref.task_id, entry_id, note)
    answer = cards.stopped(title, ref, entry)
    if not await follow(inv, answer, entry=entry_id):
        await answer_with_card(inv, answer, shows=entry_id)


async def undo_clicked(inv: Invocation) -> None:
    """The entry goes and its timer runs again from where it started."""
    entry_id, ref, _title = _stop_value(inv.payload.action_value)
    link, zone = await inv.link(), await zone_of(inv)
    try:
        timer = await inv.services.timers.undo_stop(link, ref, entry_id)
    except TimerBusy as busy:
        raise UserFacingError(
            f"A timer runs on *{escape(cards.title_of(busy.running))}* now: stop it first, "
            "then Undo."
        ) from None
    await answer_with_card(
        inv,
        cards.undone(timer, zone, datetime.now(UTC)),
        shows=timer.time_tracker_id,
        replaces=entry_id,
        replace=_in_message(inv),
    )
    await refresh_home(inv)


# -- the forgotten-timer DM -----------------------------------------------------------------


async def stop_at_clicked(inv: Invocation) -> None:
    timers = inv.services.timers
    link = await inv.link()
    timer = await timers.running(link)
    if timer is None or str(timer.time_tracker_id) != inv.payload.action_value:
        raise UserFacingError("That timer was already stopped.")
    zone = await zone_of(inv)
    now = datetime.now(UTC)
    assert timer.start_time is not None
    limit = (await timers.settings(link)).timer_limit_minutes
    suggested = min(timer.start_time + timedelta(minutes=limit), now).astimezone(zone)
    await show_modal(inv, ui.stop_at_modal(timer, zone, now, suggested.time()))


async def stop_at_submitted(inv: Invocation) -> None:
    timers, payload = inv.services.timers, inv.payload
    link, zone = await inv.link(), await zone_of(inv)
    chosen = parse_clock_time(str(payload.value(ui.STOP_AT_BLOCK, ui.STOP_AT_INPUT)))
    timer = await timers.running(link)
    tracker_id = as_int(payload.private_metadata)
    if timer is None or timer.start_time is None or timer.time_tracker_id != tracker_id:
        raise UserFacingError("That timer was already stopped.")
    entry = await timers.stop_at(link, tracker_id, _after(timer.start_time, chosen, zone))
    await answer_with_card(
        inv,
        ui.logged(entry, cards.title_of(timer), zone),
        shows=entry.time_tracker_id,
        replaces=timer.time_tracker_id,
    )
    await refresh_home(inv)


async def keep(inv: Invocation) -> None:
    timer = await inv.services.timers.running(await inv.link())
    title = cards.title_of(timer) if timer else "your task"
    await inv.reply(ui.kept(title), replace=_in_message(inv))


# -- commands -------------------------------------------------------------------------------


async def status(inv: Invocation, resolution: Resolution) -> None:
    timer = await inv.services.timers.running(await inv.link())
    await answer_with_card(
        inv,
        cards.status(timer, await zone_of(inv), datetime.now(UTC)),
        shows=timer.time_tracker_id if timer else None,
        share=resolution.share,
    )


async def start_command(inv: Invocation, resolution: Resolution) -> None:
    if not resolution.args:
        await show_modal(inv, ui.pick_modal("start"))
        return
    ref, task = await inv.services.tasks.find(await inv.link(), resolution.args, write=True)
    await start(inv, ref, task.task_title)


async def switch_command(inv: Invocation, resolution: Resolution) -> None:
    if not resolution.args:
        await show_modal(inv, ui.pick_modal("switch"))
        return
    ref, _task = await inv.services.tasks.find(await inv.link(), resolution.args, write=True)
    await switch(inv, ref)


async def stop_command(inv: Invocation, _r: Resolution) -> None:
    await quick_stop(inv)


async def task_options(
    services: ServiceContainer, payload: Payload, context: AsyncBoltContext
) -> dict[str, Any]:
    """Options must be answered in the ack (3 s): recent and assigned tasks, searched."""
    try:
        link = await services.active_link(str(context.team_id), str(context.user_id))
        found = await services.tasks.recent_and_assigned(link, payload.query)
    except Exception as exc:  # an empty list beats a broken picker; the cause is logged
        log.warning("task options failed: %s", type(exc).__name__)
        return {"options": []}
    return {
        "options": [ui.task_option(task_ref(task), task.task_title) for task in found[:MAX_OPTIONS]]
    }


async def timer_section(services: ServiceContainer, link: LinkInfo) -> list[dict[str, Any]]:
    zone = resolve_zone(await services.timers.zone_name(link))
    return home_sections.timer_section(
        await services.timers.running(link),
        await services.timers.today_total(link),
        zone,
        datetime.now(UTC),
    )


def _ref(value: str) -> TaskRef:
    try:
        return TaskRef.decode(value)
    except ValueError:
        raise UserFacingError("That button is out of date; open the task again.") from None


def _in_message(inv: Invocation) -> bool:
    return bool(inv.context.response_url)


def _after(start: datetime, chosen: time, zone: tzinfo) -> datetime:
    """The first `chosen` local time after `start`."""
    return first_local_time_after(start, chosen, zone).astimezone(UTC)


FEATURE = Feature(
    commands={
        "timer": status,
        "timer status": status,
        "timer start": start_command,
        "timer switch": switch_command,
        "timer stop": stop_command,
    },
    actions={
        Action.TIMER_START: start_clicked,
        Action.TIMER_STOP: open_stop,
        Action.TIMER_QUICK_STOP: quick_stop,
        Action.TIMER_SWITCH: switch_clicked,
        Action.TIMER_STOP_AT: stop_at_clicked,
        Action.TIMER_KEEP: keep,
        Action.TIMER_NOTE: note_clicked,
        Action.TIMER_UNDO: undo_clicked,
    },
    views=(
        View(Callback.TIMER_STOP, stop_submitted),
        View(Callback.TIMER_STOP_AT, stop_at_submitted),
        View(Callback.TIMER_NOTE, note_submitted),
        View(Callback.TIMER_START_PICK, picked, validate_pick),
    ),
    options={Action.SELECT_TASK: task_options},
    # "My tasks" (with Start buttons) is the tasks feature's own section.
    home_sections=((TIMER_SECTION, timer_section),),
)
