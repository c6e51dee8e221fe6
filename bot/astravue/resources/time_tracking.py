"""Time tracking: timers and time entries on tasks, and timesheet reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.astravue.endpoints import ENDPOINTS
from bot.astravue.errors import NotFound
from bot.astravue.models import (
    TimerData,
    TimerRequest,
    TimerUpdateRequest,
    TimesheetGroupBy,
    TimesheetReport,
    TimesheetSummary,
    TimeTrackerDto,
)
from bot.astravue.resources.base import Resource, query
from bot.astravue.updates import TimerChanges, timer_update


class Timers(Resource):
    """Time tracking. Project-task variants are chosen by passing `project_id`."""

    async def list_for_task(
        self, *, task_id: int, user_id: int | None = None
    ) -> list[TimeTrackerDto]:
        reply = await self._transport.call(
            "listTaskTimers", path={"taskId": task_id}, query=query(userId=user_id)
        )
        return reply.many(TimeTrackerDto)

    async def active(self) -> list[TimerData]:
        return (await self._transport.call("listActiveTimers")).many(TimerData)

    async def update(self, *, time_tracker_id: int, body: TimerUpdateRequest) -> TimeTrackerDto:
        reply = await self._transport.call(
            "updateTimer", path={"timeTrackerId": time_tracker_id}, body=body
        )
        return reply.one(TimeTrackerDto)

    async def change(
        self, *, task_id: int, time_tracker_id: int, changes: TimerChanges
    ) -> TimeTrackerDto:
        """Read the entry (there is no GET of one entry: the task's entries hold it), then PUT
        all of it with `changes` applied."""
        current = next(
            (
                entry
                for entry in await self.list_for_task(task_id=task_id)
                if entry.time_tracker_id == time_tracker_id
            ),
            None,
        )
        if current is None:
            raise NotFound(
                404,
                "GET",
                ENDPOINTS["listTaskTimers"].build(taskId=task_id),
                f"time entry {time_tracker_id} is not among the task's entries",
            )
        return await self.update(
            time_tracker_id=time_tracker_id, body=timer_update(current, changes)
        )

    async def delete(self, *, time_tracker_id: int) -> None:
        await self._transport.call("deleteTimer", path={"timeTrackerId": time_tracker_id})

    async def stop(self, *, task_id: int, body: TimerRequest | None = None) -> TimeTrackerDto:
        reply = await self._transport.call("stopTimer", path={"taskId": task_id}, body=body)
        return reply.one(TimeTrackerDto)

    async def start(self, *, task_id: int, project_id: int | None = None) -> TimeTrackerDto:
        operation, path = _timer_target(
            "startPersonalTaskTimer", "startProjectTaskTimer", task_id, project_id
        )
        return (await self._transport.call(operation, path=path)).one(TimeTrackerDto)

    async def add_range(
        self, *, task_id: int, body: TimerRequest, project_id: int | None = None
    ) -> TimeTrackerDto:
        operation, path = _timer_target(
            "addPersonalTaskRange", "addProjectTaskRange", task_id, project_id
        )
        return (await self._transport.call(operation, path=path, body=body)).one(TimeTrackerDto)

    async def add_manual(
        self, *, task_id: int, body: TimerRequest, project_id: int | None = None
    ) -> TimeTrackerDto:
        operation, path = _timer_target(
            "addPersonalTaskManual", "addProjectTaskManual", task_id, project_id
        )
        return (await self._transport.call(operation, path=path, body=body)).one(TimeTrackerDto)


def _timer_target(
    personal: str, project: str, task_id: int, project_id: int | None
) -> tuple[str, dict[str, int]]:
    if project_id is None:
        return personal, {"taskId": task_id}
    return project, {"projectId": project_id, "taskId": task_id}


def _date_range(start_date: date | None, end_date: date | None) -> dict[str, Any]:
    return query(
        startDate=start_date.isoformat() if start_date else None,
        endDate=end_date.isoformat() if end_date else None,
    )


class Timesheets(Resource):
    async def global_(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        group_by: TimesheetGroupBy | None = None,
    ) -> TimesheetReport:
        params = {**_date_range(start_date, end_date), **query(groupBy=group_by)}
        reply = await self._transport.call("getGlobalTimesheet", query=params)
        return reply.one(TimesheetReport)

    async def project(
        self, *, project_id: int, start_date: date | None = None, end_date: date | None = None
    ) -> TimesheetReport:
        reply = await self._transport.call(
            "getProjectTimesheet",
            path={"projectId": project_id},
            query=_date_range(start_date, end_date),
        )
        return reply.one(TimesheetReport)

    async def project_summary(
        self, *, project_id: int, start_date: date | None = None, end_date: date | None = None
    ) -> TimesheetSummary:
        reply = await self._transport.call(
            "getProjectTimesheetSummary",
            path={"projectId": project_id},
            query=_date_range(start_date, end_date),
        )
        return reply.one(TimesheetSummary)
