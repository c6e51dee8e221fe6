"""Tasks: personal and project tasks, their subtasks, comments and checklists."""

from __future__ import annotations

import builtins

from bot.astravue.models import (
    TaskCheckListDto,
    TaskCommentDto,
    TaskCreateRequest,
    TaskDto,
    TaskListResponse,
    TaskUpdateRequest,
)
from bot.astravue.pagination import Page, PageWalk
from bot.astravue.replies import Listing
from bot.astravue.resources.base import (
    DEFAULT_PAGE_SIZE,
    Resource,
    SortDirection,
    page_of,
    paging_facts,
    query,
)
from bot.astravue.updates import TaskChanges, task_update


def _task_list(found: Listing[TaskDto]) -> TaskListResponse:
    return TaskListResponse(tasks=found.items, **paging_facts(found.raw))


def _task_id(task: TaskDto) -> int:
    return task.task_id


class PersonalTasks(Resource):
    """Tasks outside any project ("My tasks")."""

    async def list(
        self,
        *,
        page: int = 0,
        size: int = DEFAULT_PAGE_SIZE,
        sort_by: str | None = None,
        sort_direction: SortDirection | None = None,
    ) -> TaskListResponse:
        params = query(page=page, size=size, sortBy=sort_by, sortDirection=sort_direction)
        reply = await self._transport.call("listPersonalTasks", query=params)
        return _task_list(reply.listing(TaskDto, wrapper="tasks"))

    def iter(
        self,
        *,
        size: int = DEFAULT_PAGE_SIZE,
        sort_by: str | None = None,
        sort_direction: SortDirection | None = None,
    ) -> PageWalk[TaskDto]:
        async def fetch(page: int) -> Page[TaskDto]:
            result = await self.list(
                page=page, size=size, sort_by=sort_by, sort_direction=sort_direction
            )
            return page_of(page, result.tasks, size, result)

        return PageWalk(fetch, operation="listPersonalTasks", identity=_task_id)

    async def get(self, *, task_id: int) -> TaskDto:
        reply = await self._transport.call("getPersonalTask", path={"taskId": task_id})
        return reply.one(TaskDto)

    async def create(self, *, body: TaskCreateRequest) -> TaskDto:
        return (await self._transport.call("createPersonalTask", body=body)).one(TaskDto)

    async def update(self, *, task_id: int, body: TaskUpdateRequest) -> TaskDto:
        reply = await self._transport.call(
            "updatePersonalTask", path={"taskId": task_id}, body=body
        )
        return reply.one(TaskDto)

    async def change(self, *, task_id: int, changes: TaskChanges) -> TaskDto:
        """Read the task, then PUT all of it with `changes` applied (bot.astravue.updates)."""
        current = await self.get(task_id=task_id)
        return await self.update(task_id=task_id, body=task_update(current, changes))

    async def delete(self, *, task_id: int) -> None:
        await self._transport.call("deletePersonalTask", path={"taskId": task_id})


