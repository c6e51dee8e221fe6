"""AstravueClient: typed async access to the Astravue REST API for one user.

One client per (user, organisation), cheap to build: it borrows the process-wide
`httpx.AsyncClient`, `RetryPolicy` and `UserRateBudget`. It only composes: `transport`
sends, authenticates and maps errors; `replies` reads answers into models; `resources`
holds the API by area.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from bot.astravue.budget import UserRateBudget
from bot.astravue.models import RequestModel
from bot.astravue.replies import Reply
from bot.astravue.resources.notifications import Notifications
from bot.astravue.resources.projects import Projects, Spaces
from bot.astravue.resources.tasks import (
    Checklists,
    Comments,
    PersonalTasks,
    ProjectTasks,
    Subtasks,
)
from bot.astravue.resources.time_tracking import Timers, Timesheets
from bot.astravue.retry import RetryPolicy
from bot.astravue.transport import TokenProvider, Transport

__all__ = ["AstravueClient", "TokenProvider"]


class AstravueClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        org_id: int | None,
        tokens: TokenProvider,
        user_key: str,
        retry: RetryPolicy | None = None,
        budget: UserRateBudget | None = None,
    ) -> None:
        self._transport = Transport(
            http,
            base_url=base_url,
            org_id=org_id,
            tokens=tokens,
            user_key=user_key,
            retry=retry,
            budget=budget,
        )
        self.tasks = PersonalTasks(self._transport)
        self.spaces = Spaces(self._transport)
        self.projects = Projects(self._transport)
        self.project_tasks = ProjectTasks(self._transport)
        self.subtasks = Subtasks(self._transport)
        self.comments = Comments(self._transport)
        self.checklists = Checklists(self._transport)
        self.timers = Timers(self._transport)
        self.timesheets = Timesheets(self._transport)
        self.notifications = Notifications(self._transport)

    async def call(
        self,
        operation: str,
        *,
        path: Mapping[str, int] | None = None,
        query: Mapping[str, Any] | None = None,
        body: RequestModel | None = None,
    ) -> Reply:
        """Send one operation of the endpoint table (as `api-probe` does, by name)."""
        return await self._transport.call(operation, path=path, query=query, body=body)
