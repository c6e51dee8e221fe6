"""What a notification DM shows about its task: title, project, the task's link and, for a
mention, comment or reply, what was said (read from the task's comments: a notification
carries only the comment's id)."""

from __future__ import annotations

import logging

from bot.astravue.client import AstravueClient
from bot.astravue.errors import AstravueError
from bot.astravue.models import NotificationDto
from bot.domain.app_urls import comment_url
from bot.domain.notifications import NotificationCard
from bot.domain.tasks import TaskRef, task_url
from bot.services.task_calls import get_task

log = logging.getLogger(__name__)

COMMENT_SCAN = 200  # comments read at most to find the one a notification names


def notification_task(n: NotificationDto) -> TaskRef | None:
    """The task a notification is about: a project task only when both its space and its
    project are known (a personal one otherwise), None when it names no task."""
    if n.task_id is None:
        return None
    if n.project_id is not None and n.space_id is not None:
        return TaskRef(n.task_id, n.space_id, n.project_id)
    return TaskRef(n.task_id)


class CardBuilder:
    """Task title, project and link for DMs; failures leave them out, never the DM."""

    def __init__(self, client: AstravueClient, app_url: str) -> None:
        self.client = client
        self.app_url = app_url
        self._projects: dict[tuple[int, int], str | None] = {}

    async def build(self, n: NotificationDto) -> NotificationCard:
        ref = notification_task(n)
        if ref is None:
            return NotificationCard(n)
        title = project = None
        try:
            task = await get_task(self.client, ref)
            if ref.space_id is not None and ref.project_id is not None:
                project = await self._project(ref.space_id, ref.project_id)
            title = task.task_title
        except AstravueError as exc:
            log.info(
                "notification %s: task %s not loaded (%s)",
                n.notification_id,
                n.task_id,
                type(exc).__name__,
            )
        if n.comment_id is None:
            return NotificationCard(n, title, project, ref, task_url(self.app_url, ref))
        return NotificationCard(
            n,
            title,
            project,
            ref,
            task_url(self.app_url, ref),
            comment=await self._comment(ref.task_id, n.comment_id),
            comment_url=comment_url(self.app_url, ref, n.comment_id),
        )

    async def _comment(self, task_id: int, comment_id: int) -> str | None:
        """The comment's text; None when it is gone, empty or cannot be read (no quote)."""
        try:
            seen = 0
            async for found in self.client.comments.iter(task_id=task_id, size=50):
                if found.comment_id == comment_id:
                    return found.comment.strip() or None
                seen += 1
                if seen >= COMMENT_SCAN:
                    break
        except AstravueError as exc:
            log.info(
                "comment %s on task %s not loaded (%s)", comment_id, task_id, type(exc).__name__
            )
        return None

    async def _project(self, space_id: int, project_id: int) -> str | None:
        key = (space_id, project_id)
        if key not in self._projects:
            try:
                found = await self.client.projects.get(space_id=space_id, project_id=project_id)
                self._projects[key] = found.project_name
            except AstravueError:
                self._projects[key] = None
        return self._projects[key]
