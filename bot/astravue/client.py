"""AstravueClient: typed async access to the Astravue REST API for one user.

One client per (user, organisation), cheap to build: it borrows the process-wide
`httpx.AsyncClient`, `RetryPolicy` and `UserRateBudget`. It only composes: `transport`
sends, authenticates and maps errors; `replies` reads answers into models; `resources`
holds the API by area, each built on first use.
"""

from __future__ import annotations

from functools import cached_property

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
from bot.astravue.transport import TokenProvider, Transport

__all__ = ["AstravueClient", "TokenProvider"]


class AstravueClient(Transport):
    """The transport (built with its arguments) with the API's resources on it.

    `call` sends one operation by name, as `api-probe` does; the resources are the typed API.
    """

    @cached_property
    def tasks(self) -> PersonalTasks:
        return PersonalTasks(self)

    @cached_property
    def spaces(self) -> Spaces:
        return Spaces(self)

    @cached_property
    def projects(self) -> Projects:
        return Projects(self)

    @cached_property
    def project_tasks(self) -> ProjectTasks:
        return ProjectTasks(self)

    @cached_property
    def subtasks(self) -> Subtasks:
        return Subtasks(self)

    @cached_property
    def comments(self) -> Comments:
        return Comments(self)

    @cached_property
    def checklists(self) -> Checklists:
        return Checklists(self)

    @cached_property
    def timers(self) -> Timers:
        return Timers(self)

    @cached_property
    def timesheets(self) -> Timesheets:
        return Timesheets(self)

    @cached_property
    def notifications(self) -> Notifications:
        return Notifications(self)
