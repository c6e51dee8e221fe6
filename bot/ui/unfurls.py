"""Unfurls of shared Astravue links: a task, a project or a space, and the connect prompt.

Each unfurl is what `chat.unfurl` takes for one URL (`{"blocks": [...]}`). The task's buttons
reuse the card action ids, so the card handlers serve them and act as whoever clicks.
"""

from __future__ import annotations

from typing import Any

from bot.astravue.models import ProjectDto, TaskDto
from bot.domain.app_urls import project_url, space_url
from bot.domain.tasks import is_done, task_ref, task_url
from bot.domain.unfurls import Preview, ProjectPreview, SpacePreview, TaskPreview
from bot.ui.components import (
    Block,
    actions,
    button,
    context,
    escape,
    section,
    truncate,
    truncate_escaped,
)
from bot.ui.ids import Action
from bot.ui.words import show_wire_day

AUTH_MESSAGE = (
    "Connect your Astravue account to see previews of Astravue links you share. "
    "Each preview shows only what your own account can see."
)
TITLE_LIMIT = 300
DESCRIPTION_LIMIT = 300
PROJECTS_LISTED = 5


def _link(url: str, title: str) -> str:
    return f"<{url}|{truncate_escaped(title or '(untitled)', TITLE_LIMIT).replace('|', '¦')}>"


def _day(moment: Any, empty: str) -> str:
    return show_wire_day(moment, empty)  # a calendar date: the same day for every reader


def _owners(task: TaskDto) -> str:
    names = [escape(o.display_name) for o in task.owners]
    return truncate(", ".join(names), 500) if names else "nobody"


def _project_name(project: ProjectDto | None, task: TaskDto) -> str:
    if task.project_id is None:
        return "Personal task"
    if project is None:
        return f"project {task.project_id}"
    return truncate_escaped(project.project_name or f"project {project.project_id}", 200)


def task_unfurl(preview: TaskPreview, *, app_url: str) -> dict[str, Any]:
    task = preview.task
    done = ":white_check_mark: " if is_done(task) else ""
    blocks: list[Block] = [
        section(
            f"{done}*{_link(task_url(app_url, task_ref(task)), task.task_title)}* "
            f"`#{task.task_id}`",
            fields=[
                f"*Status*\n{escape(task.status_name or 'none')}",
                f"*Owners*\n{_owners(task)}",
                f"*Due*\n{_day(task.due_date, 'no due date')}",
                f"*Project*\n{_project_name(preview.project, task)}",
            ],
        )
    ]
    if task.description:
        blocks.append(context(truncate_escaped(task.description, DESCRIPTION_LIMIT)))
    if not is_done(task):
        value = task_ref(task).encode()
        blocks.append(
            actions(
                button("Complete", Action.TASK_COMPLETE, value, style="primary"),
                button("Start timer", Action.TIMER_START, value),
            )
        )
    return {"blocks": blocks}


def project_unfurl(preview: ProjectPreview, *, app_url: str) -> dict[str, Any]:
    project = preview.project
    space_id = preview.space.space_id if preview.space else project.space_id or 0
    space = (
        truncate_escaped(preview.space.space_name, 200) if preview.space else f"space {space_id}"
    )
    fields = [
        f"*Space*\n{space}",
        f"*Status*\n{escape(project.status or 'none')}",
        f"*Due*\n{_day(project.end_date, 'no end date')}",
    ]
    if project.health:
        fields.append(f"*Health*\n{escape(project.health)}")
    url = project_url(app_url, space_id, project.project_id)
    blocks: list[Block] = [
        section(f":file_folder: *{_link(url, project.project_name)}*", fields=fields)
    ]
    if project.description:
        blocks.append(context(truncate_escaped(project.description, DESCRIPTION_LIMIT)))
    return {"blocks": blocks}


def space_unfurl(preview: SpacePreview, *, app_url: str) -> dict[str, Any]:
    space = preview.space
    url = space_url(app_url, space.space_id)
    names = [truncate_escaped(p.project_name, 80) for p in preview.projects[:PROJECTS_LISTED]]
    more = len(preview.projects) - PROJECTS_LISTED
    listed = ", ".join(names) + (f" and {more} more" if more > 0 else "") if names else "none yet"
    blocks: list[Block] = [
        section(f":card_index_dividers: *{_link(url, space.space_name)}*"),
        context(f"*Projects:* {listed}"),
    ]
    if space.description:
        blocks.append(context(truncate_escaped(space.description, DESCRIPTION_LIMIT)))
    return {"blocks": blocks}


def unfurl(preview: Preview, *, app_url: str) -> dict[str, Any]:
    if isinstance(preview, TaskPreview):
        return task_unfurl(preview, app_url=app_url)
    if isinstance(preview, ProjectPreview):
        return project_unfurl(preview, app_url=app_url)
    return space_unfurl(preview, app_url=app_url)
