"""Spaces and projects."""

from __future__ import annotations

from typing import Any

from bot.sandbox.astravue_api.base import ApiBase, Call
from bot.sandbox.astravue_api.requests import JSON, Body
from bot.sandbox.astravue_state import (
    DEFAULT_HEALTH,
    DEFAULT_PRIORITY,
    DEFAULT_PROJECT_STATUS,
    DEFAULT_SPACE_COLOR,
)


class WorkspaceEndpoints(ApiBase):
    """/v1/spaces and their projects."""

    def _space_fields(self, body: Body) -> dict[str, Any]:
        fields = {
            "name": body.text("spaceName", required=True),
            "description": body.text("description"),
            "color": body.text("color"),
        }
        body.check()
        return fields

    async def list_spaces(self, call: Call) -> object:
        return self._array(self.state.spaces_of(call.actor_id), self.render.space)

    async def create_space(self, call: Call) -> JSON:
        fields = self._space_fields(call.body)
        fields = {k: v for k, v in fields.items() if v is not None}
        return self.render.space(self.state.create_space(call.actor_id, **fields))

    async def get_space(self, call: Call) -> JSON:
        return self.render.space(self.state.space(call.actor_id, call.path["space_id"]))

    async def update_space(self, call: Call) -> JSON:
        self.state.space(call.actor_id, call.path["space_id"])
        body = call.body
        name = body.text("spaceName", required=True)
        fields = self._updated(
            body,
            {
                "description": ("description", lambda n: body.text(n, nullable=True), None),
                "color": ("color", body.text, DEFAULT_SPACE_COLOR),
            },
        )
        space = self.state.update_space(call.actor_id, call.path["space_id"], str(name), **fields)
        return self.render.space(space)

    async def delete_space(self, call: Call) -> None:
        self.state.delete_space(call.actor_id, call.path["space_id"])

    # -- projects --

    def _project_fields(self, body: Body) -> dict[str, Any]:
        fields = {
            "name": body.text("projectName", required=True),
            "description": body.text("description"),
            "status": body.text("status"),
            "priority": body.text("priority"),
            "health": body.text("health"),
            "start_date": body.moment("startDate"),
            "end_date": body.moment("endDate"),
            "budget": body.number("budget"),
        }
        body.check()
        return fields

    async def list_projects(self, call: Call) -> object:
        projects = self.state.projects_in(call.actor_id, call.path["space_id"])
        return self._paged(call, "projects", projects, self.render.project)

    async def create_project(self, call: Call) -> JSON:
        self.state.space(call.actor_id, call.path["space_id"])
        fields = {k: v for k, v in self._project_fields(call.body).items() if v is not None}
        return self.render.project(
            self.state.create_project(call.actor_id, call.path["space_id"], **fields)
        )

    async def get_project(self, call: Call) -> JSON:
        return self.render.project(
            self.state.project(call.actor_id, call.path["project_id"], call.path["space_id"])
        )

    async def update_project(self, call: Call) -> JSON:
        self.state.project(call.actor_id, call.path["project_id"], call.path["space_id"])
        body = call.body
        name = body.text("projectName", required=True)
        fields = self._updated(
            body,
            {
                "description": ("description", lambda n: body.text(n, nullable=True), None),
                "status": ("status", body.text, DEFAULT_PROJECT_STATUS),
                "priority": ("priority", body.text, DEFAULT_PRIORITY),
                "health": ("health", body.text, DEFAULT_HEALTH),
                "startDate": ("start_date", lambda n: body.moment(n, nullable=True), None),
                "endDate": ("end_date", lambda n: body.moment(n, nullable=True), None),
                "budget": ("budget", lambda n: body.number(n, nullable=True), None),
            },
        )
        project = self.state.update_project(
            call.actor_id, call.path["space_id"], call.path["project_id"], str(name), **fields
        )
        return self.render.project(project)

    async def delete_project(self, call: Call) -> None:
        self.state.delete_project(call.actor_id, call.path["space_id"], call.path["project_id"])
