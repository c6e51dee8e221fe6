"""The shared sandbox world: the seed identities every fake agrees on, plus enough spaces,
projects, tasks, time entries and notifications for the bot to have something to show.

Due dates are relative to `now` (some overdue, some today, some upcoming). Records are created
through the state's own methods, so the seed obeys the same rules as API calls; a seed clock
dates the setup two weeks back and the recent teammate activity a few hours back, then the
state gets the real clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.sandbox.astravue_state import AstravueState, Task, utc_now

ACME, OTHER_CO = 1, 2
MARIA, DEV, SAM, GINA, OLGA = 1, 2, 3, 4, 5

# (user id, org id, first name, last name, email, role)
SEED_USERS = (
    (MARIA, ACME, "Maria", "Lopez", "maria@acme.test", "Admin"),
    (DEV, ACME, "Dev", "Patel", "dev@acme.test", "Member"),
    (SAM, ACME, "Sam", "Kim", "sam@acme.test", "Member"),
    (GINA, ACME, "Gina", "Guest", "gina@acme.test", "Guest"),
    (OLGA, OTHER_CO, "Olga", "Outsider", "olga@other.test", "Admin"),
)

# (project, title, creator, owners, status, priority, due in days, tags)
PROJECT_TASKS = (
    ("Website", "Fix login redirect loop", DEV, [DEV], "In Progress", "High", -2, ["bug", "auth"]),
    ("Website", "Update pricing page copy", MARIA, [MARIA], "To Do", "Medium", 0, ["content"]),
    ("Website", "Add cookie consent banner", SAM, [SAM], "In Review", "High", 3, ["legal"]),
    ("Website", "Improve Lighthouse score", DEV, [DEV, SAM], "To Do", "Low", 10, ["performance"]),
    ("Website", "Migrate blog to new CMS", MARIA, [MARIA], "Done", "Medium", -5, ["content"]),
    (
        "Mobile App",
        "Push notification opt-in screen",
        DEV,
        [DEV],
        "In Progress",
        "Critical",
        -1,
        ["ios", "android"],
    ),
    (
        "Mobile App",
        "Crash on Android 14 startup",
        SAM,
        [SAM],
        "To Do",
        "Critical",
        0,
        ["bug", "android"],
    ),
    (
        "Mobile App",
        "Offline mode for task list",
        MARIA,
        [MARIA, DEV],
        "To Do",
        "High",
        7,
        ["feature"],
    ),
    ("Mobile App", "App Store screenshots", MARIA, [GINA], "In Review", "Low", 4, ["design"]),
    (
        "Launch",
        "Write launch announcement",
        MARIA,
        [MARIA],
        "In Progress",
        "High",
        1,
        ["content", "launch"],
    ),
    ("Launch", "Prepare press kit", MARIA, [GINA], "To Do", "Medium", 5, ["launch"]),
    ("Launch", "Schedule social posts", SAM, [SAM], "To Do", "Medium", -3, ["social"]),
)

# (owner, title, status, priority, due in days)
PERSONAL_TASKS = (
    (MARIA, "Book flights for the offsite", "To Do", "Medium", 6),
    (MARIA, "Review Q3 budget", "In Progress", "High", 0),
    (MARIA, "Renew passport", "To Do", "Low", -4),
    (DEV, "Set up new laptop", "Done", "Medium", -7),
    (DEV, "Read the caching RFC", "To Do", "Low", 2),
)


class _SeedClock:
    """A hand-moved clock, so seeded records get plausible past timestamps."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def build_seed_state(now: datetime | None = None) -> AstravueState:
    """The sandbox world as of `now` (default: the current time)."""
    anchor = now or utc_now()
    clock = _SeedClock(anchor - timedelta(days=14))
    state = AstravueState(clock=clock)
    state.add_org(ACME, "Acme")
    state.add_org(OTHER_CO, "Other Co")
    for user in SEED_USERS:
        state.add_user(*user)

    tasks = _seed_tasks(state, anchor)
    _seed_details(state, tasks)
    # Everything so far is old news; what teammates did in the last hours is not.
    state.mark_notifications_read(DEV, None)
    state.mark_notifications_read(GINA, None)
    state.mark_notifications_read(SAM, None)
    _seed_time_entries(state, tasks, anchor)
    _seed_recent_activity(state, tasks, clock, anchor)

    state.clock = utc_now
    return state


def _due(anchor: datetime, days: int) -> datetime:
    # A calendar day as this app writes one (bot/domain/calendar.py): noon UTC that day. 17:00
    # UTC, as before, is nearer the next UTC midnight and so read as the next day.
    return (anchor + timedelta(days=days)).replace(hour=12, minute=0, second=0, microsecond=0)


