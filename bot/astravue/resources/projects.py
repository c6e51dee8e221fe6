"""Spaces and the projects in them."""

from __future__ import annotations

import builtins

from bot.astravue.models import (
    ProjectDto,
    ProjectListResponse,
    ProjectRequest,
    SpaceDto,
    SpaceRequest,
)
from bot.astravue.pagination import Page, PageWalk
from bot.astravue.resources.base import DEFAULT_PAGE_SIZE, Resource, page_of, paging_facts, query
from bot.astravue.updates import ProjectChanges, SpaceChanges, project_update, space_update


class Spaces(Resource):
    async def list(self) -> builtins.list[SpaceDto]:
        return (await self._transport.call("listSpaces")).many(SpaceDto, wrapper="spaces")

    async def get(self, *, space_id: int) -> SpaceDto:
        return (await self._transport.call("getSpace", path={"spaceId": space_id})).one(SpaceDto)

    async def create(self, *, body: SpaceRequest) -> SpaceDto:
        return (await self._transport.call("createSpace", body=body)).one(SpaceDto)

    async def update(self, *, space_id: int, body: SpaceRequest) -> SpaceDto:
        reply = await self._transport.call("updateSpace", path={"spaceId": space_id}, body=body)
        return reply.one(SpaceDto)

    async def change(self, *, space_id: int, changes: SpaceChanges) -> SpaceDto:
        """Read the space, then PUT all of it with `changes` applied."""
        current = await self.get(space_id=space_id)
        return await self.update(space_id=space_id, body=space_update(current, changes))

    async def delete(self, *, space_id: int) -> None:
        await self._transport.call("deleteSpace", path={"spaceId": space_id})


class Projects(Resource):
    async def list(
        self, *, space_id: int, page: int = 0, size: int = DEFAULT_PAGE_SIZE
    ) -> ProjectListResponse:
        reply = await self._transport.call(
            "listProjects", path={"spaceId": space_id}, query=query(page=page, size=size)
        )
        found = reply.listing(ProjectDto, wrapper="projects")
        return ProjectListResponse(projects=found.items, **paging_facts(found.raw))

    def iter(self, *, space_id: int, size: int = DEFAULT_PAGE_SIZE) -> PageWalk[ProjectDto]:
        async def fetch(page: int) -> Page[ProjectDto]:
            result = await self.list(space_id=space_id, page=page, size=size)
            return page_of(page, result.projects, size, result)

        return PageWalk(fetch, operation="listProjects", identity=lambda p: p.project_id)

    async def get(self, *, space_id: int, project_id: int) -> ProjectDto:
        path = {"spaceId": space_id, "projectId": project_id}
        return (await self._transport.call("getProject", path=path)).one(ProjectDto)

    async def create(self, *, space_id: int, body: ProjectRequest) -> ProjectDto:
        reply = await self._transport.call("createProject", path={"spaceId": space_id}, body=body)
        return reply.one(ProjectDto)

    async def update(self, *, space_id: int, project_id: int, body: ProjectRequest) -> ProjectDto:
        path = {"spaceId": space_id, "projectId": project_id}
        return (await self._transport.call("updateProject", path=path, body=body)).one(ProjectDto)

    async def change(
        self, *, space_id: int, project_id: int, changes: ProjectChanges
    ) -> ProjectDto:
        """Read the project, then PUT all of it with `changes` applied."""
        current = await self.get(space_id=space_id, project_id=project_id)
        return await self.update(
            space_id=space_id, project_id=project_id, body=project_update(current, changes)
        )

    async def delete(self, *, space_id: int, project_id: int) -> None:
        await self._transport.call(
            "deleteProject", path={"spaceId": space_id, "projectId": project_id}
        )
