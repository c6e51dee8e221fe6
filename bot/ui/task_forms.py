"""The task create/edit modal, its loading view and the options of its external selects."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain.tasks import TaskDraft
from bot.ui.components import Block, context, escape, modal, option, plain, section, truncate
from bot.ui.ids import Action, Callback

TITLE, DESCRIPTION, SPACE, PROJECT, OWNERS = "title", "description", "space", "project", "owners"
START, DUE, PRIORITY, STATUS, TAGS = "start", "due", "priority", "status", "tags"
VALUE = "value"  # the action id of every plain input
PRIORITIES = ("Low", "Medium", "High", "Critical")
# The project option that makes a personal task: a chosen external select cannot be emptied.
NO_PROJECT = ("No project (personal task)", "personal")
TITLE_MAX = 500
# Astravue's field names (400 errors) -> the block that shows them
FIELD_BLOCKS = {
    "taskTitle": TITLE,
    "description": DESCRIPTION,
    "owners": OWNERS,
    "startDate": START,
    "dueDate": DUE,
    "priority": PRIORITY,
    "status": STATUS,
    "tags": TAGS,
}


def loading_view(title: str) -> dict[str, Any]:
    return modal(
        title, [section(":hourglass_flowing_sand: Loading…")], callback_id=Callback.LOADING
    )


def input_block(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = True,
    hint: str | None = None,
    dispatch: bool = False,
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    if dispatch:
        block["dispatch_action"] = True
    return block


def static_select(options: list[str], initial: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": VALUE,
        "options": [option(o, o) for o in options[:100]],
    }
    if initial in options:
        element["initial_option"] = option(initial, initial)
    return element


def date_picker(initial: date | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker", "action_id": VALUE}
    if initial:
        element["initial_date"] = initial.isoformat()
    return element


def task_form(
    draft: TaskDraft,
    *,
    metadata: str,
    statuses: list[str],
    editing: bool = False,
    space: tuple[str, str] | None = None,
    project: tuple[str, str] | None = None,
    owner_names: list[str] | None = None,
    owner_slack_ids: list[str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The create (or, with `editing`, edit) form. `space`/`project` are (label, value) of the
    preselected options; `owner_slack_ids` pre-fill the owners picker and `owner_names` are
    the owners it cannot show (no Slack user found for them); `errors` by block id are shown
    under their field (Astravue's 400)."""
    title_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": VALUE,
        "max_length": TITLE_MAX,
        "initial_value": truncate(draft.title, TITLE_MAX),
    }
    description: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": VALUE,
        "multiline": True,
        "max_length": 3000,
        "initial_value": truncate(draft.description or "", 3000),
    }
    blocks: list[Block] = [
        input_block(TITLE, "Title", title_input, optional=False),
        input_block(DESCRIPTION, "Description", description),
    ]
    if not editing:
        space_select: dict[str, Any] = {
            "type": "external_select",
            "action_id": Action.SELECT_SPACE,
            "min_query_length": 0,
            "placeholder": plain("Personal task (no space)"),
        }
        project_select: dict[str, Any] = {
            "type": "external_select",
            "action_id": Action.SELECT_PROJECT,
            "min_query_length": 0,
            "placeholder": plain("Search projects"),
        }
        if space:
            space_select["initial_option"] = option(*space)
        personal = "Leave empty for a personal task."
        if project:  # Slack cannot empty a chosen select: name the option that does
            project_select["initial_option"] = option(*project)
            personal = f"For a personal task, choose “{NO_PROJECT[0]}”."
        blocks += [
            input_block(SPACE, "Space", space_select),
            input_block(
                PROJECT,
                "Project",
                project_select,
                hint=f"{personal} Projects of the chosen space are listed first.",
            ),
        ]
    owners_hint = (
        "People without a connected Astravue account or a matching email can't "
        "be assigned; you'll be told who."
    )
    if owner_names:
        owners_hint = (
            "Also owned by "
            + truncate(", ".join(owner_names), 500)
            + " (not on Slack): kept unless you change the owners. "
            + owners_hint
        )
    owners_select: dict[str, Any] = {"type": "multi_users_select", "action_id": VALUE}
    if owner_slack_ids:
        owners_select["initial_users"] = list(dict.fromkeys(owner_slack_ids))
    blocks += [
        input_block(OWNERS, "Owners", owners_select, hint=truncate(owners_hint, 2000)),
        input_block(START, "Start date", date_picker(draft.start)),
        input_block(DUE, "Due date", date_picker(draft.due)),
        input_block(PRIORITY, "Priority", static_select(list(PRIORITIES), draft.priority)),
        *(
            [input_block(STATUS, "Status", static_select(statuses, draft.status))]
            if statuses
            else []
        ),
        input_block(
            TAGS,
            "Tags",
            {
                "type": "plain_text_input",
                "action_id": VALUE,
                "initial_value": truncate(", ".join(draft.tags), 3000),
            },
            hint="Comma separated, e.g. backend, urgent",
        ),
    ]
    if draft.permalink:
        blocks.append(context(f"From <{draft.permalink}|this Slack message>"))
    blocks = with_errors(blocks, errors or {})
    return modal(
        "Edit task" if editing else "New task",
        blocks,
        callback_id=Callback.TASK_EDIT if editing else Callback.TASK_CREATE,
        submit="Save" if editing else "Create",
        private_metadata=metadata,
    )


def with_errors(blocks: list[Block], errors: dict[str, str]) -> list[Block]:
    """Astravue's verdicts after submission, under the field they are about."""
    if not errors:
        return blocks
    shown: list[Block] = []
    for block in blocks:
        shown.append(block)
        if block.get("block_id") in errors:
            shown.append(context(f":warning: {escape(errors[block['block_id']])}"))
    unplaced = [m for k, m in errors.items() if k not in {b.get("block_id") for b in blocks}]
    if unplaced:
        shown.insert(0, context(":warning: " + escape("; ".join(unplaced))))
    return shown


def select_options(choices: list[tuple[str, str]], empty: str) -> dict[str, Any]:
    """An options-load answer; at most 100 options, and a hint when nothing matches."""
    if not choices:
        return {"options": [option(empty, "none")]}
    return {"options": [option(label, value) for label, value in choices[:100]]}


def notes_text(notes: list[str]) -> str:
    """A draft's notes under a reply; they quote what the user typed, so escaped."""
    return "".join(f"\n{escape(note)}" for note in notes)


def unmapped_note(names: list[str]) -> str:
    """Who was not assigned, named in plain text: a mention would ping them."""
    if not names:
        return ""
    who = escape(", ".join(names))
    return (
        f"\n:information_source: Not assigned: {who}: no connected Astravue account or "
        "matching email, so I can't map them to an Astravue user."
    )
