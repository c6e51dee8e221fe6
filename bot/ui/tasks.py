"""Task cards, task lists, the agenda and the quick-capture preview.

Task URLs are defined once, in `bot.domain.tasks.task_url`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.astravue.models import TaskCheckListDto, TaskCommentDto, TaskDto
from bot.domain.calendar import show_day, show_wire_day
from bot.domain.tasks import TaskDraft, TaskTime, is_done, task_ref, task_url
from bot.parsing.durations import format_duration
from bot.ui.components import (
    MAX_MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    cap_blocks,
    confirm_dialog,
    context,
    escape,
    message,
    option,
    overflow,
    section,
    truncate,
    truncate_escaped,
)
from bot.ui.ids import Action

PRIORITY_ICONS = {
    "Critical": ":red_circle:",
    "High": ":large_orange_circle:",
    "Medium": ":large_yellow_circle:",
    "Low": ":white_circle:",
}
TITLE_IN_LIST = 200
DESCRIPTION_IN_CARD = 1500
MAX_LISTED_DETAILS = 5
LATEST_COMMENTS = 3
OVERFLOW_DELETE = "delete"

# --- the quick-capture draft ------------------------------------------------------------


def capture_preview(draft: TaskDraft, token: str) -> dict[str, Any]:
    """The ephemeral "here is what I understood" with Create, Edit in modal and Cancel."""
    where = (
        f"#{escape(draft.project_name or str(draft.project_id))}"
        if draft.project_id
        else "Personal task"
    )
    owners = ", ".join(escape(name) for _, name in draft.owners) or "you (unassigned)"
    fields = [
        f"*Where*\n{where}",
        f"*Owners*\n{truncate(owners, 1000)}",
        f"*Due*\n{show_day(draft.due) if draft.due else 'no date'}",
        f"*Priority*\n{escape(draft.priority or 'default')}",
        f"*Status*\n{escape(draft.status or 'default')}",
    ]
    if draft.start:
        fields.append(f"*Start*\n{show_day(draft.start)}")
    if draft.tags:
        fields.append("*Tags*\n" + truncate(" ".join(f"`{escape(t)}`" for t in draft.tags), 1000))
    blocks: list[Block] = [
        section(f"*New task:* {truncate_escaped(draft.title or '(no title)', 2800)}", fields=fields)
    ]
    if draft.description:
        blocks.append(context(truncate_escaped(draft.description, 2000)))
    for note in draft.notes[:5]:
        blocks.append(context(f":information_source: {escape(note)}"))
    for index, pick in enumerate(draft.picks[:5]):
        what = "project" if pick.kind == "project" else "person"
        select = {
            "type": "static_select",
            "action_id": Action.TASK_PICK,
            "placeholder": {"type": "plain_text", "text": f"Choose the {what}"},
            "options": [
                option(label, f"{token}|{index}|{value}") for label, value in pick.choices[:100]
            ],
        }
        blocks.append(
            section(
                f":question: Which {what} did you mean by *{truncate_escaped(pick.word, 200)}*?",
                accessory=select,
                block_id=f"pick-{index}",
            )
        )
    controls = [
        button("Create", Action.TASK_CREATE_CONFIRM, token, style="primary"),
        button("Edit in modal", Action.TASK_CREATE_EDIT, token),
        button("Cancel", Action.TASK_CREATE_CANCEL, token),
    ]
    if draft.picks:
        controls = controls[1:]  # answer the questions first
    blocks.append(actions(*controls))
    return message(f"New task: {truncate(draft.title, 200)}", blocks)


# --- cards ------------------------------------------------------------------------------


def _due_text(task: TaskDto) -> str:
    return show_wire_day(task.due_date, "no due date")  # a date: the same day for everyone


def _owners_text(task: TaskDto) -> str:
    names = [escape(o.display_name) for o in task.owners]
    return truncate(", ".join(names), 500) if names else "nobody"


def linked_title(task: TaskDto, *, app_url: str, title_limit: int = TITLE_IN_LIST) -> str:
    """The task's title in bold, linked to Astravue; ✅ first when it is done."""
    title = truncate_escaped(task.task_title or "(untitled)", title_limit).replace("|", "¦")
    done = ":white_check_mark: " if is_done(task) else ""
    return f"{done}*<{task_url(app_url, task_ref(task))}|{title}>*"


def task_facts(task: TaskDto) -> str:
    """Status · priority · due: what a list shows under each title."""
    icon = PRIORITY_ICONS.get(task.priority_label or "", "")
    return (
        f"{escape(task.status_name or 'no status')} · {icon} "
        f"{escape(task.priority_label or 'no priority')} · due {_due_text(task)}"
    )


def task_line(task: TaskDto, *, app_url: str, title_limit: int = TITLE_IN_LIST) -> str:
    """One mrkdwn line: linked title, status, priority, due date."""
    return (
        f"{linked_title(task, app_url=app_url, title_limit=title_limit)} `#{task.task_id}`\n"
        f"{task_facts(task)} · {_owners_text(task)}"
    )


def completed_note(logged: timedelta | None) -> str:
    if logged is None:
        return ":tada: Completed."
    return (
        f":tada: Completed. Its timer was running, so I stopped it first and logged "
        f"{format_duration(logged)}."
    )


