"""Notification DMs end to end: the poll tick against the sandbox, buttons, list, settings."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from sqlalchemy import select, update

from bot.db.models import (
    AstravueLink,
    DeliveryStatus,
    LinkStatus,
    NotificationDelivery,
    PollState,
)
from bot.sandbox.stack import Stack
from bot.scheduler import start_scheduler
from bot.ui import notification_settings as settings_ui
from bot.ui.ids import Action
from bot.ui.notifications import EVENT_TYPE, OVERFLOW_DELETE, OVERFLOW_MUTE, PICK_BLOCK
from tests.scenario.conftest import buttons, connect, eventually, text_of

MARIA, DEV = 1, 2


def dms(stack: Stack, user: str = "U0MARIA") -> list[Any]:
    return stack.sandbox.slack.dm_messages(user)


def payload_of(message: Any) -> dict[str, Any]:
    return message.as_slack()


async def linked(stack: Stack, user: str = "U0MARIA") -> None:
    await connect(stack, user)
    await stack.runtime.services.poller.tick()  # the first poll: summary only


async def _due_now(stack: Stack) -> None:
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(next_poll_at=datetime.now(UTC)))


async def statuses(stack: Stack) -> dict[int, DeliveryStatus]:
    async with stack.runtime.sessions() as session:
        rows = (await session.scalars(select(NotificationDelivery))).all()
        return {row.notification_id: row.status for row in rows}


async def test_first_poll_sends_one_summary_then_new_ones_arrive_once(stack: Stack) -> None:
    unread = [n for n in stack.sandbox.astravue.notifications_for(MARIA) if not n.read]
    assert unread
    await linked(stack)
    summary = dms(stack)
    assert len(summary) == 1 and f"{len(unread)} unread" in summary[0].text
    assert Action.NOTIF_LIST in buttons(payload_of(summary[0]))
    assert set((await statuses(stack)).values()) == {DeliveryStatus.SKIPPED}

    did = stack.sandbox.astravue.simulate_teammate_activity(MARIA, random.Random(3))
    newest = stack.sandbox.astravue.notifications_for(MARIA)[0]
    await _due_now(stack)
    await stack.runtime.services.poller.tick()
    messages = dms(stack)
    assert len(messages) == 2, did
    dm = messages[-1]
    assert dm.metadata == {
        "event_type": EVENT_TYPE,
        "event_payload": {"notification_id": newest.notification_id, "link_id": 1},
    }
    task = stack.sandbox.astravue.tasks[newest.task_id]
    assert task.title in text_of(payload_of(dm))
    assert stack.sandbox.astravue.projects[task.project_id].name in text_of(payload_of(dm))
    found = buttons(payload_of(dm))
    assert {
        Action.NOTIF_MARK_READ,
        Action.TASK_COMPLETE,
        Action.TIMER_START,
        Action.NOTIF_OVERFLOW,
        Action.OPEN_URL,
    } <= set(found)
    ref = f"{task.space_id}:{task.project_id}:{task.task_id}"
    assert found[Action.TASK_COMPLETE]["value"] == ref

    await _due_now(stack)
    await stack.runtime.services.poller.tick()  # polled again: no duplicate
    assert len(dms(stack)) == 2
    assert (await statuses(stack))[newest.notification_id] == DeliveryStatus.SENT


async def _one_new_dm(stack: Stack, **kwargs: Any) -> Any:
    before = len(dms(stack))
    notification = stack.sandbox.astravue.add_notification(MARIA, **kwargs)
    await _due_now(stack)
    await stack.runtime.services.poller.tick()
    assert len(dms(stack)) == before + 1
    return notification, dms(stack)[-1]


async def test_mark_read_delete_and_mute_change_the_sandbox(stack: Stack) -> None:
    await linked(stack)
    maria = stack.user("U0MARIA")
    task = next(
        t for t in stack.sandbox.astravue.tasks.values() if t.project_id and MARIA in t.owner_ids
    )
    first, dm = await _one_new_dm(
        stack, type_="comment", message="Dev commented on it", actor_id=DEV, task_id=task.task_id
    )
    await maria.click(
        Action.NOTIF_MARK_READ,
        buttons(payload_of(dm))[Action.NOTIF_MARK_READ]["value"],
        message=payload_of(dm),
    )
    await eventually(lambda: stack.sandbox.astravue.notifications[first.notification_id].read)
    updated = await eventually(
        lambda: ":white_check_mark: read" in text_of(payload_of(dms(stack)[-1])) and dms(stack)[-1]
    )
    assert Action.NOTIF_MARK_READ not in buttons(payload_of(updated))

    second, dm = await _one_new_dm(
        stack, type_="mention", message="Sam mentioned you", actor_id=3, task_id=task.task_id
    )
    menu = buttons(payload_of(dm))[Action.NOTIF_OVERFLOW]
    delete = next(o for o in menu["options"] if o["value"].startswith(OVERFLOW_DELETE))
    await maria.click(
        Action.NOTIF_OVERFLOW,
        message=payload_of(dm),
        selected_option=delete,
        action_type="overflow",
    )
    await eventually(lambda: second.notification_id not in stack.sandbox.astravue.notifications)
    await eventually(lambda: "Notification deleted" in text_of(payload_of(dms(stack)[-1])))

    _, dm = await _one_new_dm(
        stack, type_="comment", message="Another comment", actor_id=DEV, task_id=task.task_id
    )
    menu = buttons(payload_of(dm))[Action.NOTIF_OVERFLOW]
    mute = next(o for o in menu["options"] if o["value"].startswith(OVERFLOW_MUTE))
    await maria.click(
        Action.NOTIF_OVERFLOW, message=payload_of(dm), selected_option=mute, action_type="overflow"
    )
    prefs_muted = await eventually(
        lambda: (
            any("Muted" in e.text for e in stack.sandbox.slack.ephemerals_for("U0MARIA"))
            or any("Muted" in text_of(r.payload) for r in stack.sandbox.slack.responses)
        )
    )
    assert prefs_muted
    before = len(dms(stack))
    muted = stack.sandbox.astravue.add_notification(
        MARIA, "comment", "muted one", actor_id=DEV, task_id=task.task_id
    )
    own = stack.sandbox.astravue.add_notification(MARIA, "comment", "my own", actor_id=MARIA)
    await _due_now(stack)
    await stack.runtime.services.poller.tick()
    assert len(dms(stack)) == before
    seen = await statuses(stack)
    assert seen[muted.notification_id] == seen[own.notification_id] == DeliveryStatus.SKIPPED


async def test_list_modal_marks_and_deletes_selected(stack: Stack) -> None:
    await linked(stack)
    maria = stack.user("U0MARIA")
    await maria.command("notifications unread")
    view = await eventually(
        lambda: [
            v for v in stack.sandbox.slack.open_views("U0MARIA") if "Select" in str(v.get("blocks"))
        ]
    )
    view = view[-1]
    unread = [n for n in stack.sandbox.astravue.notifications_for(MARIA) if not n.read]
    pick = unread[0].notification_id
    values = {
        PICK_BLOCK.format(0): {
            Action.NOTIF_SELECT: {"type": "checkboxes", "selected_options": [{"value": str(pick)}]}
        }
    }
    await maria.click(Action.NOTIF_MARK_SELECTED, "selected", view=view, values=values)
    await eventually(lambda: stack.sandbox.astravue.notifications[pick].read)
    view = await eventually(
        lambda: [
            v
            for v in stack.sandbox.slack.open_views("U0MARIA")
            if "Marked 1" in str(v.get("blocks"))
        ]
    )
    doomed = unread[1].notification_id
    values = {
        PICK_BLOCK.format(0): {
            Action.NOTIF_SELECT: {
                "type": "checkboxes",
                "selected_options": [{"value": str(doomed)}],
            }
        }
    }
    await maria.click(Action.NOTIF_DELETE_SELECTED, "selected", view=view[-1], values=values)
    await eventually(lambda: doomed not in stack.sandbox.astravue.notifications)
    view = await eventually(
        lambda: [
            v
            for v in stack.sandbox.slack.open_views("U0MARIA")
            if "Deleted 1" in str(v.get("blocks"))
        ]
    )
    await maria.click(Action.NOTIF_MARK_ALL, "all", view=view[-1])
    await eventually(lambda: all(n.read for n in stack.sandbox.astravue.notifications_for(MARIA)))


def _settings_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        settings_ui.ENABLED_BLOCK: {
            settings_ui.ENABLED_INPUT: {"type": "checkboxes", "selected_options": [{"value": "on"}]}
        },
        settings_ui.OPTIONS_BLOCK: {
            settings_ui.OPTIONS_INPUT: {
                "type": "checkboxes",
                "selected_options": [{"value": settings_ui.SKIP_OWN}],
            }
        },
    }
    for kind, _ in settings_ui.TYPES:
        values[settings_ui.TYPE_BLOCK.format(kind)] = {
            settings_ui.TYPE_INPUT: {
                "type": "static_select",
                "selected_option": {"value": overrides.get(kind, "instant")},
            }
        }
    for block in (
        settings_ui.QUIET_START_BLOCK,
        settings_ui.QUIET_END_BLOCK,
        settings_ui.WORKDAY_END_BLOCK,
    ):
        values[block] = {
            settings_ui.QUIET_INPUT: {"type": "timepicker", "selected_time": overrides.get(block)}
        }
    values[settings_ui.TIMER_LIMIT_BLOCK] = {
        settings_ui.TIMER_LIMIT_INPUT: {
            "type": "plain_text_input",
            "value": overrides.get(settings_ui.TIMER_LIMIT_BLOCK, "8h"),
        }
    }
    return values


async def test_timer_reminder_settings(stack: Stack) -> None:
    await linked(stack)
    maria = stack.user("U0MARIA")
    await maria.command("settings")
    view = (
        await eventually(
            lambda: [
                v
                for v in stack.sandbox.slack.open_views("U0MARIA")
                if v.get("callback_id") == "notif.settings"
            ]
        )
    )[-1]
    assert "8h" in str(view)  # the field shows its value as a duration, not "8.0" hours
    for bad in ("abc", "25", "-1", "25h"):
        refused = await maria.submit(view, _settings_values(**{settings_ui.TIMER_LIMIT_BLOCK: bad}))
        assert refused.json()["errors"] == {
            settings_ui.TIMER_LIMIT_BLOCK: "Give a duration up to 24 hours, e.g. 8h, 7h 30m or "
            "90m (0 turns the reminder off)."
        }
    await maria.submit(
        view,
        _settings_values(
            **{settings_ui.TIMER_LIMIT_BLOCK: "7.5", settings_ui.WORKDAY_END_BLOCK: "18:00"}
        ),
    )
    await eventually(
        lambda: any(
            "Timer reminder after 7 hours 30 minutes, and at 18:00" in m.text for m in dms(stack)
        )
    )
    link = await stack.runtime.services.active_link("T0ACME", "U0MARIA")
    settings = await stack.runtime.services.timers.settings(link)
    assert settings.timer_limit_minutes == 450 and settings.workday_end == "18:00"


async def test_a_one_minute_timer_reminder_reads_one_minute_in_settings(stack: Stack) -> None:
    """Issue 19 point 15: not "Timer reminder after 0.0166667 h"."""
    await linked(stack)
    maria = stack.user("U0MARIA")
    await maria.command("settings")
    view = (await eventually(lambda: _settings_views(stack)))[-1]
    await maria.submit(view, _settings_values(**{settings_ui.TIMER_LIMIT_BLOCK: "1m"}))
    await eventually(lambda: any("Timer reminder after 1 minute." in m.text for m in dms(stack)))
    assert not any("0.0166667" in m.text for m in dms(stack))
    before = len(_settings_views(stack))
    await maria.command("settings")
    reopened = (await eventually(lambda: _settings_views(stack)[before:]))[-1]
    limit = next(
        b for b in reopened["blocks"] if b.get("block_id") == settings_ui.TIMER_LIMIT_BLOCK
    )
    assert limit["element"]["initial_value"] == "1m"


def _settings_views(stack: Stack) -> list[dict[str, Any]]:
    return [
        v
        for v in stack.sandbox.slack.open_views("U0MARIA")
        if v.get("callback_id") == "notif.settings"
    ]


async def test_settings_quiet_hours_hold_then_digest(stack: Stack) -> None:
    await linked(stack)
    maria = stack.user("U0MARIA")  # Europe/Madrid
    await maria.command("settings")
    view = (
        await eventually(
            lambda: [
                v
                for v in stack.sandbox.slack.open_views("U0MARIA")
                if v.get("callback_id") == "notif.settings"
            ]
        )
    )[-1]
    half = _settings_values(**{settings_ui.QUIET_START_BLOCK: "22:00"})
    refused = await maria.submit(view, half)
    assert refused.json()["response_action"] == "errors"
    quiet = _settings_values(
        **{
            settings_ui.QUIET_START_BLOCK: "22:00",
            settings_ui.QUIET_END_BLOCK: "07:00",
            "status_change": "off",
        }
    )
    await maria.submit(view, quiet)
    await eventually(lambda: any("Saved" in m.text for m in dms(stack)))
    prefs = await stack.runtime.services.notifications.prefs("T0ACME", "U0MARIA")
    assert prefs.quiet_start == "22:00" and prefs.mode("status_change") == "off"

    night = datetime.now(UTC).replace(hour=22, minute=30)  # 23:30 in Madrid (CET)
    if night < datetime.now(UTC):
        night += timedelta(days=1)
    before = len(dms(stack))
    with time_machine.travel(night, tick=True):
        held = [
            stack.sandbox.astravue.add_notification(MARIA, "comment", f"night {i}", actor_id=DEV)
            for i in range(3)
        ]
        await _due_now(stack)
        await stack.runtime.services.poller.tick()
        assert len(dms(stack)) == before
        seen = await statuses(stack)
        assert {seen[n.notification_id] for n in held} == {DeliveryStatus.HELD}
    with time_machine.travel(night + timedelta(hours=9), tick=True):  # 08:30 in Madrid
        await _due_now(stack)
        await stack.runtime.services.poller.tick()
        assert len(dms(stack)) == before + 1
        assert "3 Astravue notifications" in dms(stack)[-1].text
        seen = await statuses(stack)
        assert {seen[n.notification_id] for n in held} == {DeliveryStatus.DIGESTED}


async def test_relink_dm_once_and_polling_stops(stack: Stack) -> None:
    await linked(stack)
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(
            update(AstravueLink).values(access_expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    assert stack.sandbox.keycloak.end_sessions("maria") >= 1
    for _ in range(2):
        await _due_now(stack)
        await stack.runtime.services.poller.tick()
    reconnects = [m for m in dms(stack) if "Reconnect" in text_of(payload_of(m))]
    assert len(reconnects) == 1
    async with stack.runtime.sessions() as session:
        link = (await session.scalars(select(AstravueLink))).one()
    assert link.status == LinkStatus.NEEDS_RELINK and link.relink_notified_at is not None
    assert await stack.runtime.services.poller.leases.claim(10) == []


async def test_scheduler_runs_the_tick(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    scheduler = start_scheduler(stack.runtime)
    try:
        assert {job.id for job in scheduler.get_jobs()} == {
            "notifications.tick",
            "feeds.tick",
            "timers.rescue",
            "prune",
        }
        await eventually(lambda: dms(stack), within=10)
    finally:
        scheduler.shutdown(wait=False)
    assert "unread" in dms(stack)[0].text
