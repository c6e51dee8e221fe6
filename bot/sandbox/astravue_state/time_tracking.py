"""Time tracking: timers (one running per user), range and manual entries, timesheets."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.sandbox.astravue_state.entities import Task, TimeEntry, Timesheet, TimesheetGroup
from bot.sandbox.astravue_state.errors import Conflict, Forbidden, NotFound, invalid
from bot.sandbox.astravue_state.tasks import Tasks
from bot.sandbox.astravue_state.values import MANUAL, RANGE, TIMER, UNSET, Unset, iso, millis


class TimeTracking(Tasks):
    """Time entries and timesheets."""

    def running_timer(self, user_id: int) -> TimeEntry | None:
        return next((e for e in self.entries.values() if e.user_id == user_id and e.running), None)

    def time_entries(self, user_id: int) -> list[TimeEntry]:
        """All of a user's entries, running one included, oldest first."""
        return sorted(
            (e for e in self.entries.values() if e.user_id == user_id), key=lambda e: e.start
        )

    def task_time_entries(
        self, actor_id: int, task_id: int, user_id: int | None = None
    ) -> list[TimeEntry]:
        actor = self.user(actor_id)
        self.task(actor_id, task_id)
        subject = actor_id if user_id is None else user_id
        if self.user(subject).org_id != actor.org_id:
            raise NotFound(f"User {subject} not found")
        if subject != actor_id and not actor.is_admin:
            raise Forbidden("Only admins can see other people's time entries")
        return [e for e in self.time_entries(subject) if e.task_id == task_id]

    def _loggable_task(self, actor_id: int, task_id: int, project_id: int | None) -> Task:
        actor = self.user(actor_id)
        task = (
            self.personal_task(actor_id, task_id)
            if project_id is None
            else self.project_task(actor_id, project_id, task_id)
        )
        if actor.is_guest and actor_id not in task.owner_ids:
            raise Forbidden("Guests can only log time on tasks they own")
        return task

    def _add_entry(
        self,
        actor_id: int,
        task: Task,
        start: datetime,
        end: datetime | None,
        entry_type: str,
        billable: bool,
        notes: str | None,
    ) -> TimeEntry:
        entry = TimeEntry(
            self._next_id("time_entry"),
            task.org_id,
            actor_id,
            task.task_id,
            task.project_id,
            start,
            end,
            billable,
            notes,
            entry_type,
        )
        self.entries[entry.entry_id] = entry
        return entry

    def start_timer(
        self, actor_id: int, task_id: int, *, project_id: int | None = None
    ) -> TimeEntry:
        """Start a live timer; a second one while one runs is a 409 naming the running task."""
        task = self._loggable_task(actor_id, task_id, project_id)
        running = self.running_timer(actor_id)
        if running is not None:
            running_task = self.tasks[running.task_id]
            raise Conflict(
                f'A timer is already running on "{running_task.title}" '
                f"(task {running_task.task_id}); stop it before starting another"
            )
        return self._add_entry(actor_id, task, self.now(), None, TIMER, False, None)

    def stop_timer(
        self, actor_id: int, task_id: int, *, billable: bool | None = None, notes: str | None = None
    ) -> TimeEntry:
        self.task(actor_id, task_id)
        running = self.running_timer(actor_id)
        if running is None or running.task_id != task_id:
            raise Conflict(f"No timer of yours is running on task {task_id}")
        running.end = max(self.now(), running.start)
        if billable is not None:
            running.billable = billable
        if notes is not None:
            running.notes = notes
        return running

    def add_range_entry(
        self,
        actor_id: int,
        task_id: int,
        start: datetime,
        end: datetime,
        *,
        project_id: int | None = None,
        billable: bool = False,
        notes: str | None = None,
    ) -> TimeEntry:
        task = self._loggable_task(actor_id, task_id, project_id)
        if end <= start:
            raise invalid("endTime", "must be after startTime", iso(end))
        return self._add_entry(actor_id, task, start, end, RANGE, billable, notes)

    def add_manual_entry(
        self,
        actor_id: int,
        task_id: int,
        duration: timedelta,
        *,
        project_id: int | None = None,
        start: datetime | None = None,
        billable: bool = False,
        notes: str | None = None,
    ) -> TimeEntry:
        """`duration` of work that began at `start` (default: it just ended)."""
        task = self._loggable_task(actor_id, task_id, project_id)
        if duration <= timedelta(0):
            raise invalid(
                "hours", "hours and minutes must add up to more than zero", millis(duration)
            )
        begin = start or self.now() - duration
        return self._add_entry(actor_id, task, begin, begin + duration, MANUAL, billable, notes)

    def _own_entry(self, actor_id: int, entry_id: int) -> TimeEntry:
        entry = self.entries.get(entry_id)
        if entry is None or entry.org_id != self.user(actor_id).org_id:
            raise NotFound(f"Time entry {entry_id} not found")
        if entry.user_id != actor_id:
            raise Forbidden("You can only change your own time entries")
        return entry

    def update_time_entry(
        self,
        actor_id: int,
        entry_id: int,
        *,
        start: datetime | Unset = UNSET,
        end: datetime | Unset = UNSET,
        billable: bool | Unset = UNSET,
        notes: str | Unset | None = UNSET,
    ) -> TimeEntry:
        entry = self._own_entry(actor_id, entry_id)
        new_start = entry.start if start is UNSET else start
        if entry.running:
            if end is not UNSET:
                raise invalid(
                    "endTime", "cannot be set on a running timer; stop it instead", iso(end)
                )
            if new_start > self.now():
                raise invalid("startTime", "must not be in the future", iso(new_start))
        else:
            new_end = entry.end if end is UNSET else end
            if new_end is not None and new_end <= new_start:
                raise invalid("endTime", "must be after startTime", iso(new_end))
            entry.end = new_end
        entry.start = new_start
        if billable is not UNSET:
            entry.billable = billable
        if notes is not UNSET:
            entry.notes = notes
        return entry

    def delete_time_entry(self, actor_id: int, entry_id: int) -> None:
        self._own_entry(actor_id, entry_id)
        del self.entries[entry_id]

    def timesheet(
        self,
        actor_id: int,
        *,
        project_id: int | None = None,
        start_date: date | None = None,
        end_date: date | None = None,
        group_by: str = "member",
    ) -> Timesheet:
        """Stopped entries by start date in [start_date, end_date]; admins see everyone,
        others only themselves. `project_id` limits it to one project."""
        actor = self.user(actor_id)
        if project_id is not None:
            self.project(actor_id, project_id)
        if start_date and end_date and end_date < start_date:
            raise invalid("endDate", "must not be before startDate", end_date.isoformat())
        groups: dict[int | None, TimesheetGroup] = {}
        for entry in sorted(self.entries.values(), key=lambda e: e.start):
            day = entry.start.astimezone(UTC).date()
            if (
                entry.running
                or entry.org_id != actor.org_id
                or (not actor.is_admin and entry.user_id != actor_id)
                or (project_id is not None and entry.project_id != project_id)
                or (start_date and day < start_date)
                or (end_date and day > end_date)
            ):
                continue
            key = entry.user_id if group_by == "member" else entry.project_id
            if key not in groups:
                groups[key] = TimesheetGroup(key, self._group_name(group_by, key))
            groups[key].entries.append(entry)
        return Timesheet(group_by, list(groups.values()))

    def _group_name(self, group_by: str, key: int | None) -> str:
        if group_by == "member" and key is not None:
            return self.users[key].full_name
        return self.projects[key].name if key is not None else "Personal tasks"
