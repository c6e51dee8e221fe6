"""Tasks end to end: quick capture, the form, lists, cards and their buttons, over HTTP."""

from __future__ import annotations

from bot.domain.tasks import TaskRef
from bot.sandbox.stack import Stack
from bot.ui.ids import Action
from tests.scenario.conftest import buttons, connect, eventually, last_response, text_of


def _task_titled(stack: Stack, title: str):  # type: ignore[no-untyped-def]
    return next((t for t in stack.sandbox.astravue.tasks.values() if t.title == title), None)


async def test_quick_capture_previews_then_creates_in_the_project(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("task new Fix signup form #Website @dev fri p1 +backend")
    preview = await last_response(stack, "U0MARIA", before)
    shown = text_of(preview)
    assert "Fix signup form" in shown and "#Website" in shown and "Dev Patel" in shown
    assert "Critical" in shown and "backend" in shown
    assert _task_titled(stack, "Fix signup form") is None  # nothing created before Create
    create = buttons(preview)[Action.TASK_CREATE_CONFIRM]

    before = len(stack.sandbox.slack.responses)
    await maria.click(Action.TASK_CREATE_CONFIRM, create["value"], message=preview)
    card = await last_response(stack, "U0MARIA", before)
    task = _task_titled(stack, "Fix signup form")
    assert task is not None and task.project_id is not None and task.owner_ids == [2]
    assert task.tags == ["backend"] and task.due_date is not None
    assert stack.sandbox.astravue.priority_of(task).label == "Critical"
    assert task.due_date.weekday() in (4, 5)  # Friday 23:59 Madrid is Friday evening UTC
    assert "Created" in text_of(card)
    assert (
        buttons(card)[Action.TIMER_START]["value"]
        == TaskRef(task.task_id, task.space_id, task.project_id).encode()
    )


async def test_list_show_complete_and_delete_from_cards(stack: Stack) -> None:
    await connect(stack, "U0DEV")
    dev = stack.user("U0DEV")
    before = len(stack.sandbox.slack.responses)
    await dev.command("task list #Website")
    listing = await last_response(stack, "U0DEV", before)
    assert "Fix login redirect loop" in text_of(listing)
    assert "Migrate blog to new CMS" not in text_of(listing)  # done tasks are not listed

    login = _task_titled(stack, "Fix login redirect loop")
    assert login is not None
    before = len(stack.sandbox.slack.responses)
    await dev.command(f"task show {login.task_id}")  # a bare id of a project task
    card = text_of(await last_response(stack, "U0DEV", before))
    assert "Subtasks* 1/2 done" in card and "Checklist* 1/2 done" in card
    assert "Safari 17" in card  # latest comments

    before = len(stack.sandbox.slack.responses)
    rfc_id = _task_titled(stack, "Read the caching RFC").task_id
    url = f"{stack.settings.astravue_app_url}/tasks/{rfc_id}"
    await dev.command(f"task show {url}")
    shown = await last_response(stack, "U0DEV", before)
    complete = buttons(shown)[Action.TASK_COMPLETE]
    before = len(stack.sandbox.slack.responses)
    await dev.click(Action.TASK_COMPLETE, complete["value"], message=shown)
    done = await last_response(stack, "U0DEV", before)
    rfc = _task_titled(stack, "Read the caching RFC")
    assert stack.sandbox.astravue.status_of(rfc).category == "done"
    assert Action.TASK_COMPLETE not in buttons(done) and Action.TIMER_START not in buttons(done)

    before = len(stack.sandbox.slack.responses)
    await dev.click(
        Action.TASK_OVERFLOW,
        message=done,
        action_type="overflow",
        selected_option={"value": f"delete|{complete['value']}"},
    )
    confirm = await last_response(stack, "U0DEV", before)
    assert "cannot be undone" in text_of(confirm)
    before = len(stack.sandbox.slack.responses)
    await dev.click(Action.TASK_DELETE_CONFIRM, complete["value"], message=confirm)
    gone = await last_response(stack, "U0DEV", before)
    assert _task_titled(stack, "Read the caching RFC") is None
    assert "deleted" in text_of(gone) and not buttons(gone)

    before = len(stack.sandbox.slack.responses)  # the stale card: 404 removes its buttons
    await dev.click(Action.TASK_COMPLETE, complete["value"], message=shown)
    stale = await last_response(stack, "U0DEV", before)
    assert "no longer exists" in text_of(stale) and not buttons(stale)


async def test_agenda_search_todo_and_role_errors(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("my")
    agenda = text_of(await last_response(stack, "U0MARIA", before))
    # Empty groups are hidden, so the overdue group ends where the next one begins.
    assert agenda.index("Overdue") < agenda.index("Renew passport") < agenda.index("Upcoming")
    assert "Review Q3 budget" in agenda.split("Renew passport")[1]
    assert "Fix login redirect loop" not in agenda  # Dev's task

    before = len(stack.sandbox.slack.responses)
    await maria.command("task search cookie")
    assert "Add cookie consent banner" in text_of(await last_response(stack, "U0MARIA", before))

    before = len(stack.sandbox.slack.responses)
    await maria.command("todo Call the bank <!channel> tomorrow #nowhere")
    preview = await last_response(stack, "U0MARIA", before)
    assert "&lt;!channel&gt;" in text_of(preview) and "<!channel>" not in text_of(preview)
    await maria.click(
        Action.TASK_CREATE_CONFIRM,
        buttons(preview)[Action.TASK_CREATE_CONFIRM]["value"],
        message=preview,
    )
    todo = await eventually(lambda: _task_titled(stack, "Call the bank <!channel> #nowhere"))
    assert todo.project_id is None and todo.due_date is not None

    await connect(stack, "U0GINA")  # a Guest may not create tasks
    gina = stack.user("U0GINA")
    before = len(stack.sandbox.slack.responses)
    await gina.command("todo Plan things")
    preview = await last_response(stack, "U0GINA", before)
    before = len(stack.sandbox.slack.responses)
    await gina.click(
        Action.TASK_CREATE_CONFIRM,
        buttons(preview)[Action.TASK_CREATE_CONFIRM]["value"],
        message=preview,
    )
    refusal = text_of(await last_response(stack, "U0GINA", before))
    assert "role" in refusal and "Members and Admins" in refusal


async def test_form_with_project_select_and_message_shortcut(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    await maria.command("task")
    view = (
        await eventually(
            lambda: [
                v
                for v in stack.sandbox.slack.open_views("U0MARIA")
                if v.get("callback_id") == "task.create"
            ]
        )
    )[-1]
    options = (await maria.suggest(Action.SELECT_PROJECT, "mob", view=view)).json()["options"]
    assert [o["text"]["text"] for o in options] == ["Engineering / Mobile App"]
    values = {"title": {"value": {"type": "plain_text_input", "value": ""}}}
    response = await maria.submit(view, values)
    assert response.json()["response_action"] == "errors"  # inline, on the title
    values = {
        "title": {"value": {"type": "plain_text_input", "value": "Tablet layout"}},
        "project": {
            Action.SELECT_PROJECT: {"type": "external_select", "selected_option": options[0]}
        },
        "owners": {
            "value": {"type": "multi_users_select", "selected_users": ["U0MARIA", "U0NOBODY"]}
        },
        "due": {"value": {"type": "datepicker", "selected_date": "2030-01-15"}},
        "priority": {"value": {"type": "static_select", "selected_option": {"value": "High"}}},
    }
    await maria.submit(view, values)
    task = await eventually(lambda: _task_titled(stack, "Tablet layout"))
    assert task.owner_ids == [1] and task.project_id is not None
    note = await eventually(
        lambda: [
            e
            for e in stack.sandbox.slack.ephemerals_for("U0MARIA")
            if "Tablet layout" in text_of(e.as_slack())
        ]
    )
    told_who = text_of(note[-1].as_slack())  # who couldn't be mapped, by name, not pinged
    assert "Not assigned: No Body" in told_who and "<@U0NOBODY" not in told_who

    posted = await stack.runtime.slack.chat_postMessage(
        channel="C0GENERAL", text="Customers can't reset passwords"
    )
    message = {
        "type": "message",
        "ts": posted["ts"],
        "text": "Customers can't reset passwords",
        "user": "U0DEV",
    }
    await maria.shortcut("create_task_from_message", message, channel_id="C0GENERAL")
    form = (
        await eventually(
            lambda: [
                v
                for v in stack.sandbox.slack.open_views("U0MARIA")
                if v.get("callback_id") == "task.create" and "reset passwords" in str(v)
            ]
        )
    )[-1]
    assert "Mobile App" in str(form)  # the channel's last-used project is preselected
    await maria.submit(
        form,
        {
            "title": {"value": {"type": "plain_text_input", "value": "Password reset broken"}},
            "project": {
                Action.SELECT_PROJECT: {"type": "external_select", "selected_option": options[0]}
            },
        },
    )
    created = await eventually(lambda: _task_titled(stack, "Password reset broken"))
    assert "From Slack:" in created.description
    reply = await eventually(
        lambda: [
            m for m in stack.sandbox.slack.messages_in("C0GENERAL") if m.thread_ts == posted["ts"]
        ]
    )
    assert "Password reset broken" in text_of(reply[-1].as_slack())
