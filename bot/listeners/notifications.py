"""Notifications: the list modal, the DM buttons and overflow, and the settings modal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from bot.container import ServiceContainer
from bot.domain.links import LinkInfo
from bot.domain.notifications import NotificationPrefs
from bot.domain.tasks import TaskRef
from bot.listeners.modals import open_loaded
from bot.listeners.payloads import view_value
from bot.listeners.registration import Feature, View
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.listeners.timers import refresh_home
from bot.parsing import DurationError, parse_duration
from bot.services import mutes
from bot.services.timers import TimerBusy
from bot.ui import notification_settings as settings_ui
from bot.ui import notifications as ui
from bot.ui import timer_cards
from bot.ui.errors import UserFacingError
from bot.ui.ids import Action, Callback

ViewBuilder = Callable[[], Awaitable[dict[str, Any]]]
HOME_SECTION = "notifications"  # the Home's summary of the notification settings
# What views.update takes again from a view payload (the rest is Slack's own state).
_VIEW_KEYS = ("type", "title", "submit", "close", "callback_id", "private_metadata")


async def list_view(
    services: ServiceContainer, link: LinkInfo, only_unread: bool, note: str | None = None
) -> dict[str, Any]:
    found = await services.notifications.listing(link, only_unread=only_unread)
    return ui.list_modal(found, only_unread=only_unread, note=note)


async def list_command(inv: Invocation, resolution: Resolution) -> None:
    word = resolution.args.split(" ")[0].lower() if resolution.args else "unread"
    if word not in ("unread", "all"):
        raise UserFacingError(
            "Use `/astravue notifications unread` or `/astravue notifications all`."
        )
    link = await inv.link()
    await _modal(inv, lambda: list_view(inv.services, link, word == "unread"))


async def list_button(inv: Invocation) -> None:
    link = await inv.link()
    await _modal(inv, lambda: list_view(inv.services, link, True))


async def act_on_list(inv: Invocation) -> None:
    payload = inv.payload
    view, action = payload.view, payload.action_id
    only_unread = payload.private_metadata != "all"
    link = await inv.link()
    inbox = inv.services.inbox
    picked = _picked(view)
    if action == Action.NOTIF_MARK_ALL:
        note = f":white_check_mark: Marked {await inbox.mark_all_read(link)} as read."
    elif not picked:
        note = ":point_up: Tick some notifications first."
    elif action == Action.NOTIF_MARK_SELECTED:
        note = f":white_check_mark: Marked {await inbox.mark_read(link, picked)} as read."
    else:
        note = f":wastebasket: Deleted {await inbox.delete(link, picked)}."
    await inv.client.views_update(
        view_id=view["id"], view=await list_view(inv.services, link, only_unread, note)
    )


async def mark_read(inv: Invocation) -> None:
    link = await inv.link()
    notification_id, _ = _parse(inv.payload.action_value)
    await inv.services.inbox.mark_read(link, [notification_id])
    card = await inv.services.notifications.card(link, notification_id)
    await _update_dm(inv, ui.notification_dm(card, state="read"))


async def overflow(inv: Invocation) -> None:
    notifications = inv.services.notifications
    link = await inv.link()
    what, _, value = inv.payload.selected_value.partition(":")
    notification_id, ref = _parse(value)
    if what == ui.OVERFLOW_DELETE:
        await inv.services.inbox.delete(link, [notification_id])
        card = await notifications.card(link, notification_id)
        await _update_dm(inv, ui.notification_dm(card, state="deleted"))
    elif what == ui.OVERFLOW_MUTE and ref is not None:
        await notifications.mute_task(inv.team_id, inv.user_id, ref.task_id)
        card = await notifications.card(link, notification_id)
        await _update_dm(inv, ui.notification_dm(card, state="muted"))
    elif what == ui.OVERFLOW_DIGEST_PROJECT and ref is not None and ref.project_id:
        await notifications.digest_project(inv.team_id, inv.user_id, ref.project_id)
        await inv.reply(settings_ui.digest_only(ref.project_id))
    elif what == ui.OVERFLOW_COMPLETE and ref is not None:
        _, logged = await inv.services.tasks.complete(link, ref)
        await _after_action(inv, link, notification_id, ui.completed(logged))
    elif what == ui.OVERFLOW_TIMER and ref is not None:
        await _start_timer(inv, link, notification_id, ref)
    else:
        raise UserFacingError("That choice is no longer available on this message.")


async def _start_timer(inv: Invocation, link: LinkInfo, notification_id: int, ref: TaskRef) -> None:
    """Start the timer from the DM's menu; another one running is answered with Switch
    (the DM stays as it was)."""
    try:
        timer = await inv.services.timers.start(link, ref)
    except TimerBusy as busy:
        zone = await inv.services.zones.zone(inv.user_id)
        title = (await inv.services.tasks.get(link, ref)).task_title
        await inv.reply(timer_cards.busy(busy.running, ref, title, zone, datetime.now(UTC)))
        return
    await _after_action(inv, link, notification_id, ui.timer_started(timer.start_time))


async def _after_action(
    inv: Invocation, link: LinkInfo, notification_id: int, outcome: str
) -> None:
    """The DM stays, with what was done under it; the Home tab shows the change too."""
    card = await inv.services.notifications.card(link, notification_id)
    state = "read" if card.notification.read or not _offers(inv, Action.NOTIF_MARK_READ) else None
    await _update_dm(inv, ui.notification_dm(card, state=state, outcome=outcome))
    await refresh_home(inv)


async def show_more(inv: Invocation) -> None:
    """ "Show more": the whole comment, the rest of the DM as it is shown."""
    link = await inv.link()
    notification_id, _ = _parse(inv.payload.action_value)
    card = await inv.services.notifications.card(link, notification_id)
    state = None if _offers(inv, Action.NOTIF_MARK_READ) else "read"
    expanded = ui.notification_dm(card, state=state, expanded=True)
    shown = (inv.body.get("message") or {}).get("blocks") or []
    if shown and shown[0].get("type") == "section":  # keep what actions wrote under it
        expanded["blocks"] = [expanded["blocks"][0], *shown[1:]]
    await _update_dm(inv, expanded)


def _offers(inv: Invocation, action_id: str) -> bool:
    """Whether the clicked message shows a control with this action id."""
    blocks = (inv.body.get("message") or {}).get("blocks") or []
    return any(
        element.get("action_id") == action_id
        for block in blocks
        for element in block.get("elements") or []
        if isinstance(element, dict)
    )


async def settings_view(inv: Invocation) -> dict[str, Any]:
    services = inv.services
    prefs = await services.notifications.prefs(inv.team_id, inv.user_id)
    found = await mutes.muted(services.sessions, services.tasks, await inv.link())
    return settings_ui.settings_modal(
        prefs,
        await services.zones.name(inv.user_id),
        muted_tasks=found.tasks,
        muted_projects=found.projects,
        more_muted=found.more_tasks + found.more_projects,
    )


async def unmute_dm(inv: Invocation) -> None:
    """A muted DM's Unmute: notifications about the task again, and the DM as it was."""
    link = await inv.link()
    notification_id, ref = _parse(inv.body["actions"][0].get("value") or "")
    if ref is not None:
        await mutes.unmute_task(inv.services.sessions, inv.team_id, inv.user_id, ref.task_id)
    card = await inv.services.notifications.card(link, notification_id)
    await _update_dm(inv, ui.notification_dm(card))


