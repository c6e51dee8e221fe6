"""What a user muted from a notification DM, and undoing it.

"Mute this task" stops a task's notifications; "Digest only for this project" holds a
project's for the digest. Both are kept in the user's settings row by id; this module lists
them with names (for `/astravue settings`) and takes them back (Unmute).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.errors import AstravueError
from bot.astravue.models import NotificationDto
from bot.db.models import NotificationDelivery
from bot.db.repositories import settings_for
from bot.db.session import session_scope
from bot.domain.links import LinkInfo
from bot.domain.tasks import TaskRef
from bot.services.tasks import TaskService

log = logging.getLogger(__name__)

SHOWN = 10  # named in the settings modal; the rest are counted


@dataclass(frozen=True)
class Muted:
    """Muted tasks and digest-only projects as (id, name or None when it can't be read)."""

    tasks: list[tuple[int, str | None]]
    projects: list[tuple[int, str | None]]
    more_tasks: int = 0
    more_projects: int = 0


Sessions = async_sessionmaker[AsyncSession]


async def unmute_task(sessions: Sessions, team_id: str, user_id: str, task_id: int) -> None:
    async with session_scope(sessions) as session:
        row = await settings_for(session, team_id, user_id)
        row.muted_task_ids = [i for i in row.muted_task_ids if i != task_id]


async def undigest_project(sessions: Sessions, team_id: str, user_id: str, project_id: int) -> None:
    async with session_scope(sessions) as session:
        row = await settings_for(session, team_id, user_id)
        row.digest_project_ids = [i for i in row.digest_project_ids if i != project_id]


async def muted(sessions: Sessions, tasks: TaskService, link: LinkInfo) -> Muted:
    async with session_scope(sessions) as session:
        row = await settings_for(session, link.team_id, link.slack_user_id)
        task_ids, project_ids = list(row.muted_task_ids), list(row.digest_project_ids)
    named = [(i, await _task_title(sessions, tasks, link, i)) for i in task_ids[:SHOWN]]
    names: dict[int, str] = {}
    if project_ids:
        try:
            names = {p.project_id: p.label for p in await tasks.catalogue(link)}
        except AstravueError as exc:
            log.info("muted projects: names not loaded (%s)", type(exc).__name__)
    projects = [(i, names.get(i)) for i in project_ids[:SHOWN]]
    return Muted(
        named,
        projects,
        max(len(task_ids) - SHOWN, 0),
        max(len(project_ids) - SHOWN, 0),
    )


async def _task_title(
    sessions: Sessions, tasks: TaskService, link: LinkInfo, task_id: int
) -> str | None:
    """The title, through where a delivered notification said the task lives."""
    async with sessions() as session:
        payload = (
            await session.scalars(
                select(NotificationDelivery.payload)
                .where(
                    NotificationDelivery.link_id == link.id,
                    NotificationDelivery.task_id == task_id,
                    NotificationDelivery.payload.is_not(None),
                )
                .order_by(NotificationDelivery.id.desc())
                .limit(1)
            )
        ).first()
    ref = TaskRef(task_id)
    if payload and "notification" in payload:
        n = NotificationDto.model_validate(payload["notification"])
        if n.space_id is not None and n.project_id is not None:
            ref = TaskRef(task_id, n.space_id, n.project_id)
    try:
        return (await tasks.get(link, ref)).task_title  # one call: no search
    except AstravueError as exc:  # a name is a nicety: never fail the modal
        log.info("muted task %s: title not loaded (%s)", task_id, type(exc).__name__)
        return None
