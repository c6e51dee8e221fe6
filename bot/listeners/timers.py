"""Timers and time: start, stop, switch, log, entries, timesheets, the App Home timer, the
forgotten-timer buttons, and the task picker's options."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.astravue.errors import Forbidden
from bot.astravue.updates import TimerChanges
from bot.container import ServiceContainer
from bot.domain.errors import NoTimerRunning
from bot.domain.links import LinkInfo
from bot.domain.tasks import TaskRef, task_ref
from bot.listeners.registration import edited, on_action, on_view, view_value
from bot.listeners.router import CommandRegistry, Resolution
from bot.listeners.safe_lazy import Invocation
from bot.parsing import (
    ParseError,
    first_local_time_after,
    parse_clock_time,
    parse_duration,
    parse_time_range,
    resolve_zone,
    take_date,
)
from bot.services.timers import TimerBusy
from bot.ui import home_sections
from bot.ui import timers as ui
from bot.ui.components import escape, truncate
from bot.ui.errors import UserFacingError
from bot.ui.ids import Action, Callback

log = logging.getLogger(__name__)

Amount = timedelta | tuple[time, time]
MAX_OPTIONS = 100


@dataclass(frozen=True)
class LogArgs:
    amount: Amount
    task: str
    day: date | None
    note: str | None


def read_amount(text: str) -> Amount:
    """A duration ("1h30") or a same-day range ("09:00-10:30"); ParseError says what works."""
    if "-" in text[1:] or " to " in text:
        return parse_time_range(text)
    return parse_duration(text)


def read_log_args(args: str, today: date) -> LogArgs:
    """`<duration|range> <task> [date] [note]`: the task is an id or URL (then a date and a
    note may follow), a "quoted title", or else all the remaining words but a date."""
    words = args.split(" ")
    if len(words) > 1 and words[1].rstrip("ms").isdecimal() and words[1][-1:] in ("m", "s"):
        words = [f"{words[0]} {words[1]}", *words[2:]]  # "1h 30m"
    amount = read_amount(words[0])
    rest = words[1:]
    if not rest:
        raise UserFacingError(
            "Which task? Usage: `/astravue log 1h30 <task id or url> "
            "[date] [note]`, or run `/astravue log` for a form."
        )
    if rest[0].startswith('"') and '"' in " ".join(rest)[1:]:
        joined = " ".join(rest)
        end = joined.index('"', 1)
        task, rest = joined[1:end], joined[end + 1 :].split()
    elif rest[0].lstrip("#").isdecimal() or rest[0].startswith(("<http", "http")):
        task, rest = rest[0], rest[1:]
    else:
        day, others = take_date(rest, today=today, direction="past")
        return LogArgs(amount, " ".join(others), day, None)
    day, note_words = _leading_date(rest, today)
    return LogArgs(amount, task, day, " ".join(note_words) or None)


def _leading_date(words: list[str], today: date) -> tuple[date | None, list[str]]:
    for length in (3, 2, 1):
        if len(words) >= length:
            day, others = take_date(words[:length], today=today, direction="past")
            if day is not None and not others:
                return day, words[length:]
    return None, words


PERIODS = ("today", "week", "month")


def period(word: str, today: date, default: str) -> tuple[date, date, str]:
    """today, week (since Monday) or month (since the 1st), up to today."""
    word = word or default
    if word == "today":
        return today, today, "today"
    if word == "week":
        return today - timedelta(days=today.weekday()), today, "this week"
    if word == "month":
        return today.replace(day=1), today, "this month"
    raise UserFacingError(
        f"`{escape(word[:20])}` isn't a period I know: use `today`, `week` or `month`."
    )


def selected(view: dict[str, Any], block_id: str, action_id: str) -> tuple[TaskRef, str] | None:
    """The task picked in an external select: its ref and the title it showed."""
    element = (((view.get("state") or {}).get("values") or {}).get(block_id) or {}).get(
        action_id
    ) or {}
    option = element.get("selected_option")
    if not option:
        return None
    try:
        return TaskRef.decode(option["value"]), option["text"]["text"]
    except (KeyError, ValueError):
        return None


def register(app: AsyncApp, services: ServiceContainer, registry: CommandRegistry) -> None:
    timers = services.timers

    async def zone_of(inv: Invocation) -> tzinfo:
        return await services.zones.zone(inv.user_id)

    async def refresh_home(inv: Invocation) -> None:
        await services.home.publish(inv.client, inv.team_id, inv.user_id)

    async def open_modal(inv: Invocation, view: dict[str, Any]) -> dict[str, Any]:
        if not inv.trigger_id:
            raise UserFacingError("That needs a form; run the command again from Slack.")
        opened = await inv.client.views_open(trigger_id=inv.trigger_id, view=view)
        return dict(opened["view"])

    async def open_loaded(
        inv: Invocation, title: str, build: Callable[[], Awaitable[dict[str, Any]]]
    ) -> None:
        """Open a loading view at once (the trigger lives 3 s), then fill it in."""
        view = await open_modal(inv, ui.loading(title))
        await inv.client.views_update(view_id=view["id"], view=await build())

    # -- starting, stopping, switching --

    async def start(inv: Invocation, ref: TaskRef) -> None:
        link, zone = await inv.link(), await zone_of(inv)
        now = datetime.now(UTC)
        try:
            timer = await timers.start(link, ref)
        except TimerBusy as busy:
            await inv.reply(ui.busy(busy.running, ref, zone, now))
            return
        await inv.reply(ui.started(timer, zone, now))
        await refresh_home(inv)

    async def switch(inv: Invocation, ref: TaskRef) -> None:
        link, zone = await inv.link(), await zone_of(inv)
        result = await timers.switch(link, ref)
        stopped = (result.stopped.timer, result.stopped.entry) if result.stopped else None
        await inv.reply(
            ui.started(result.started, zone, datetime.now(UTC), stopped=stopped), replace=True
        )
        await refresh_home(inv)

    async def open_stop(inv: Invocation) -> None:
        link = await inv.link()
        timer = await timers.running(link)
        if timer is None:
            raise NoTimerRunning()
        value = _action_value(inv)
        if value and value != ui.PICK:
            ref = _ref(value)
            if ref.task_id != timer.task_id:
                raise UserFacingError(
                    f"The timer that runs is on *{escape(ui.title_of(timer))}*, "
                    "not on that task. `/astravue timer` shows it."
                )
        await open_modal(
            inv,
            ui.stop_modal(
                timer, await timers.stop_billable(link), await zone_of(inv), datetime.now(UTC)
            ),
        )

    async def stop_submitted(inv: Invocation) -> None:
        view = inv.body["view"]
        billable = view_value(view, ui.BILLABLE_BLOCK, ui.BILLABLE_INPUT) != ui.NO
        notes = view_value(view, ui.NOTE_BLOCK, ui.NOTE_INPUT)
        result = await timers.stop(
            await inv.link(),
            billable=billable,
            notes=notes,
            tracker_id=_int(view.get("private_metadata")),
        )
        await inv.reply(ui.stopped(result.timer, result.entry))
        await refresh_home(inv)

    async def quick_stop(inv: Invocation) -> None:
        result = await timers.stop(await inv.link())
        await inv.reply(ui.stopped(result.timer, result.entry), replace=_in_message(inv))
        await refresh_home(inv)

    async def start_clicked(inv: Invocation) -> None:
        await start(inv, _ref(_action_value(inv)))

    async def switch_clicked(inv: Invocation) -> None:
        value = _action_value(inv)
        if value == ui.PICK:
            await open_modal(inv, ui.pick_modal("switch"))
        else:
            await switch(inv, _ref(value))

    async def picked(inv: Invocation) -> None:
        view = inv.body["view"]
        choice = selected(view, ui.TASK_BLOCK, Action.SELECT_TASK)
        if choice is None:
            raise UserFacingError("Pick a task first.")
        if view.get("private_metadata") == "switch":
            await switch(inv, choice[0])
        else:
            await start(inv, choice[0])

    def validate_pick(view: dict[str, Any]) -> dict[str, str]:
        if selected(view, ui.TASK_BLOCK, Action.SELECT_TASK) is None:
            return {ui.TASK_BLOCK: "Pick a task."}
        return {}

    # -- the forgotten-timer DM --

    async def stop_at_clicked(inv: Invocation) -> None:
        link = await inv.link()
        timer = await timers.running(link)
        if timer is None or str(timer.time_tracker_id) != _action_value(inv):
            raise UserFacingError("That timer was already stopped.")
        zone = await zone_of(inv)
        now = datetime.now(UTC)
        assert timer.start_time is not None
        limit = (await timers.settings(link)).timer_limit_minutes
        suggested = min(timer.start_time + timedelta(minutes=limit), now).astimezone(zone)
        await open_modal(inv, ui.stop_at_modal(timer, zone, now, suggested.time()))

    async def stop_at_submitted(inv: Invocation) -> None:
        view = inv.body["view"]
        link, zone = await inv.link(), await zone_of(inv)
        chosen = parse_clock_time(str(view_value(view, ui.STOP_AT_BLOCK, ui.STOP_AT_INPUT)))
        timer = await timers.running(link)
        tracker_id = _int(view.get("private_metadata"))
        if timer is None or timer.start_time is None or timer.time_tracker_id != tracker_id:
            raise UserFacingError("That timer was already stopped.")
        entry = await timers.stop_at(link, tracker_id, _after(timer.start_time, chosen, zone))
        await inv.reply(ui.logged(entry, ui.title_of(timer), zone))
        await refresh_home(inv)

    async def keep(inv: Invocation) -> None:
        timer = await timers.running(await inv.link())
        title = ui.title_of(timer) if timer else "your task"
        await inv.reply(ui.kept(title), replace=_in_message(inv))

    # -- logging time --

    async def log_command(inv: Invocation, resolution: Resolution) -> None:
        link = await inv.link()
        if not resolution.args:
            await open_log_modal(inv, link)
            return
        zone = await zone_of(inv)
        try:
            parsed = read_log_args(resolution.args, datetime.now(zone).date())
        except ParseError as exc:
            await inv.reply(ui.bad_amount(exc.message))
            return
        ref, task = await services.tasks.find(link, parsed.task)
        entry = await _log(
            link, ref, parsed.amount, parsed.day, await timers.stop_billable(link), parsed.note
        )
        await inv.reply(ui.logged(entry, task.task_title, zone), share=resolution.share)
        await refresh_home(inv)

    async def _log(
        link: LinkInfo,
        ref: TaskRef,
        amount: Amount,
        day: date | None,
        billable: bool,
        note: str | None,
    ) -> Any:
        if isinstance(amount, tuple):
            return await timers.log_range(
                link, ref, *amount, day=day, billable=billable, notes=note
            )
        return await timers.log_duration(link, ref, amount, day=day, billable=billable, notes=note)

    async def open_log_modal(inv: Invocation, link: LinkInfo) -> None:
        today = datetime.now(await zone_of(inv)).date()
        await open_modal(inv, ui.log_modal(today, await timers.stop_billable(link)))

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
        view = inv.body["view"]
        choice = selected(view, ui.TASK_BLOCK, Action.SELECT_TASK)
        assert choice is not None  # validated
        link = await inv.link()
        amount = read_amount(str(view_value(view, ui.AMOUNT_BLOCK, ui.AMOUNT_INPUT)))
        day_text = view_value(view, ui.DATE_BLOCK, ui.DATE_INPUT)
        entry = await _log(
            link,
            choice[0],
            amount,
            date.fromisoformat(day_text) if day_text else None,
            view_value(view, ui.BILLABLE_BLOCK, ui.BILLABLE_INPUT) != ui.NO,
            view_value(view, ui.NOTE_BLOCK, ui.NOTE_INPUT),
        )
        await inv.reply(ui.logged(entry, choice[1], await zone_of(inv)))
        await refresh_home(inv)

    # -- entries --

    async def time_command(inv: Invocation, resolution: Resolution) -> None:
        """`/astravue time [today|week|month]`, or `/astravue time <task>`: your entries."""
        zone, link = await zone_of(inv), await inv.link()
        word = resolution.args.strip()
        if word and word.lower() not in PERIODS:
            _, task = await services.tasks.find(link, word)
            entries, _ = await timers.on_task(link, task.task_id)
            label = f"on #{task.task_id} “{escape(truncate(task.task_title, 80))}”"
            await inv.reply(ui.entries_list(entries, zone, label), share=resolution.share)
            return
        first, last, label = period(word.lower(), datetime.now(zone).date(), "today")
        entries = await timers.entries(link, first, last)
        await inv.reply(ui.entries_list(entries, zone, label), share=resolution.share)

    async def edit_clicked(inv: Invocation) -> None:
        link, zone = await inv.link(), await zone_of(inv)
        entry_id = _int(_action_value(inv))

        async def build() -> dict[str, Any]:
            entry = await timers.entry(link, entry_id or 0, datetime.now(zone).date())
            return ui.edit_modal(entry, zone)

        await open_loaded(inv, "Edit time entry", build)

    def validate_edit(view: dict[str, Any]) -> dict[str, str]:
        start = view_value(view, ui.START_BLOCK, ui.START_INPUT)
        end = view_value(view, ui.END_BLOCK, ui.END_INPUT)
        if start and end and end <= start:
            return {ui.END_BLOCK: "The end must be after the start."}
        return {}

    async def edit_submitted(inv: Invocation) -> None:
        view = inv.body["view"]
        zone = await zone_of(inv)
        day = date.fromisoformat(str(view_value(view, ui.DATE_BLOCK, ui.DATE_INPUT)))

        def moment(block: str, action: str) -> datetime:
            return datetime.combine(
                day, parse_clock_time(str(view_value(view, block, action))), tzinfo=zone
            )

        # Only what the user changed: the pickers show minutes, the entry may hold seconds.
        changes: TimerChanges = {}
        moved_day = edited(view, ui.DATE_BLOCK, ui.DATE_INPUT)
        if moved_day or edited(view, ui.START_BLOCK, ui.START_INPUT):
            changes["start_time"] = moment(ui.START_BLOCK, ui.START_INPUT)
        if moved_day or edited(view, ui.END_BLOCK, ui.END_INPUT):
            changes["end_time"] = moment(ui.END_BLOCK, ui.END_INPUT)
        if edited(view, ui.BILLABLE_BLOCK, ui.BILLABLE_INPUT):
            changes["billable"] = view_value(view, ui.BILLABLE_BLOCK, ui.BILLABLE_INPUT) != ui.NO
        if edited(view, ui.NOTE_BLOCK, ui.NOTE_INPUT):
            changes["notes"] = view_value(view, ui.NOTE_BLOCK, ui.NOTE_INPUT) or None
        entry = await timers.update_entry(
            await inv.link(), _int(view.get("private_metadata")) or 0, changes
        )
        await inv.reply(ui.logged(entry, f"task {entry.task_id}", zone))
        await refresh_home(inv)

    async def delete_clicked(inv: Invocation) -> None:
        await timers.delete_entry(await inv.link(), _int(_action_value(inv)) or 0)
        await inv.reply({"text": ":wastebasket: Time entry deleted."})
        await refresh_home(inv)

    async def timesheet_command(inv: Invocation, resolution: Resolution) -> None:
        link, zone = await inv.link(), await zone_of(inv)
        words = resolution.args.split()
        span = words.pop() if words and words[-1].lower() in ("week", "month", "today") else ""
        first, last, label = period(span.lower(), datetime.now(zone).date(), "week")
        if words:
            sheet = await timers.project_sheet(
                link, await timers.find_project(link, " ".join(words)), first, last
            )
            await inv.reply(
                ui.project_sheet(
                    sheet.project.project_name,
                    sheet.summary,
                    sheet.report,
                    label,
                    link.astravue_user_id,
                ),
                share=resolution.share,
            )
            return
        try:
            report = await timers.global_sheet(link, first, last)
        except Forbidden:
            await inv.reply(ui.forbidden_global())
            return
        await inv.reply(
            ui.global_sheet(report, await timers.project_names(link), label), share=resolution.share
        )

    # -- commands --

    @registry.handler("timer")
    @registry.handler("timer status")
    async def status(inv: Invocation, _r: Resolution) -> None:
        timer = await timers.running(await inv.link())
        await inv.reply(ui.status(timer, await zone_of(inv), datetime.now(UTC)), share=_r.share)

    @registry.handler("timer start")
    async def start_command(inv: Invocation, resolution: Resolution) -> None:
        if not resolution.args:
            await open_modal(inv, ui.pick_modal("start"))
            return
        ref, _task = await services.tasks.find(await inv.link(), resolution.args)
        await start(inv, ref)

    @registry.handler("timer switch")
    async def switch_command(inv: Invocation, resolution: Resolution) -> None:
        if not resolution.args:
            await open_modal(inv, ui.pick_modal("switch"))
            return
        ref, _task = await services.tasks.find(await inv.link(), resolution.args)
        await switch(inv, ref)

    @registry.handler("timer stop")
    async def stop_command(inv: Invocation, _r: Resolution) -> None:
        await open_stop(inv)

    registry.handler("log")(log_command)
    registry.handler("time")(time_command)
    registry.handler("timesheet")(timesheet_command)

    on_action(app, services, Action.TIMER_START, start_clicked)
    on_action(app, services, Action.TIMER_STOP, open_stop)
    on_action(app, services, Action.TIMER_QUICK_STOP, quick_stop)
    on_action(app, services, Action.TIMER_SWITCH, switch_clicked)
    on_action(app, services, Action.TIMER_STOP_AT, stop_at_clicked)
    on_action(app, services, Action.TIMER_KEEP, keep)
    on_action(app, services, Action.TIME_EDIT, edit_clicked)
    on_action(app, services, Action.TIME_DELETE, delete_clicked)
    on_action(app, services, Action.HOME_LOG_TIME, home_log_time)
    on_view(app, services, Callback.TIMER_STOP, stop_submitted)
    on_view(app, services, Callback.TIMER_STOP_AT, stop_at_submitted)
    on_view(app, services, Callback.TIMER_START_PICK, picked, validate=validate_pick)
    on_view(app, services, Callback.TIME_LOG, log_submitted, validate=validate_log)
    on_view(app, services, Callback.TIME_EDIT, edit_submitted, validate=validate_edit)
    app.options(Action.SELECT_TASK)(_task_options(services))
    _add_home_sections(services)


def _task_options(services: ServiceContainer) -> Callable[..., Awaitable[None]]:
    """Options must be answered in the ack (3 s): recent and assigned tasks, searched."""

    async def options(
        ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        try:
            link = await services.active_link(str(context.team_id), str(context.user_id))
            found = await services.tasks.recent_and_assigned(link, body.get("value") or "")
        except Exception as exc:  # an empty list beats a broken picker; the cause is logged
            log.warning("task options failed: %s", type(exc).__name__)
            await ack(options=[])
            return
        await ack(
            options=[
                ui.task_option(task_ref(task), task.task_title) for task in found[:MAX_OPTIONS]
            ]
        )

    return options


def _add_home_sections(services: ServiceContainer) -> None:
    async def timer_section(link: LinkInfo) -> list[dict[str, Any]]:
        zone = resolve_zone(await services.timers.zone_name(link))
        return home_sections.timer_section(
            await services.timers.running(link),
            await services.timers.today_total(link),
            zone,
            datetime.now(UTC),
        )

    # "My tasks" (with Start buttons) is the tasks feature's own section.
    services.home.add_section("your timer", timer_section)


def _action_value(inv: Invocation) -> str:
    return str(((inv.body.get("actions") or [{}])[0]).get("value") or "")


def _ref(value: str) -> TaskRef:
    try:
        return TaskRef.decode(value)
    except ValueError:
        raise UserFacingError("That button is out of date; open the task again.") from None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _in_message(inv: Invocation) -> bool:
    return bool(inv.context.response_url)


def _after(start: datetime, chosen: time, zone: tzinfo) -> datetime:
    """The first `chosen` local time after `start`."""
    return first_local_time_after(start, chosen, zone).astimezone(UTC)