async def unmute_in_settings(inv: Invocation) -> None:
    """Unmute in the settings modal: that row goes, the user's unsaved edits stay (the other
    blocks keep their ids, so Slack keeps what was typed in them); or the Undo under "digest
    only" in a message."""
    sessions = inv.services.sessions
    kind, _, raw = str(inv.body["actions"][0].get("value") or "").partition(":")
    if not raw.isdecimal() or kind not in ("t", "p"):
        raise UserFacingError("That button is out of date; run `/astravue settings`.")
    if kind == "t":
        await mutes.unmute_task(sessions, inv.team_id, inv.user_id, int(raw))
    else:
        await mutes.undigest_project(sessions, inv.team_id, inv.user_id, int(raw))
    view = inv.body.get("view")
    if not view:
        await inv.reply(settings_ui.digest_undone(), replace=True)
        return
    gone = settings_ui.MUTED_BLOCK.format(kind, raw)
    blocks = [
        settings_ui.unmuted_row(b) if b.get("block_id") == gone else b
        for b in view.get("blocks") or []
    ]
    await inv.client.views_update(
        view_id=view["id"],
        view={k: view[k] for k in _VIEW_KEYS if k in view} | {"blocks": blocks},
    )


async def settings_command(inv: Invocation, _r: Resolution) -> None:
    await _modal(inv, lambda: settings_view(inv))


async def settings_button(inv: Invocation) -> None:
    await _modal(inv, lambda: settings_view(inv))


async def settings_saved(inv: Invocation) -> None:
    prefs = read_settings(inv.payload.view)
    await inv.services.notifications.save_prefs(inv.team_id, inv.user_id, prefs)
    await inv.reply(settings_ui.saved_message(prefs))
    await inv.services.home.refresh(
        inv.client, inv.team_id, inv.user_id, (HOME_SECTION,), from_home=inv.from_home
    )


async def list_closed(inv: Invocation) -> None:
    del inv  # "Done" only closes the modal


async def home_section(services: ServiceContainer, link: LinkInfo) -> list[dict[str, Any]]:
    prefs = await services.notifications.prefs(link.team_id, link.slack_user_id)
    return settings_ui.home_section(prefs)


async def _modal(inv: Invocation, build: ViewBuilder) -> None:
    """A loading view first (the trigger_id lives 3 s), then the real one or the failure."""
    await open_loaded(
        inv, ui.loading_modal(), build, no_trigger="Run the command again to open the window."
    )


