"""Spaces and projects: lists, the project card, pick lists, the forms and the delete modals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.astravue.models import ProjectDto, SpaceDto
from bot.domain.projects import ProjectFields
from bot.ui.components import (
    Block,
    actions,
    button,
    context,
    escape,
    header,
    message,
    modal,
    option,
    overflow,
    plain,
    section,
    truncate,
    truncate_escaped,
)
from bot.ui.ids import Action, Callback
from bot.ui.task_forms import VALUE, date_picker, input_block, static_select, with_errors
from bot.ui.words import plural, show_wire_day

NAME, DESCRIPTION, COLOR, SPACE, CONFIRM = "name", "description", "color", "space", "confirm"
STATUS, PRIORITY, HEALTH, START, END, BUDGET = (
    "status",
    "priority",
    "health",
    "start",
    "end",
    "budget",
)
NAME_MAX = 255
LISTED = 20  # one block per space or project, well inside a message's 50
NAMES_IN_LINE = 5
COLORS = (
    ("Indigo", "#3F51B5"),
    ("Pink", "#E91E63"),
    ("Teal", "#009688"),
    ("Orange", "#FF9800"),
    ("Green", "#4CAF50"),
    ("Grey", "#607D8B"),
)
PROJECT_STATUSES = ("Active", "On Hold", "Completed", "Cancelled")
PRIORITIES = ("Low", "Medium", "High", "Critical")
HEALTHS = ("On Track", "At Risk", "Off Track")
# Astravue's field names (400 errors) -> the block that shows them
FIELD_BLOCKS = {
    "spaceName": NAME,
    "projectName": NAME,
    "description": DESCRIPTION,
    "color": COLOR,
    "status": STATUS,
    "priority": PRIORITY,
    "health": HEALTH,
    "startDate": START,
    "endDate": END,
    "budget": BUDGET,
}
# Who may do what, said when Astravue answers 403
ROLE_RULES = {
    "create spaces": "Only organisation Admins and Account Admins can create spaces",
    "edit this space": "Only organisation Admins and the space's Space Admins can edit it",
    "delete this space": "Only the space's Space Admins (or an organisation Admin) can delete it",
    "create projects in this space": "Only the space's Space Admins (or an organisation "
    "Admin) can create projects in it",
    "edit this project": "Only the project's Project Admins, the space's Space Admins or an "
    "organisation Admin can edit it",
    "delete this project": "Only the project's Project Admins (or the space's Space Admins, "
    "or an organisation Admin) can delete it",
}


def project_value(space_id: int, project_id: int) -> str:
    return f"{space_id}:{project_id}"


def parse_project_value(value: str) -> tuple[int, int]:
    """Raises ValueError unless `<space>:<project>`."""
    space, project = value.split(":")
    return int(space), int(project)


def forbidden(action: str, detail: str | None) -> str:
    return (
        f"Astravue says your role doesn't allow you to {action}"
        + (f" ({escape(detail)})" if detail else "")
        + f". {ROLE_RULES[action]}; ask one "
        "of them to do it, or an Admin to give you that role."
    )


def gone(what: str) -> dict[str, Any]:
    """A message whose item disappeared: words only, every button removed."""
    text = (
        f"That {what} no longer exists in Astravue (or you can't see it any more), so its "
        "buttons are gone."
    )
    return message(text, [section(f":wastebasket: {text}")])


def _names(names: list[str]) -> str:
    shown = ", ".join(truncate_escaped(n, 60) for n in names[:NAMES_IN_LINE])
    more = len(names) - NAMES_IN_LINE
    return shown + (f" and {more} more" if more > 0 else "")


def _more(count: int, what: str) -> list[Block]:
    return [context(f"…and {count} more {what}")] if count > 0 else []


def space_list(spaces: list[tuple[SpaceDto, list[ProjectDto]]]) -> dict[str, Any]:
    if not spaces:
        text = "You see no spaces in this organisation. `/astravue space new` creates one."
        return message(text, [section(text)])
    blocks: list[Block] = [
        header("Spaces"),
        context(plural(len(spaces), "space")),
    ]
    for space, projects in spaces[:LISTED]:
        count = plural(len(projects), "project")
        listed = f": {_names([p.project_name for p in projects])}" if projects else ""
        text = f"*{truncate_escaped(space.space_name, 200)}* `#{space.space_id}` · {count}{listed}"
        if space.description:
            text += f"\n{truncate_escaped(space.description, 300)}"
        menu = overflow(
            Action.SPACE_CHOOSE,
            [
                ("Projects", f"projects|{space.space_id}"),
                ("New project", f"newproject|{space.space_id}"),
                ("Edit", f"edit|{space.space_id}"),
                ("Delete…", f"delete|{space.space_id}"),
            ],
        )
        blocks.append(section(text, accessory=menu))
    blocks += _more(len(spaces) - LISTED, "spaces")
    blocks.append(
        context(
            "`/astravue projects <space>` lists a space's projects; "
            "`/astravue space new` adds a space."
        )
    )
    return message(f"Spaces: {len(spaces)}", blocks)


def project_list(title: str, projects: list[tuple[SpaceDto, ProjectDto]]) -> dict[str, Any]:
    if not projects:
        text = f"{title}: none yet. `/astravue project new` creates one."
        return message(text, [section(escape(text))])
    blocks: list[Block] = [
        header(title),
        context(plural(len(projects), "project")),
    ]
    for space, project in projects[:LISTED]:
        value = project_value(space.space_id, project.project_id)
        text = (
            f"*{truncate_escaped(project.project_name, 200)}* `#{project.project_id}` in "
            f"{truncate_escaped(space.space_name, 100)}\n"
            f"{escape(project.status or 'no status')} · "
            f"{escape(project.health or 'no health')} · "
            f"{escape(project.priority or 'no priority')}"
        )
        menu = overflow(
            Action.PROJECT_CHOOSE,
            [("Show", f"show|{value}"), ("Edit", f"edit|{value}"), ("Delete…", f"delete|{value}")],
        )
        blocks.append(section(text, accessory=menu))
    blocks += _more(len(projects) - LISTED, "projects")
    return message(f"{title}: {len(projects)}", blocks)


def _day(moment: datetime | None) -> str:
    return show_wire_day(moment, "not set")  # a date: the same day for every reader


def project_card(
    project: ProjectDto, space: SpaceDto, *, open_tasks: int, tasks: int, note: str | None = None
) -> dict[str, Any]:
    value = project_value(space.space_id, project.project_id)
    fields = [
        f"*Space*\n{truncate_escaped(space.space_name, 200)}",
        f"*Status*\n{escape(project.status or 'none')}",
        f"*Priority*\n{escape(project.priority or 'none')}",
        f"*Health*\n{escape(project.health or 'none')}",
        f"*Start*\n{_day(project.start_date)}",
        f"*End*\n{_day(project.end_date)}",
        f"*Budget*\n{f'{project.budget:,.2f}' if project.budget is not None else 'none'}",
        f"*Tasks*\n{open_tasks} open of {tasks}",
    ]
    blocks: list[Block] = [section(note)] if note else []
    blocks.append(
        section(
            f"*{truncate_escaped(project.project_name, 500)}* `#{project.project_id}`",
            fields=fields,
        )
    )
    if project.description:
        blocks.append(section(truncate_escaped(project.description, 1500)))
    blocks.append(context(f"`/astravue task list #{project.project_id}` lists its open tasks."))
    blocks.append(
        actions(
            button("Edit", Action.PROJECT_EDIT, value),
            button("Delete…", Action.PROJECT_DELETE, value, style="danger"),
        )
    )
    return message(f"Project: {truncate(project.project_name, 200)}", blocks)


def saved(what: str, name: str, verb: str) -> dict[str, Any]:
    text = f":white_check_mark: {what} *{truncate_escaped(name, 200)}* {verb}."
    return message(text, [section(text)])


def pick_list(kind: str, word: str, verb: str, choices: list[tuple[str, str]]) -> dict[str, Any]:
    """ "Which one did you mean?": `choices` are (label, id) and each option says `verb|id`."""
    action = Action.SPACE_CHOOSE if kind == "space" else Action.PROJECT_CHOOSE
    select = {
        "type": "static_select",
        "action_id": action,
        "placeholder": plain(f"Choose the {kind}"),
        "options": [option(label, f"{verb}|{value}") for label, value in choices[:100]],
    }
    text = (
        f":question: Several {kind}s match *{truncate_escaped(word, 200)}*. Which one did you mean?"
    )
    blocks = [section(text, accessory=select), *_more(len(choices) - 100, f"{kind}s")]
    return message(f"Several {kind}s match “{truncate(word, 100)}”", blocks)


# --- forms ------------------------------------------------------------------------------


def _text(initial: str | None, *, multiline: bool = False, limit: int = NAME_MAX) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": VALUE,
        "max_length": limit,
        "multiline": multiline,
    }
    if initial:
        element["initial_value"] = truncate(initial, limit)
    return element


def _choices(defaults: tuple[str, ...], current: str | None) -> list[str]:
    """The usual values, plus the current one if Astravue has another."""
    return [*defaults, current] if current and current not in defaults else list(defaults)


def space_form(
    space: SpaceDto | None, *, metadata: str, name: str = "", errors: dict[str, str] | None = None
) -> dict[str, Any]:
    color = space.color if space else None
    colors = [*COLORS] + (
        [(f"Current ({color})", color)] if color and color not in dict(COLORS).values() else []
    )
    color_select: dict[str, Any] = {
        "type": "static_select",
        "action_id": VALUE,
        "options": [option(label, hex_) for label, hex_ in colors],
    }
    if color:
        color_select["initial_option"] = next(
            option(label, hex_) for label, hex_ in colors if hex_ == color
        )
    blocks = [
        input_block(NAME, "Name", _text(space.space_name if space else name), optional=False),
        input_block(
            DESCRIPTION,
            "Description",
            _text(space.description if space else None, multiline=True, limit=3000),
        ),
        input_block(COLOR, "Colour", color_select),
    ]
    return modal(
        "Edit space" if space else "New space",
        with_errors(blocks, errors or {}),
        callback_id=Callback.SPACE_FORM,
        submit="Save" if space else "Create",
        private_metadata=metadata,
    )


def project_form(
    fields: ProjectFields,
    *,
    metadata: str,
    editing: bool,
    spaces: list[tuple[str, str]] | None = None,
    space: str | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """`spaces` (label, id) offers where to create it; an edit keeps the project's space."""
    blocks: list[Block] = [input_block(NAME, "Name", _text(fields.name), optional=False)]
    if not editing:
        choices = [option(label, value) for label, value in (spaces or [])[:100]]
        select: dict[str, Any] = {
            "type": "static_select",
            "action_id": VALUE,
            "options": choices or [option("No space available", "none")],
        }
        chosen = next((c for c in choices if c["value"] == space), None)
        if chosen:
            select["initial_option"] = chosen
        blocks.append(input_block(SPACE, "Space", select, optional=False))
    budget: dict[str, Any] = {
        "type": "number_input",
        "action_id": VALUE,
        "is_decimal_allowed": True,
        "min_value": "0",
    }
    if fields.budget is not None:
        budget["initial_value"] = f"{fields.budget:g}"
    blocks += [
        input_block(
            DESCRIPTION, "Description", _text(fields.description, multiline=True, limit=3000)
        ),
        input_block(
            STATUS,
            "Status",
            static_select(_choices(PROJECT_STATUSES, fields.status), fields.status),
        ),
        input_block(
            PRIORITY,
            "Priority",
            static_select(_choices(PRIORITIES, fields.priority), fields.priority),
        ),
        input_block(
            HEALTH, "Health", static_select(_choices(HEALTHS, fields.health), fields.health)
        ),
        input_block(START, "Start date", date_picker(fields.start)),
        input_block(END, "End date", date_picker(fields.end)),
        input_block(BUDGET, "Budget", budget),
    ]
    return modal(
        "Edit project" if editing else "New project",
        with_errors(blocks, errors or {}),
        callback_id=Callback.PROJECT_FORM,
        submit="Save" if editing else "Create",
        private_metadata=metadata,
    )


