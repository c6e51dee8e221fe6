"""Task lists, the agenda and the App Home's tasks: one section per task, one menu each.

A row is the linked title, a line of facts (status · priority · due) and one overflow menu
(Complete, Start timer, Edit, Delete…). Every row's block id and every button names the list
it belongs to (bot.domain.task_lists), so a click redraws that same list in place, with a
one-line note (and Undo where Astravue can undo) above it.
"""

from __future__ import annotations

from typing import Any

from bot.astravue.models import TaskDto
from bot.domain.task_lists import Completed, ListSource
from bot.domain.tasks import is_done, task_ref
from bot.ui.components import (
    MAX_VIEW_BLOCKS,
    Block,
    actions,
    button,
    cap_blocks,
    context,
    divider,
    escape,
    header,
    message,
    overflow,
    section,
    truncate,
    truncate_escaped,
)
from bot.ui.ids import Action
from bot.ui.tasks import DELETE_WARNING, completed_note, linked_title, task_facts
from bot.ui.words import plural

PAGE_SIZE = 10  # two blocks a task: 10 per page leaves room for headers, notes and paging
AGENDA_PER_SECTION = 5
AGENDA_SECTIONS = (
    ("overdue", ":rotating_light: Overdue"),
    ("today", ":date: Due today"),
    ("upcoming", ":calendar: Upcoming"),
    ("week", ":calendar: Due in the next 7 days"),  # `my week`: in place of upcoming
)
HOME_ANCHOR = "tasks.home"  # the App Home's tasks start at this block and end at a divider
# A row menu's verbs: `<verb>|<task ref>`.
ROW_COMPLETE, ROW_START, ROW_EDIT, ROW_DELETE = "complete", "start", "edit", "delete"
CUT_SHORT = (
    "Showing the first {count}: Astravue returned more pages than expected, so I "
    "stopped reading. The list may be incomplete."
)

# --- rows -------------------------------------------------------------------------------


def task_row(task: TaskDto, *, app_url: str, block_id: str) -> list[Block]:
    """The linked title with its menu, and the facts under it."""
    ref = task_ref(task).encode()
    choices = [("Edit", f"{ROW_EDIT}|{ref}"), ("Delete…", f"{ROW_DELETE}|{ref}")]
    if not is_done(task):
        choices = [
            ("Complete", f"{ROW_COMPLETE}|{ref}"),
            ("Start timer", f"{ROW_START}|{ref}"),
            *choices,
        ]
    return [
        section(
            linked_title(task, app_url=app_url),
            accessory=overflow(Action.TASK_ROW, choices),
            block_id=block_id,
        ),
        context(f"{task_facts(task)} · `#{task.task_id}`"),
    ]


def _page_of(
    tasks: list[TaskDto], *, app_url: str, source: ListSource, page_size: int
) -> list[Block]:
    """The rows of `source`'s page, then "…and N more" (the next page) and Previous."""
    start = source.page * page_size
    shown = tasks[start : start + page_size]
    blocks: list[Block] = []
    for index, task in enumerate(shown, start):
        blocks += task_row(task, app_url=app_url, block_id=source.encode(str(index)))
    remaining = len(tasks) - start - len(shown)
    if remaining > 0:
        more = f"…and {remaining} more" + (f": next {page_size}" if remaining > page_size else "")
        blocks.append(
            actions(button(more, Action.TASK_PAGE, source.at_page(source.page + 1).encode()))
        )
    if source.page > 0:  # its own block: action ids are unique per block
        blocks.append(
            actions(button("Previous", Action.TASK_PAGE, source.at_page(source.page - 1).encode()))
        )
    return blocks


