"""Issue 19, the conversation: nothing lost between the preview and the form, typos answered
in one line, durations in words, mute undone, help, and dates as calendar dates."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.calendar import wire_to_day
from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from bot.ui.notifications import OVERFLOW_DELETE, OVERFLOW_DIGEST_PROJECT, OVERFLOW_MUTE
from tests.scenario.conftest import buttons, connect, eventually, last_response, text_of
from tests.scenario.test_notifications import _one_new_dm, dms, linked, payload_of
from tests.scenario.test_safe_writes import as_slack_sends
from tests.scenario.test_spaces import modal_with, project_named, told
from tests.scenario.test_tasks import _task_titled
from tests.scenario.test_timers import entries_of, run, task_ref

MARIA, DEV = 1, 2


async def test_edit_in_modal_keeps_every_field_of_the_draft(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("task new Write tests #Website @dev fri p2 +qa")
    preview = await last_response(stack, "U0MARIA", before)
    assert "Dev Patel" in text_of(preview)
    edit = buttons(preview)[Action.TASK_CREATE_EDIT]
    await maria.click(Action.TASK_CREATE_EDIT, edit["value"], message=preview)
    form = await modal_with(stack, "U0MARIA", Callback.TASK_CREATE)
    fields = {b["block_id"]: b.get("element") or {} for b in form["blocks"]}
    assert fields["owners"]["initial_users"] == ["U0DEV"]
    assert fields["project"]["initial_option"]["text"]["text"].endswith("Website")
    assert fields["priority"]["initial_option"]["value"] == "High"
    assert fields["due"]["initial_date"] and fields["tags"]["initial_value"] == "qa"

    changed = {"title": {"value": "Write more tests"}}
    await maria.submit(form, as_slack_sends(form, changed))
    await told(stack, "U0MARIA", "Created")
    task = _task_titled(stack, "Write more tests")
    website = project_named(stack, "Website")
    assert task is not None and website is not None
    assert task.owner_ids == [DEV]  # not the author
    assert task.project_id == website.project_id and task.tags == ["qa"]
    assert stack.sandbox.astravue.priority_of(task).label == "High"
    assert task.due_date is not None


async def test_owners_the_picker_cannot_show_are_kept_unless_changed(stack: Stack) -> None:
    state = stack.sandbox.astravue
    state.add_user(6, 1, "Olga", "Offline", "olga@elsewhere.test", "Member")
    state.create_task(1, "Intro call", owners=[6])  # so the directory knows Olga
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("task new Plan offsite @olga")
    preview = await last_response(stack, "U0MARIA", before)
    await maria.click(
        Action.TASK_CREATE_EDIT, buttons(preview)[Action.TASK_CREATE_EDIT]["value"], message=preview
    )
    form = await modal_with(stack, "U0MARIA", Callback.TASK_CREATE)
    owners = next(b for b in form["blocks"] if b["block_id"] == "owners")
    assert "initial_users" not in owners["element"] and "Olga Offline" in owners["hint"]["text"]
    await maria.submit(form, as_slack_sends(form, {}))
    await told(stack, "U0MARIA", "Created")
    task = _task_titled(stack, "Plan offsite")
    assert task is not None and task.owner_ids == [6]


async def test_a_mistyped_sub_command_answers_in_one_line_and_runs_when_asked(
    stack: Stack,
) -> None:
    await connect(stack, "U0MARIA")
    task = _task_titled(stack, "Update pricing page copy")
    assert task is not None
    maria = stack.user("U0MARIA")
    answer = (await maria.command(f"task shwo {task.task_id}")).json()
    said = text_of(answer)
    assert f"Did you mean `/astravue task show {task.task_id}`?" in said
    assert "New task" not in said and "/astravue task new" not in said  # not a title, no help
    assert len(answer["blocks"]) == 1
    run_it = buttons(answer)[Action.RUN_COMMAND]
    assert run_it["text"]["text"] == "Run it"

    before = len(stack.sandbox.slack.responses)
    await maria.click(Action.RUN_COMMAND, run_it["value"], message=answer)
    card = await last_response(stack, "U0MARIA", before)
    assert "Update pricing page copy" in text_of(card)
    assert Action.TASK_COMPLETE in buttons(card) or Action.TASK_OVERFLOW in buttons(card)

    two = (await maria.command("timer stpo")).json()
    runs = {b["value"]: b for b in _all_buttons(two)}
    assert set(runs) == {"timer stop", "timer status"} and len(two["blocks"]) == 2
    status = runs["timer status"]
    before = len(stack.sandbox.slack.responses)
    await maria.click(status["action_id"], status["value"], message=two)
    answer = text_of(await last_response(stack, "U0MARIA", before))
    assert "timer" in answer.lower() and "Did you mean" not in answer

    unknown = (await maria.command("frobnicate the thing")).json()
    assert "I don't know `frobnicate`" in text_of(unknown) and len(unknown["blocks"]) == 1


async def test_durations_in_words_and_failures_that_blame_their_part(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    passport = task_ref(stack, "Renew passport")
    for form, shown in (
        ("90 minutes", "1h 30m"),
        ("2 hours", "2h"),
        ("1 hour 30 minutes", "1h 30m"),
    ):
        reply = text_of(await run(stack, f"log {form} {passport.task_id}"))
        assert f"Logged *{shown}*" in reply, (form, reply)
    assert len(entries_of(stack, passport)) == 3

    duration = text_of(await run(stack, f"log 90 minuets {passport.task_id}"))
    assert "`90 minuets` as a duration" in duration and "Nothing was logged" in duration
    date = text_of(await run(stack, f"log 2 hours {passport.task_id} on 31/13"))
    assert "`31/13` as a date" in date and "duration" not in date
    task = text_of(await run(stack, "log 2 hours Nonexistent chore"))
    assert "No task matches" in task and "Nonexistent chore" in task
    assert len(entries_of(stack, passport)) == 3


def _settings_modal(stack: Stack) -> dict[str, Any] | None:
    views = stack.sandbox.slack.open_views("U0MARIA")
    found = [v for v in views if v.get("callback_id") == Callback.NOTIF_SETTINGS]
    return found[-1] if found else None


async def test_mute_turns_the_dm_into_muted_with_unmute_and_settings_lists_it(
    stack: Stack,
) -> None:
    await linked(stack)
    maria = stack.user("U0MARIA")
    task = next(
        t for t in stack.sandbox.astravue.tasks.values() if t.project_id and MARIA in t.owner_ids
    )
    _, dm = await _one_new_dm(
        stack, type_="comment", message="Dev commented", actor_id=DEV, task_id=task.task_id
    )
    menu = buttons(payload_of(dm))[Action.NOTIF_OVERFLOW]
    mute = next(o for o in menu["options"] if o["value"].startswith(OVERFLOW_MUTE))
    await maria.click(
        Action.NOTIF_OVERFLOW, message=payload_of(dm), selected_option=mute, action_type="overflow"
    )
    muted_dm = await eventually(
        lambda: Action.NOTIF_UNMUTE in buttons(payload_of(dms(stack)[-1])) and dms(stack)[-1]
    )
    shown = payload_of(muted_dm)
    assert "Muted" in text_of(shown) and "Dev commented" in text_of(shown)
    assert Action.NOTIF_OVERFLOW not in buttons(shown)  # nothing else to do while muted

    await maria.command("settings")
    modal = await eventually(lambda: _settings_modal(stack))
    row = next(b for b in modal["blocks"] if b.get("block_id") == f"muted_t_{task.task_id}")
    assert task.title in row["text"]["text"] and row["accessory"]["text"]["text"] == "Unmute"

    await maria.click(
        Action.NOTIF_UNMUTE, buttons(shown)[Action.NOTIF_UNMUTE]["value"], message=shown
    )
    restored = await eventually(
        lambda: Action.NOTIF_OVERFLOW in buttons(payload_of(dms(stack)[-1])) and dms(stack)[-1]
    )
    assert "Muted" not in text_of(payload_of(restored))
    _, dm = await _one_new_dm(  # delivered again: the task is no longer muted
        stack, type_="comment", message="Dev again", actor_id=DEV, task_id=task.task_id
    )

    menu = buttons(payload_of(dm))[Action.NOTIF_OVERFLOW]
    digest = next(o for o in menu["options"] if o["value"].startswith(OVERFLOW_DIGEST_PROJECT))
    before = len(stack.sandbox.slack.responses)
    await maria.click(
        Action.NOTIF_OVERFLOW,
        message=payload_of(dm),
        selected_option=digest,
        action_type="overflow",
    )
    said = await last_response(stack, "U0MARIA", before)
    assert "digest" in text_of(said)
    undo = buttons(said)[Action.SETTINGS_UNMUTE]
    before = len(stack.sandbox.slack.responses)
    await maria.click(Action.SETTINGS_UNMUTE, undo["value"], message=said)
    assert "Undone" in text_of(await last_response(stack, "U0MARIA", before))
    await _one_new_dm(  # right away again, not held for a digest
        stack, type_="comment", message="Dev once more", actor_id=DEV, task_id=task.task_id
    )


async def test_unmute_from_settings_and_notification_deleted_wording(stack: Stack) -> None:
    await linked(stack)
    maria = stack.user("U0MARIA")
    task = next(
        t for t in stack.sandbox.astravue.tasks.values() if t.project_id and MARIA in t.owner_ids
    )
    notifications = stack.runtime.services.notifications
    await notifications.mute_task("T0ACME", "U0MARIA", task.task_id)
    await notifications.digest_project("T0ACME", "U0MARIA", task.project_id)
    await maria.command("settings")
    modal = await eventually(lambda: _settings_modal(stack))
    project_row = next(b for b in modal["blocks"] if b.get("block_id", "").startswith("muted_p_"))
    assert "digest only" in project_row["text"]["text"]
    await maria.click(
        Action.SETTINGS_UNMUTE,
        f"t:{task.task_id}",
        view=modal,
        block_id=f"muted_t_{task.task_id}",
    )
    updated = await eventually(
        lambda: "unmuted" in str(_settings_modal(stack)) and _settings_modal(stack)
    )
    assert Action.SETTINGS_UNMUTE in str(updated)  # the project row is still there
    await maria.click(
        Action.SETTINGS_UNMUTE,
        f"p:{task.project_id}",
        view=updated,
        block_id=f"muted_p_{task.project_id}",
    )
    await eventually(lambda: Action.SETTINGS_UNMUTE not in str(_settings_modal(stack)))
    _, dm = await _one_new_dm(
        stack, type_="comment", message="Heard again", actor_id=DEV, task_id=task.task_id
    )

    menu = buttons(payload_of(dm))[Action.NOTIF_OVERFLOW]
    delete = next(o for o in menu["options"] if o["value"].startswith(OVERFLOW_DELETE))
    await maria.click(
        Action.NOTIF_OVERFLOW,
        message=payload_of(dm),
        selected_option=delete,
        action_type="overflow",
    )
    gone = await eventually(
        lambda: "Notification deleted." in text_of(payload_of(dms(stack)[-1])) and dms(stack)[-1]
    )
    assert "Deleted in Astravue" not in text_of(payload_of(gone))


async def test_help_is_short_with_area_buttons_and_knows_who_is_connected(stack: Stack) -> None:
    maria = stack.user("U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("help")
    newcomer = text_of(await last_response(stack, "U0MARIA", before))
    assert "New here?" in newcomer and "/astravue connect" in newcomer

    await connect(stack, "U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("help")
    short = await last_response(stack, "U0MARIA", before)
    said = text_of(short)
    assert "New here?" not in said and "_(also" not in said
    commands = [line for line in said.split("\n") if line.startswith("`/astravue ")]
    assert 8 <= len(commands) <= 12, commands
    areas = {b["text"]["text"]: b for b in _all_buttons(short)}
    assert {"Tasks", "Timers and time", "Notifications", "Spaces and projects"} <= set(areas)

    before = len(stack.sandbox.slack.responses)
    tasks = areas["Tasks"]
    await maria.click(tasks["action_id"], tasks["value"], message=short)
    area = text_of(await last_response(stack, "U0MARIA", before))
    assert "/astravue task assign" in area and "_(also" in area and "`ls`" in area

    unknown = (await maria.command("help frobs")).json()
    assert "no help on `frobs`" in text_of(unknown)
    assert "Tasks" in {b["text"]["text"] for b in _all_buttons(unknown)}
    close = text_of((await maria.command("help taks")).json())
    assert "Did you mean `/astravue help task" in close


def _all_buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in payload.get("blocks") or []
        for element in block.get("elements") or []
        if element.get("type") == "button"
    ]


async def _connect_in_acme(stack: Stack, user: str) -> None:
    await connect(stack, user)
    if not (await stack.runtime.services.active_link("T0ACME", user)).org_id:
        await run(stack, "org 1", user=user)


def _field(card: dict[str, Any], name: str) -> str:
    for block in card.get("blocks") or []:
        for item in block.get("fields") or []:
            if item["text"].startswith(f"*{name}*"):
                return str(item["text"].split("\n", 1)[1])
    raise AssertionError(f"no {name} field in {text_of(card)}")


async def test_due_and_start_are_the_same_calendar_day_in_every_zone(stack: Stack) -> None:
    slack = stack.sandbox.slack
    slack.users["U0DEV"].tz = "America/Los_Angeles"  # UTC-8
    slack.users["U0SAM"].tz = "Asia/Tokyo"  # UTC+9
    slack.users["U0MARIA"].tz = "UTC"
    for user in ("U0MARIA", "U0DEV", "U0SAM"):
        await _connect_in_acme(stack, user)
    maria = stack.user("U0MARIA")
    before = len(slack.responses)
    await maria.command("task new Release notes #Website @sam fri")
    preview = await last_response(stack, "U0MARIA", before)
    friday = _field(preview, "Due")
    assert friday.startswith("Fri ") and "<!date" not in friday
    before = len(slack.responses)
    create = buttons(preview)[Action.TASK_CREATE_CONFIRM]
    await maria.click(Action.TASK_CREATE_CONFIRM, create["value"], message=preview)
    await last_response(stack, "U0MARIA", before)
    task = _task_titled(stack, "Release notes")
    assert task is not None and task.due_date is not None

    for reader in ("U0MARIA", "U0DEV", "U0SAM"):  # UTC, UTC-8, UTC+9: the same Friday
        card = await run(stack, f"task show {task.task_id}", user=reader)
        assert _field(card, "Due") == friday, reader
        assert not re.search(r"\|\d{9,}>", json.dumps(card)), "a raw epoch in a fallback"

    # Start and due set from the form; Sam (Tokyo) then edits only the priority.
    await maria.command(f"task edit {task.task_id}")
    form = await modal_with(stack, "U0MARIA", Callback.TASK_EDIT)
    begin = (wire_to_day(task.due_date) or date.today()) - timedelta(days=3)
    await maria.submit(form, as_slack_sends(form, {"start": {"selected_date": begin.isoformat()}}))
    await eventually(lambda: task.start_date is not None)
    start, due = task.start_date, task.due_date
    sam = stack.user("U0SAM")
    await sam.command(f"task edit {task.task_id}")
    form = await modal_with(stack, "U0SAM", Callback.TASK_EDIT)
    fields = {b["block_id"]: b.get("element") or {} for b in form["blocks"]}
    assert fields["start"]["initial_date"] == begin.isoformat()
    high = {"selected_option": {"value": "High", "text": {"type": "plain_text", "text": "High"}}}
    await sam.submit(form, as_slack_sends(form, {"priority": high}))
    await eventually(lambda: stack.sandbox.astravue.priority_of(task).label == "High")
    assert task.start_date == start and task.due_date == due


async def test_the_agenda_files_a_task_due_today_under_today_in_each_zone(stack: Stack) -> None:
    slack = stack.sandbox.slack
    zones = {"U0DEV": "America/Los_Angeles", "U0SAM": "Asia/Tokyo", "U0MARIA": "UTC"}
    people = {"U0MARIA": MARIA, "U0DEV": DEV, "U0SAM": 3}
    for user, zone in zones.items():
        slack.users[user].tz = zone
        await _connect_in_acme(stack, user)
    for user, zone in zones.items():
        today = datetime.now(ZoneInfo(zone)).date()
        title = f"Chore of {user}"
        # written by someone in another zone: Maria's `task due` with the reader's date
        stack.sandbox.astravue.create_task(MARIA, title, owners=[people[user]])
        made = _task_titled(stack, title)
        assert made is not None
        await run(stack, f"task due {made.task_id} {today.isoformat()}")
        agenda = text_of(await run(stack, "my", user=user))
        today_part = agenda.split("Due today")[1].split("Upcoming")[0]
        assert title in today_part, (user, agenda)