class ProjectTasks(Resource):
    async def list(
        self,
        *,
        space_id: int,
        project_id: int,
        page: int = 0,
        size: int = DEFAULT_PAGE_SIZE,
        sort_by: str | None = None,
        sort_direction: SortDirection | None = None,
        status: str | None = None,
        priority: str | None = None,
        search: str | None = None,
    ) -> TaskListResponse:
        params = query(
            page=page,
            size=size,
            sortBy=sort_by,
            sortDirection=sort_direction,
            status=status,
            priority=priority,
            search=search,
        )
        path = {"spaceId": space_id, "projectId": project_id}
        reply = await self._transport.call("listProjectTasks", path=path, query=params)
        return _task_list(reply.listing(TaskDto, wrapper="tasks"))

    def iter(
        self,
        *,
        space_id: int,
        project_id: int,
        size: int = DEFAULT_PAGE_SIZE,
        sort_by: str | None = None,
        sort_direction: SortDirection | None = None,
        status: str | None = None,
        priority: str | None = None,
        search: str | None = None,
    ) -> PageWalk[TaskDto]:
        async def fetch(page: int) -> Page[TaskDto]:
            result = await self.list(
                space_id=space_id,
                project_id=project_id,
                page=page,
                size=size,
                sort_by=sort_by,
                sort_direction=sort_direction,
                status=status,
                priority=priority,
                search=search,
            )
            return page_of(page, result.tasks, size, result)

        return PageWalk(fetch, operation="listProjectTasks", identity=_task_id)

    async def get(self, *, space_id: int, project_id: int, task_id: int) -> TaskDto:
        path = {"spaceId": space_id, "projectId": project_id, "taskId": task_id}
        return (await self._transport.call("getProjectTask", path=path)).one(TaskDto)

    async def create(self, *, space_id: int, project_id: int, body: TaskCreateRequest) -> TaskDto:
        path = {"spaceId": space_id, "projectId": project_id}
        reply = await self._transport.call("createProjectTask", path=path, body=body)
        return reply.one(TaskDto)

    async def update(
        self, *, space_id: int, project_id: int, task_id: int, body: TaskUpdateRequest
    ) -> TaskDto:
        path = {"spaceId": space_id, "projectId": project_id, "taskId": task_id}
        reply = await self._transport.call("updateProjectTask", path=path, body=body)
        return reply.one(TaskDto)

    async def change(
        self, *, space_id: int, project_id: int, task_id: int, changes: TaskChanges
    ) -> TaskDto:
        """Read the task, then PUT all of it with `changes` applied."""
        current = await self.get(space_id=space_id, project_id=project_id, task_id=task_id)
        return await self.update(
            space_id=space_id,
            project_id=project_id,
            task_id=task_id,
            body=task_update(current, changes),
        )

    async def delete(self, *, space_id: int, project_id: int, task_id: int) -> None:
        path = {"spaceId": space_id, "projectId": project_id, "taskId": task_id}
        await self._transport.call("deleteProjectTask", path=path)


class Subtasks(Resource):
    async def list_personal(self, *, task_id: int) -> list[TaskDto]:
        reply = await self._transport.call("listPersonalSubtasks", path={"taskId": task_id})
        return reply.many(TaskDto, wrapper="subtasks")

    async def list_project(self, *, space_id: int, project_id: int, task_id: int) -> list[TaskDto]:
        path = {"spaceId": space_id, "projectId": project_id, "taskId": task_id}
        return (await self._transport.call("listProjectSubtasks", path=path)).many(
            TaskDto, wrapper="subtasks"
        )


class Comments(Resource):
    async def list(
        self, *, task_id: int, page: int = 0, size: int = DEFAULT_PAGE_SIZE
    ) -> builtins.list[TaskCommentDto]:
        reply = await self._transport.call(
            "listTaskComments", path={"taskId": task_id}, query=query(page=page, size=size)
        )
        return reply.many(TaskCommentDto, wrapper="comments")

    def iter(self, *, task_id: int, size: int = DEFAULT_PAGE_SIZE) -> PageWalk[TaskCommentDto]:
        async def fetch(page: int) -> Page[TaskCommentDto]:
            reply = await self._transport.call(
                "listTaskComments", path={"taskId": task_id}, query=query(page=page, size=size)
            )
            return reply.listing(TaskCommentDto, wrapper="comments").page(page, size)

        return PageWalk(fetch, operation="listTaskComments", identity=lambda c: c.comment_id)


class Checklists(Resource):
    async def list_for_task(self, *, task_id: int) -> list[TaskCheckListDto]:
        reply = await self._transport.call("listTaskChecklists", path={"taskId": task_id})
        return reply.many(TaskCheckListDto)

    async def list_for_subtask(self, *, task_id: int, subtask_id: int) -> list[TaskCheckListDto]:
        path = {"taskId": task_id, "subtaskId": subtask_id}
        reply = await self._transport.call("listSubtaskChecklists", path=path)
        return reply.many(TaskCheckListDto)