async def _update_dm(inv: Invocation, payload: dict[str, Any]) -> None:
    """Replace the clicked DM: through the response_url, else with chat.update (when this
    user may rewrite it: `Invocation.may_replace`; else they are answered alone)."""
    if (inv.respond is not None and inv.context.response_url) or not inv.may_replace:
        await inv.reply(payload, replace=True)
        return
    container = inv.payload.container
    channel, ts = container.get("channel_id") or inv.channel_id, container.get("message_ts")
    if not channel or not ts:  # no message to replace (a malformed click): answer alone
        await inv.tell_privately(payload, channel)
        return
    await inv.client.chat_update(channel=channel, ts=ts, **payload)


def _parse(value: str) -> tuple[int, Any]:
    try:
        return ui.parse_notification_value(value)
    except ValueError:
        raise UserFacingError(
            "That button is out of date; run `/astravue notifications`."
        ) from None


def _picked(view: dict[str, Any]) -> list[int]:
    ids: list[int] = []
    for group in range(ui.LIST_LIMIT // ui.PICK_GROUP):
        values = view_value(view, ui.PICK_BLOCK.format(group), Action.NOTIF_SELECT) or []
        ids += [int(v) for v in values if str(v).isdecimal()]
    return ids


def read_settings(view: dict[str, Any]) -> NotificationPrefs:
    enabled = view_value(view, settings_ui.ENABLED_BLOCK, settings_ui.ENABLED_INPUT) or []
    options = view_value(view, settings_ui.OPTIONS_BLOCK, settings_ui.OPTIONS_INPUT) or []
    modes = {
        kind: view_value(view, settings_ui.TYPE_BLOCK.format(kind), settings_ui.TYPE_INPUT)
        or "instant"
        for kind, _ in settings_ui.TYPES
    }
    return NotificationPrefs(
        enabled="on" in enabled,
        type_modes={kind: mode for kind, mode in modes.items() if mode != "instant"},
        quiet_start=view_value(view, settings_ui.QUIET_START_BLOCK, settings_ui.QUIET_INPUT),
        quiet_end=view_value(view, settings_ui.QUIET_END_BLOCK, settings_ui.QUIET_INPUT),
        skip_own_actions=settings_ui.SKIP_OWN in options,
        mark_read_on_delivery=settings_ui.MARK_READ in options,
        timer_limit_minutes=_minutes(
            view_value(view, settings_ui.TIMER_LIMIT_BLOCK, settings_ui.TIMER_LIMIT_INPUT)
        ),
        workday_end=view_value(view, settings_ui.WORKDAY_END_BLOCK, settings_ui.QUIET_INPUT),
    )


def _minutes(typed: Any) -> int:
    """The reminder limit typed as a duration ("7h 30m", "90m") or a bare number of hours (the
    field's unit before); 0 is off; -1 when it is neither or over 24 hours. A form without the
    field (opened before it existed) keeps the default."""
    if typed is None:
        return NotificationPrefs.timer_limit_minutes
    text = str(typed).strip()
    try:
        hours = float(text)
    except ValueError:
        try:
            return int(parse_duration(text).total_seconds()) // 60
        except DurationError:
            return -1
    if not 0 <= hours <= settings_ui.MAX_TIMER_HOURS:  # also rejects nan
        return -1
    return round(hours * 60)


def validate_settings(view: dict[str, Any]) -> dict[str, str]:
    prefs = read_settings(view)
    if prefs.timer_limit_minutes < 0:
        return {
            settings_ui.TIMER_LIMIT_BLOCK: "Give a duration up to 24 hours, "
            "e.g. 8h, 7h 30m or 90m (0 turns the reminder off)."
        }
    if bool(prefs.quiet_start) != bool(prefs.quiet_end):
        missing = (
            settings_ui.QUIET_END_BLOCK if prefs.quiet_start else settings_ui.QUIET_START_BLOCK
        )
        return {missing: "Set both the start and the end of quiet hours, or neither."}
    return {}


FEATURE = Feature(
    commands={"notifications": list_command, "settings": settings_command},
    acks_only=(Action.NOTIF_SELECT,),
    actions={
        Action.NOTIF_LIST: list_button,
        Action.NOTIF_MARK_SELECTED: act_on_list,
        Action.NOTIF_MARK_ALL: act_on_list,
        Action.NOTIF_DELETE_SELECTED: act_on_list,
        Action.NOTIF_MARK_READ: mark_read,
        Action.NOTIF_OVERFLOW: overflow,
        Action.NOTIF_UNMUTE: unmute_dm,
        Action.NOTIF_MORE: show_more,
        Action.SETTINGS_UNMUTE: unmute_in_settings,
        Action.HOME_SETTINGS: settings_button,
    },
    views=(
        View(Callback.NOTIF_SETTINGS, settings_saved, validate_settings),
        View(Callback.NOTIF_LIST, list_closed),
    ),
    home_sections=((HOME_SECTION, home_section),),
)