def _seed_tasks(state: AstravueState, anchor: datetime) -> dict[str, Task]:
    engineering = state.create_space(
        MARIA, "Engineering", description="Product development", color="#3F51B5"
    )
    marketing = state.create_space(
        MARIA, "Marketing", description="Campaigns and launches", color="#E91E63"
    )
    projects = {
        "Website": state.create_project(
            MARIA, engineering.space_id, "Website", description="Public website", budget=20000.0
        ),
        "Mobile App": state.create_project(
            MARIA,
            engineering.space_id,
            "Mobile App",
            description="iOS and Android apps",
            budget=50000.0,
        ),
        "Launch": state.create_project(
            MARIA,
            marketing.space_id,
            "Launch",
            description="Spring launch campaign",
            health="At Risk",
        ),
    }
    tasks: dict[str, Task] = {}
    for project, title, creator, owners, status, priority, due_in, tags in PROJECT_TASKS:
        tasks[title] = state.create_task(
            creator,
            title,
            project_id=projects[project].project_id,
            owners=owners,
            status=status,
            priority=priority,
            start_date=_due(anchor, due_in - 7),
            due_date=_due(anchor, due_in),
            tags=tags,
            completion=100 if status == "Done" else 0,
        )
    for owner, title, status, priority, due_in in PERSONAL_TASKS:
        tasks[title] = state.create_task(
            owner,
            title,
            owners=[owner],
            status=status,
            priority=priority,
            due_date=_due(anchor, due_in),
        )

    operations = state.create_space(OLGA, "Operations", description="Running Other Co")
    onboarding = state.create_project(OLGA, operations.space_id, "Onboarding")
    state.create_task(
        OLGA,
        "Welcome new hires",
        project_id=onboarding.project_id,
        owners=[OLGA],
        due_date=_due(anchor, 2),
    )
    return tasks


def _seed_details(state: AstravueState, tasks: dict[str, Task]) -> None:
    """Subtasks, checklists and comments."""
    login = tasks["Fix login redirect loop"].task_id
    state.create_task(DEV, "Reproduce on Safari", parent_id=login, owners=[DEV], status="Done")
    regression = state.create_task(DEV, "Write regression test", parent_id=login, owners=[DEV])
    budget = tasks["Review Q3 budget"].task_id
    state.create_task(MARIA, "Check travel line items", parent_id=budget, owners=[MARIA])

    state.add_checklist_item(DEV, login, "Check the OAuth callback URL", completed=True)
    state.add_checklist_item(DEV, login, "Clear session cookies on logout")
    state.add_checklist_item(DEV, regression.task_id, "Cover Safari")
    state.add_checklist_item(DEV, regression.task_id, "Cover Firefox")
    announcement = tasks["Write launch announcement"].task_id
    for item in ("Outline", "First draft", "Legal review"):
        state.add_checklist_item(MARIA, announcement, item, completed=item == "Outline")

    first = state.add_comment(MARIA, login, "Customers have reported this since Tuesday.")
    state.add_comment(DEV, login, "Looking into it now.", parent_comment_id=first.comment_id)


def _seed_time_entries(state: AstravueState, tasks: dict[str, Task], anchor: datetime) -> None:
    def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
        return (anchor - timedelta(days=days_ago)).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )

    pricing, launch = tasks["Update pricing page copy"], tasks["Write launch announcement"]
    login, opt_in = tasks["Fix login redirect loop"], tasks["Push notification opt-in screen"]
    state.add_range_entry(
        MARIA,
        pricing.task_id,
        at(1, 9),
        at(1, 10, 30),
        project_id=pricing.project_id,
        billable=True,
        notes="Copy review",
    )
    state.add_manual_entry(
        MARIA,
        launch.task_id,
        timedelta(hours=2),
        start=at(2, 14),
        project_id=launch.project_id,
        notes="Drafting",
    )
    state.add_manual_entry(
        MARIA, tasks["Review Q3 budget"].task_id, timedelta(minutes=45), start=at(1, 16)
    )
    state.add_range_entry(
        DEV,
        login.task_id,
        at(1, 10),
        at(1, 13),
        project_id=login.project_id,
        billable=True,
        notes="Debugging",
    )
    state.add_manual_entry(
        DEV,
        opt_in.task_id,
        timedelta(hours=1, minutes=30),
        start=at(2, 11),
        project_id=opt_in.project_id,
        billable=True,
    )


def _seed_recent_activity(
    state: AstravueState, tasks: dict[str, Task], clock: _SeedClock, anchor: datetime
) -> None:
    """Teammates' actions of the last hours: the unread notifications of Maria and Dev."""
    announcement = tasks["Write launch announcement"]
    clock.moment = anchor - timedelta(hours=3)
    state.update_task(
        SAM,
        announcement.task_id,
        description="Draft is in the doc. @maria can you review it today?",
    )
    clock.moment = anchor - timedelta(hours=2)
    state.update_task(DEV, tasks["Offline mode for task list"].task_id, status="In Progress")
    clock.moment = anchor - timedelta(hours=1)
    social = tasks["Schedule social posts"]
    state.update_task(MARIA, social.task_id, owners=[*social.owner_ids, DEV])
    clock.moment = anchor - timedelta(minutes=30)
    state.add_comment(
        SAM, tasks["Fix login redirect loop"].task_id, "@dev I can reproduce it on Safari 17 too."
    )