def delete_form(kind: str, name: str, losses: str, *, metadata: str) -> dict[str, Any]:
    """Say what will be lost, and ask for the name typed out before deleting."""
    blocks = [
        section(
            f":warning: Deleting the {kind} *{truncate_escaped(name, 500)}* "
            f"{losses} This cannot be undone."
        ),
        input_block(
            CONFIRM,
            f"Type the {kind}'s name to confirm",
            _text(None, limit=NAME_MAX),
            optional=False,
            hint=truncate(f"Exactly: {name}", 2000),
        ),
    ]
    return modal(
        f"Delete {kind}?",
        blocks,
        callback_id=Callback.SPACE_DELETE if kind == "space" else Callback.PROJECT_DELETE,
        submit="Delete",
        private_metadata=metadata,
    )


def space_losses(projects: list[str], tasks: int) -> str:
    if not projects:
        return "also deletes its files and memberships (it has no projects)."
    count = plural(len(projects), "project")
    return (
        f"also deletes its {count} ({_names(projects)}) with their {tasks} task"
        f"{'s' if tasks != 1 else ''}, and its files and memberships."
    )


def project_losses(space: str, tasks: int, open_tasks: int) -> str:
    return (
        f"in {truncate_escaped(space, 200)} also deletes its {tasks} task"
        f"{'s' if tasks != 1 else ''} ({open_tasks} open) with their subtasks, comments "
        "and time entries."
    )
