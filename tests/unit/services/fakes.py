"""A minimal stand-in for the Astravue client, for services tested without HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from bot.astravue.errors import NotFound
from bot.astravue.models import ProjectDto, SpaceDto, TaskDto
from bot.db.models import LinkStatus
from bot.domain.links import LinkInfo

LINK = LinkInfo(
    id=1,
    team_id="T1",
    slack_user_id="U1",
    status=LinkStatus.ACTIVE,
    org_id=9,
    astravue_user_id=7,
    email="maria@acme.test",
    name="Maria",
)


class _Spaces:
    def __init__(self, spaces: list[SpaceDto]) -> None:
        self.spaces = spaces

    async def list(self) -> list[SpaceDto]:
        return self.spaces


class _Projects:
    def __init__(self, projects: list[ProjectDto]) -> None:
        self.projects = projects

    async def iter(self, *, space_id: int, size: int = 50) -> AsyncIterator[ProjectDto]:
        for project in self.projects:
            if project.space_id == space_id:
                yield project

    async def get(self, *, space_id: int, project_id: int) -> ProjectDto:
        return next(p for p in self.projects if p.project_id == project_id)


class _Tasks:
    def __init__(self, tasks: dict[int, TaskDto], *, project: bool) -> None:
        self.tasks, self.project = tasks, project
        self.asked: list[dict[str, Any]] = []

    async def get(self, **where: Any) -> TaskDto:
        self.asked.append(where)
        task = self.tasks.get(where["task_id"])
        if task is None or (task.project_id is not None) != self.project:
            raise NotFound(404, "GET", "/tasks", "not found")
        return task


class FakeAstravue:
    """Spaces, projects and tasks as plain lists; `__call__` is what AstravueAccess is."""

    def __init__(
        self,
        spaces: list[SpaceDto],
        projects: list[ProjectDto],
        tasks: list[TaskDto] | None = None,
    ) -> None:
        by_id = {t.task_id: t for t in tasks or []}
        self.spaces = _Spaces(spaces)
        self.projects = _Projects(projects)
        self.tasks = _Tasks(by_id, project=False)
        self.project_tasks = _Tasks(by_id, project=True)

    def __call__(self, link: LinkInfo, *, org_id: int | None = None) -> FakeAstravue:
        return self
