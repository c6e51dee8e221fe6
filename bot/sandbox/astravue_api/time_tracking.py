"""Timers, range and manual entries, timesheets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sandbox.astravue_api.base import ApiBase, Call
from bot.sandbox.astravue_api.render import totals
from bot.sandbox.astravue_api.requests import JSON, query_choice, query_date, query_int
from bot.sandbox.astravue_state import UNSET, Timesheet


class TimeEndpoints(ApiBase):
    """/v1/time-track."""

    async def list_task_timers(self, call: Call) -> object:
        user_id = query_int(call.query, "userId", call.actor_id, minimum=1)
        entries = self.state.task_time_entries(call.actor_id, call.path["task_id"], user_id)
        return self._array(entries, self.render.entry)

    async def list_active_timers(self, call: Call) -> object:
        running = self.state.running_timer(call.actor_id)
        return self._array([running] if running else [], self.render.timer)

    async def update_timer(self, call: Call) -> JSON:
        body = call.body
        if self._put_replaces:  # a replaced entry still needs its times
            entry = self.state.entries.get(call.path["tracker_id"])
            running = entry is not None and entry.running
            for name in ("startTime",) if running else ("startTime", "endTime"):
                if name not in body:
                    body.fail(name, "is required")
        fields = self._updated(
            body,
            {
                "startTime": ("start", body.moment, UNSET),
                "endTime": ("end", body.moment, UNSET),
                "billable": ("billable", body.boolean, False),
                "notes": ("notes", lambda n: body.text(n, nullable=True), None),
            },
        )
        entry = self.state.update_time_entry(call.actor_id, call.path["tracker_id"], **fields)
        return self.render.entry(entry)

    async def delete_timer(self, call: Call) -> None:
        self.state.delete_time_entry(call.actor_id, call.path["tracker_id"])

    async def stop_timer(self, call: Call) -> JSON:
        billable, notes = call.body.boolean("billable"), call.body.text("notes")
        call.body.check()
        entry = self.state.stop_timer(
            call.actor_id, call.path["task_id"], billable=billable, notes=notes
        )
        return self.render.entry(entry)

    async def start_timer(self, call: Call) -> JSON:
        entry = self.state.start_timer(
            call.actor_id, call.path["task_id"], project_id=call.path.get("project_id")
        )
        return self.render.entry(entry)

    async def add_range(self, call: Call) -> JSON:
        body = call.body
        start, end = body.moment("startTime", required=True), body.moment("endTime", required=True)
        billable, notes = body.boolean("billable"), body.text("notes")
        body.check()
        assert start is not None and end is not None  # check() raised otherwise
        entry = self.state.add_range_entry(
            call.actor_id,
            call.path["task_id"],
            start,
            end,
            project_id=call.path.get("project_id"),
            billable=bool(billable),
            notes=notes,
        )
        return self.render.entry(entry)

    async def add_manual(self, call: Call) -> JSON:
        body = call.body
        hours = body.integer("hours", minimum=0) or 0
        minutes = body.integer("minutes", minimum=0, maximum=59) or 0
        start = body.moment("startTime")
        # Tolerated: a work day instead of a start time; the work is placed at 09:00 UTC.
        day = body.day("date")
        billable, notes = body.boolean("billable"), body.text("notes")
        body.check()
        if start is None and day is not None:
            start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        entry = self.state.add_manual_entry(
            call.actor_id,
            call.path["task_id"],
            timedelta(hours=hours, minutes=minutes),
            project_id=call.path.get("project_id"),
            start=start,
            billable=bool(billable),
            notes=notes,
        )
        return self.render.entry(entry)

    def _timesheet(self, call: Call, project_id: int | None, group_by: str) -> Timesheet:
        return self.state.timesheet(
            call.actor_id,
            project_id=project_id,
            group_by=group_by,
            start_date=query_date(call.query, "startDate"),
            end_date=query_date(call.query, "endDate"),
        )

    async def global_timesheet(self, call: Call) -> JSON:
        group_by = query_choice(call.query, "groupBy", ("member", "project"), "member")
        return self.render.timesheet(self._timesheet(call, None, group_by))

    async def project_timesheet(self, call: Call) -> JSON:
        return self.render.timesheet(self._timesheet(call, call.path["project_id"], "member"))

    async def project_timesheet_summary(self, call: Call) -> JSON:
        sheet = self._timesheet(call, call.path["project_id"], "member")
        return {"projectId": call.path["project_id"], **totals(sheet.total_ms, sheet.billable_ms)}