def task_actions(task: TaskDto, *, app_url: str, block_id: str | None = None) -> Block:
    """Complete and Start timer only while the task is open; Delete sits in the overflow."""
    value = task_ref(task).encode()
    elements: list[dict[str, Any]] = []
    if not is_done(task):
        elements += [
            button("Complete", Action.TASK_COMPLETE, value, style="primary"),
            button("Start timer", Action.TIMER_START, value),
        ]
    elements += [
        button("Edit", Action.TASK_EDIT, value),
        button("Open in Astravue", Action.OPEN_URL, value, url=task_url(app_url, task_ref(task))),
        overflow(Action.TASK_OVERFLOW, [("Delete…", f"{OVERFLOW_DELETE}|{value}")]),
    ]
    return actions(*elements, block_id=block_id)


def task_card(
    task: TaskDto,
    *,
    app_url: str,
    subtasks: list[TaskDto] | None = None,
    checklist: list[TaskCheckListDto] | None = None,
    comments: list[TaskCommentDto] | None = None,
    note: str | None = None,
    my_time: TaskTime | None = None,
) -> list[Block]:
    """A full card: header facts, description and (when given) subtasks, checklist, comments
    and the reader's time on the task."""
    blocks: list[Block] = []
    if note:
        blocks.append(section(note))
    fields = [
        f"*Status*\n{escape(task.status_name or 'none')}",
        f"*Priority*\n{escape(task.priority_label or 'none')}",
        f"*Owners*\n{_owners_text(task)}",
        f"*Due*\n{_due_text(task)}",
    ]
    if task.start_date:
        fields.append("*Start*\n" + show_wire_day(task.start_date, "none"))
    if task.tags:
        fields.append("*Tags*\n" + truncate(" ".join(f"`{escape(t)}`" for t in task.tags), 1000))
    blocks.append(
        section(task_line(task, app_url=app_url, title_limit=2000).split("\n")[0], fields=fields)
    )
    if task.description:
        blocks.append(section(truncate_escaped(task.description, DESCRIPTION_IN_CARD)))
    details: list[str] = []
    if subtasks:
        done = sum(1 for s in subtasks if is_done(s))
        names = ", ".join(
            f"{truncate_escaped(s.task_title, 80)} (#{s.task_id})"
            for s in subtasks[:MAX_LISTED_DETAILS]
        )
        details.append(
            f"*Subtasks* {done}/{len(subtasks)} done: {names}"
            + _more(len(subtasks) - MAX_LISTED_DETAILS)
        )
    if checklist:
        ticked = sum(1 for c in checklist if c.completed)
        details.append(f"*Checklist* {ticked}/{len(checklist)} done")
    if my_time is not None and my_time.total:
        details.append(
            f"*Your time* today {format_duration(my_time.today)} · total "
            f"{format_duration(my_time.total)} (`/astravue time {task.task_id}`)"
        )
    if comments and len(comments) > LATEST_COMMENTS:
        details.append(f"…and {len(comments) - LATEST_COMMENTS} earlier comments")
    for comment in (comments or [])[-LATEST_COMMENTS:]:
        who = (
            truncate_escaped(comment.created_by.display_name, 100)
            if comment.created_by
            else "someone"
        )
        details.append(f"*{who}:* {truncate_escaped(comment.comment, 300)}")
    if details:
        blocks.append(context(*details))
    blocks.append(task_actions(task, app_url=app_url))
    return blocks


def _more(count: int) -> str:
    return f" and {count} more" if count > 0 else ""


def task_message(
    task: TaskDto, *, app_url: str, note: str | None = None, **details: Any
) -> dict[str, Any]:
    return message(
        f"Task: {truncate(task.task_title, 200)}",
        task_card(task, app_url=app_url, note=note, **details),
    )


_THREAD_REFUSALS = {
    "not_in_channel": "I'm not a member of that channel. To get replies there, add me to it: "
    "`/invite @Astravue`",
    "channel_not_found": "I'm not a member of that channel (or it is private). To get replies "
    "there, add me to it: `/invite @Astravue`",
    "is_archived": "that channel is archived",
}


def thread_refused(payload: dict[str, Any], channel: str, error: str) -> dict[str, Any]:
    """A form's result that Slack wouldn't post in its thread, for the user alone: the work
    is done, only the thread reply is missing, and this says why."""
    why = _THREAD_REFUSALS.get(error, f"Slack refused it ({escape(error)})")
    notice = context(
        f":information_source: Done, but I couldn't reply in the thread in "
        f"<#{escape(channel)}>: {why}."
    )
    return {
        **payload,
        "blocks": cap_blocks([notice, *(payload.get("blocks") or [])], MAX_MESSAGE_BLOCKS),
    }


def task_gone(note: str) -> dict[str, Any]:
    """The card after its task disappeared: words only, every button removed."""
    return message(note, [section(f":wastebasket: {note}")])


DELETE_WARNING = (
    "This also deletes its subtasks, checklist items, comments and time entries. "
    "It cannot be undone."
)


def delete_confirmation(task: TaskDto, *, app_url: str) -> dict[str, Any]:
    value = task_ref(task).encode()
    title = truncate_escaped(task.task_title, 150)
    dialog = confirm_dialog(
        "Delete this task?",
        f"*{title}* and its subtasks, checklist and comments will be gone for everyone.",
        "Delete",
        "Keep it",
        danger=True,
    )
    blocks = [
        section(f":warning: Delete {task_line(task, app_url=app_url)}"),
        context(DELETE_WARNING),
        actions(
            button(
                "Delete task", Action.TASK_DELETE_CONFIRM, value, style="danger", confirm=dialog
            ),
            button("Keep it", Action.TASK_REFRESH, value),
        ),
    ]
    return message(f"Delete task {task.task_id}?", blocks)