def _last_page(count: int, page_size: int = PAGE_SIZE) -> int:
    return max((count + page_size - 1) // page_size - 1, 0)


# --- lists ------------------------------------------------------------------------------


def task_list_message(
    tasks: list[TaskDto],
    *,
    app_url: str,
    title: str,
    source: ListSource,
    note: list[Block] | None = None,
    empty: str = "No tasks here.",
    cut_short: bool = False,
) -> dict[str, Any]:
    """`cut_short`: Astravue sent more pages than a walk reads, so the list is incomplete."""
    warning = [context(f":warning: {CUT_SHORT.format(count=len(tasks))}")] if cut_short else []
    if not tasks:
        blocks = [*(note or []), section(f"*{escape(title)}*\n{escape(empty)}"), *warning]
        return message(empty, blocks)
    source = source.at_page(min(source.page, _last_page(len(tasks))))
    pages = _last_page(len(tasks)) + 1
    blocks = [
        *(note or []),
        header(title),
        context(
            plural(len(tasks), "task")
            + (f" · page {source.page + 1} of {pages}" if pages > 1 else "")
        ),
        *warning,
        *_page_of(tasks, app_url=app_url, source=source, page_size=PAGE_SIZE),
    ]
    return message(f"{title}: {plural(len(tasks), 'task')}", blocks)


def search_results(
    query: str,
    tasks: list[TaskDto],
    *,
    app_url: str,
    source: ListSource,
    note: list[Block] | None = None,
) -> dict[str, Any]:
    return task_list_message(
        tasks,
        app_url=app_url,
        title=f"Tasks matching “{truncate(query, 100)}”",
        source=source,
        note=note,
        empty=f"No task matches “{truncate_escaped(query, 100)}”. Try fewer words.",
    )


# --- the agenda -------------------------------------------------------------------------


def agenda_blocks(
    groups: dict[str, list[TaskDto]], *, app_url: str, source: ListSource
) -> list[Block]:
    """Overdue, due today and upcoming; an empty group is left out. Past five tasks a group
    has a "Show all" button, which shows that group alone, paged, with a way back."""
    labels = dict(AGENDA_SECTIONS)
    if source.focus in labels:
        tasks = groups.get(source.focus) or []
        source = source.at_page(min(source.page, _last_page(len(tasks))))
        return [
            section(f"*{labels[source.focus]}* ({len(tasks)})"),
            *_page_of(tasks, app_url=app_url, source=source, page_size=PAGE_SIZE),
            actions(button("Back to the agenda", Action.TASK_PAGE, source.focused("").encode())),
        ]
    blocks: list[Block] = []
    for key, label in AGENDA_SECTIONS:
        tasks = groups.get(key) or []
        if not tasks:
            continue
        blocks.append(section(f"*{label}* ({len(tasks)})"))
        for index, task in enumerate(tasks[:AGENDA_PER_SECTION]):
            blocks += task_row(task, app_url=app_url, block_id=source.encode(f"{key}{index}"))
        if len(tasks) > AGENDA_PER_SECTION:
            more = f"…and {len(tasks) - AGENDA_PER_SECTION} more"
            blocks.append(actions(button(more, Action.TASK_PAGE, source.focused(key).encode())))
    if not blocks:
        blocks.append(
            section(
                ":sparkles: Nothing due. `/astravue task list` also shows tasks without a date."
            )
        )
    return blocks


def agenda_message(
    groups: dict[str, list[TaskDto]],
    *,
    app_url: str,
    source: ListSource,
    note: list[Block] | None = None,
) -> dict[str, Any]:
    count = sum(len(v) for v in groups.values())
    blocks = [
        *(note or []),
        header("Your agenda"),
        *agenda_blocks(groups, app_url=app_url, source=source),
        divider(),
        context("`/astravue task list` for everything, `/astravue todo` to add a personal task."),
    ]
    return message(f"Your agenda: {plural(count, 'open task')}", blocks)


def home_tasks(
    groups: dict[str, list[TaskDto]],
    *,
    app_url: str,
    source: ListSource,
    note: list[Block] | None = None,
) -> list[Block]:
    """The App Home's tasks section; it begins at the block `HOME_ANCHOR`."""
    return [
        {**header("Your tasks"), "block_id": HOME_ANCHOR},
        *(note or []),
        *agenda_blocks(groups, app_url=app_url, source=source),
    ]


def home_with_tasks(blocks: list[Block], tasks: list[Block]) -> dict[str, Any] | None:
    """The Home view of `blocks` with its tasks section replaced by `tasks` (None if it has
    none): the other sections stay as they are, not read again."""
    start = next((i for i, b in enumerate(blocks) if b.get("block_id") == HOME_ANCHOR), None)
    if start is None:
        return None
    end = next(
        (i for i in range(start + 1, len(blocks)) if blocks[i].get("type") == "divider"),
        len(blocks),
    )
    return {
        "type": "home",
        "blocks": cap_blocks([*blocks[:start], *tasks, *blocks[end:]], MAX_VIEW_BLOCKS),
    }


# --- what a row's menu did --------------------------------------------------------------


def completed_row(done: Completed, *, app_url: str, source: ListSource) -> list[Block]:
    """The note above the redrawn list, with Undo when the status before is known."""
    undo = None
    if done.was_status:
        value = source.encode(
            task_ref(done.task).encode(), done.was_status, str(done.was_completion or 0)
        )
        undo = button("Undo", Action.TASK_UNDO_COMPLETE, value)
    text = f"{completed_note(done.logged)} {linked_title(done.task, app_url=app_url)}"
    return [section(text, accessory=undo)]


def reopened_row(task: TaskDto, *, app_url: str) -> list[Block]:
    status = escape(task.status_name or "open")
    return [
        section(
            f":leftwards_arrow_with_hook: Back to *{status}*: {linked_title(task, app_url=app_url)}"
        )
    ]


def delete_step(task: TaskDto, *, app_url: str, source: ListSource) -> list[Block]:
    """Delete… asks first: Astravue cannot bring a deleted task back."""
    value = source.encode(task_ref(task).encode(), truncate(task.task_title, 100))
    return [
        section(f":warning: Delete {linked_title(task, app_url=app_url)}?"),
        context(DELETE_WARNING),
        actions(
            button("Delete task", Action.TASK_LIST_DELETE, value, style="danger"),
            button("Keep it", Action.TASK_PAGE, source.encode()),
        ),
    ]


def deleted_row(title: str) -> list[Block]:
    return [context(f":wastebasket: Deleted *{truncate_escaped(title, 150)}*.")]
