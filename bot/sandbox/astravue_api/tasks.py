"""Personal tasks, project tasks, subtasks, comments and checklists."""

from __future__ import annotations

from typing import Any

from bot.sandbox.astravue_api.base import ApiBase, Call
from bot.sandbox.astravue_api.requests import JSON, task_fields
from bot.sandbox.astravue_state import DEFAULT_PRIORITY, Task


class TaskEndpoints(ApiBase):
    """/v1/tasks and /v1/spaces/{id}/projects/{id}/tasks."""

    async def list_personal_tasks(self, call: Call) -> object:
        return self._tasks_page(call, self.state.personal_tasks(call.actor_id))

    async def create_personal_task(self, call: Call) -> JSON:
        fields = task_fields(call.body, creating=True)
        return self.render.task(self.state.create_task(call.actor_id, **fields))

    async def get_personal_task(self, call: Call) -> JSON:
        return self.render.task(self.state.personal_task(call.actor_id, call.path["task_id"]))

    async def update_personal_task(self, call: Call) -> JSON:
        return self._update_task(
            call, self.state.personal_task(call.actor_id, call.path["task_id"])
        )

    def _update_task(self, call: Call, task: Task) -> JSON:
        if not self._put_replaces:
            fields = task_fields(call.body, creating=False)
        else:  # what the body leaves out takes the value a new task gets
            defaults: dict[str, Any] = {
                "description": None,
                "owners": [],
                "tags": [],
                "start_date": None,
                "due_date": None,
                "completion": 0,
                "priority": DEFAULT_PRIORITY,
                "status": self.state.statuses_for(task.org_id, task.project_id)[0].name,
            }
            fields = {**defaults, **task_fields(call.body, creating=True)}
        return self.render.task(self.state.update_task(call.actor_id, task.task_id, **fields))

    async def delete_personal_task(self, call: Call) -> None:
        task = self.state.personal_task(call.actor_id, call.path["task_id"])
        self.state.delete_task(call.actor_id, task.task_id)

    async def list_subtasks(self, call: Call) -> object:
        parent = self.state.personal_task(call.actor_id, call.path["task_id"])
        return self._array(self.state.subtasks(call.actor_id, parent.task_id), self.render.task)

    async def list_comments(self, call: Call) -> object:
        comments = self.state.comments_of(call.actor_id, call.path["task_id"])
        return self._array(comments, self.render.comment, call)

    async def list_checklists(self, call: Call) -> object:
        items = self.state.checklist_of(call.actor_id, call.path["task_id"])
        return self._array(items, self.render.checklist_item)

    async def list_subtask_checklists(self, call: Call) -> object:
        items = self.state.subtask_checklist(
            call.actor_id, call.path["task_id"], call.path["subtask_id"]
        )
        return self._array(items, self.render.checklist_item)

    def _project_task(self, call: Call) -> Task:
        return self.state.project_task(
            call.actor_id, call.path["project_id"], call.path["task_id"], call.path["space_id"]
        )

    async def list_project_tasks(self, call: Call) -> object:
        space_id, project_id = call.path["space_id"], call.path["project_id"]
        tasks = self.state.project_tasks(call.actor_id, space_id, project_id)
        query = call.query
        if "status" in query:
            wanted = self.state.status_named(call.org_id, project_id, query["status"])
            tasks = [t for t in tasks if t.status_id == wanted.status_id]
        if "priority" in query:
            level = self.state.priority_labelled(call.org_id, project_id, query["priority"])
            tasks = [t for t in tasks if t.priority_id == level.priority_id]
        if query.get("search"):
            needle = query["search"].lower()
            tasks = [t for t in tasks if needle in t.title.lower()]
        return self._tasks_page(call, tasks)

    async def create_project_task(self, call: Call) -> JSON:
        project = self.state.project(call.actor_id, call.path["project_id"], call.path["space_id"])
        fields = task_fields(call.body, creating=True)
        return self.render.task(
            self.state.create_task(call.actor_id, project_id=project.project_id, **fields)
        )

    async def get_project_task(self, call: Call) -> JSON:
        return self.render.task(self._project_task(call))

    async def update_project_task(self, call: Call) -> JSON:
        return self._update_task(call, self._project_task(call))

    async def delete_project_task(self, call: Call) -> None:
        self.state.delete_task(call.actor_id, self._project_task(call).task_id)

    async def list_project_subtasks(self, call: Call) -> object:
        parent = self._project_task(call)
        return self._array(self.state.subtasks(call.actor_id, parent.task_id), self.render.task)
