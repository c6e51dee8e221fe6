"""Space and project use cases as the acting user: find by name or id, list, create, change,
delete, and count what a deletion would take with it.

Names are matched as in quick capture (`name_matches`): a number is an id, then an exact name
ignoring case, spaces and dashes, else the names containing the word.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

from bot.astravue.client import AstravueClient
from bot.astravue.models import ProjectDto, ProjectRequest, SpaceDto, SpaceRequest, TaskDto
from bot.astravue.updates import ProjectChanges, SpaceChanges
from bot.domain.links import LinkInfo
from bot.domain.projects import ProjectFields, SpaceFields
from bot.domain.tasks import is_done
from bot.parsing import local_day_bounds, to_utc_due
from bot.services.astravue_access import AstravueAccess
from bot.services.projects import ProjectInfo, name_matches
from bot.services.tasks import TaskService


@dataclass(frozen=True)
class SpaceOverview:
    space: SpaceDto
    projects: list[ProjectDto]


@dataclass(frozen=True)
class ProjectOverview:
    project: ProjectDto
    space: SpaceDto
    tasks: list[TaskDto]

    @property
    def open_tasks(self) -> int:
        return sum(1 for t in self.tasks if not is_done(t))


@dataclass(frozen=True)
class SpaceLoss:
    """What deleting a space takes with it."""

    space: SpaceDto
    projects: list[ProjectDto]
    tasks: int


class SpaceService:
    def __init__(self, astravue: AstravueAccess, tasks: TaskService) -> None:
        self.astravue = astravue
        self.tasks = tasks

    def client(self, link: LinkInfo) -> AstravueClient:
        return self.astravue(link)

    # -- spaces -------------------------------------------------------------------------

    async def spaces(self, link: LinkInfo) -> list[SpaceDto]:
        return await self.client(link).spaces.list()

    async def overview(self, link: LinkInfo) -> list[SpaceOverview]:
        client = self.client(link)
        return [
            SpaceOverview(space, await self.projects_in(link, space.space_id))
            for space in await client.spaces.list()
        ]

    async def projects_in(self, link: LinkInfo, space_id: int) -> list[ProjectDto]:
        return [p async for p in self.client(link).projects.iter(space_id=space_id, size=100)]

    async def match_spaces(self, link: LinkInfo, word: str) -> list[SpaceDto]:
        spaces = await self.spaces(link)
        ids = name_matches(word, [(s.space_id, s.space_name) for s in spaces])
        return [s for s in spaces if s.space_id in ids]

    async def space(self, link: LinkInfo, space_id: int) -> SpaceDto:
        return await self.client(link).spaces.get(space_id=space_id)

    async def create_space(self, link: LinkInfo, form: SpaceFields) -> SpaceDto:
        body = SpaceRequest(space_name=form.name, description=form.description, color=form.color)
        return await self.client(link).spaces.create(body=body)

    async def update_space(
        self, link: LinkInfo, space_id: int, form: SpaceFields, changed: Collection[str]
    ) -> SpaceDto:
        """Only the form's `changed` inputs (name, description, color); an emptied description
        is cleared on purpose."""
        wanted: dict[str, Any] = {
            "name": ("space_name", form.name),
            "description": ("description", form.description),
            "color": ("color", form.color),
        }
        changes = cast(SpaceChanges, dict(wanted[name] for name in changed))
        return await self.client(link).spaces.change(space_id=space_id, changes=changes)

    async def space_loss(self, link: LinkInfo, space_id: int) -> SpaceLoss:
        space = await self.space(link, space_id)
        projects = await self.projects_in(link, space_id)
        tasks = 0
        for project in projects:
            tasks += len(await self.tasks.project_tasks(link, _info(space, project)))
        return SpaceLoss(space, projects, tasks)

    async def delete_space(self, link: LinkInfo, space_id: int) -> None:
        await self.client(link).spaces.delete(space_id=space_id)

    # -- projects -----------------------------------------------------------------------

    async def match_projects(
        self, link: LinkInfo, word: str, space_id: int | None = None
    ) -> list[ProjectInfo]:
        found = await self.tasks.match_projects(link, word)
        return [p for p in found if space_id is None or p.space_id == space_id]

    async def project(self, link: LinkInfo, space_id: int, project_id: int) -> ProjectOverview:
        client = self.client(link)
        space = await client.spaces.get(space_id=space_id)
        project = await client.projects.get(space_id=space_id, project_id=project_id)
        tasks = await self.tasks.project_tasks(link, _info(space, project))
        return ProjectOverview(project, space, tasks)

    async def create_project(
        self, link: LinkInfo, space_id: int, fields: ProjectFields
    ) -> ProjectDto:
        body = await self._request(link, fields)
        return await self.client(link).projects.create(space_id=space_id, body=body)

    async def update_project(
        self,
        link: LinkInfo,
        space_id: int,
        project_id: int,
        fields: ProjectFields,
        changed: Collection[str],
    ) -> ProjectDto:
        """Only the form's `changed` inputs (ProjectFields names); an emptied text, date or
        budget is cleared on purpose."""
        body = await self._request(link, fields)
        wire = {"name": "project_name", "start": "start_date", "end": "end_date"}
        changes = cast(
            ProjectChanges,
            {wire.get(name, name): getattr(body, wire.get(name, name)) for name in changed},
        )
        return await self.client(link).projects.change(
            space_id=space_id, project_id=project_id, changes=changes
        )

    async def delete_project(self, link: LinkInfo, space_id: int, project_id: int) -> None:
        await self.client(link).projects.delete(space_id=space_id, project_id=project_id)

    async def _request(self, link: LinkInfo, fields: ProjectFields) -> ProjectRequest:
        """Local days become instants in the user's zone: start at 00:00, end at 23:59."""
        tz = await self.tasks.tz(link)
        return ProjectRequest(
            project_name=fields.name,
            description=fields.description,
            status=fields.status,
            priority=fields.priority,
            health=fields.health,
            budget=fields.budget,
            start_date=local_day_bounds(fields.start, tz)[0] if fields.start else None,
            end_date=to_utc_due(fields.end, tz) if fields.end else None,
        )


def _info(space: SpaceDto, project: ProjectDto) -> ProjectInfo:
    return ProjectInfo(space.space_id, space.space_name, project.project_id, project.project_name)
