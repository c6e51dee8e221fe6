"""R10: every message and view builder of `bot/ui` stays inside Slack's Block Kit limits on
maximal input (200 items, 3,000+ character texts, emoji, right-to-left text, `<!channel>`
everywhere), escapes what it echoes, and ends a long list with "and N more" instead of
silently dropping items. The checks are the Slack fake's own (`bot.sandbox.blockkit`).

Each builder is one test id (`module.function[variant]`); a builder added to `bot/ui` without
a case here fails `test_every_ui_builder_has_a_limits_case`.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import ModuleType, SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import bot.ui
from bot.astravue.errors import BadRequest
from bot.astravue.models import (
    FieldError,
    NotificationDto,
    ProjectDto,
    SpaceDto,
    TaskCheckListDto,
    TaskCommentDto,
    TaskDto,
    TimerData,
    TimeTrackerDto,
)
from bot.domain.feed_changes import Digest, FeedChange, FeedTask, NotSubscribed, TooManyFeeds
from bot.domain.notifications import NotificationPrefs
from bot.domain.projects import ProjectFields
from bot.domain.task_lists import Completed, ListSource
from bot.domain.tasks import Pick, TaskDraft, TaskRef
from bot.domain.time_views import EntryNames, Period, TaskName
from bot.domain.unfurls import ProjectPreview, SpacePreview, TaskPreview
from bot.listeners.router import AREAS, GRAMMAR
from bot.sandbox.blockkit import validate_message, validate_view
from bot.ui import (
    account,
    choices,
    components,
    direct_messages,
    errors,
    feeds,
    help,
    home,
    home_sections,
    modal_states,
    notification_settings,
    notifications,
    shared,
    spaces,
    task_choices,
    task_forms,
    task_lists,
    tasks,
    time_sheets,
    timer_cards,
    timers,
    unfurls,
)
from bot.ui.account import Check
from bot.ui.notifications import NotificationCard

MANY = 200
BROADCAST = "<!channel>"
# Emoji, right-to-left Arabic and Hebrew, a broadcast and mrkdwn/HTML metacharacters.
NOISE = f"🚀👩🏽‍💻 مرحبا بالعالم שלום {BROADCAST} <@U0DEV> &amp; *bold* _it_ | "
LONG = (NOISE * 60)[:3200]
# For parameters that take mrkdwn the caller wrote (notes, reasons): callers escape what they
# quote, so these get LONG escaped.
MRKDWN = components.escape(LONG)
ZONE = ZoneInfo("Asia/Tokyo")
NOW = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
APP_URL = "https://app.astravue.test"
CONNECT_URL = "https://bot.test/oauth/astravue/start?token=" + "a" * 40
_MORE = re.compile(r"and (\d+) (?:more|earlier)")


def long_text(marker: str) -> str:
    """A maximal text that starts with a unique marker, so shown items can be counted."""
    return f"{marker} {LONG}"


# --- maximal model inputs -----------------------------------------------------------------


def make_task(i: int, *, done: bool = False) -> TaskDto:
    return TaskDto.model_validate(
        {
            "taskId": 10_000 + i,
            "taskTitle": long_text(f"T{i:03d}"),
            "description": LONG,
            "spaceId": 1,
            "projectId": 2,
            "dueDate": "2025-03-05T00:00:00Z",
            "startDate": "2025-03-01T00:00:00Z",
            "tags": [LONG[:300]] * 20,
            "priority": {"priorityLabel": LONG},
            "status": {"statusName": LONG, "statusCategory": "done" if done else "todo"},
            "owners": [{"userId": u, "firstName": LONG, "lastName": LONG} for u in range(30)],
        }
    )


def make_tasks(count: int = MANY, first: int = 0) -> list[TaskDto]:
    return [make_task(i, done=i % 3 == 0) for i in range(first, first + count)]


def make_space(i: int) -> SpaceDto:
    return SpaceDto.model_validate(
        {
            "spaceId": 100 + i,
            "spaceName": long_text(f"S{i:03d}"),
            "description": LONG,
            "color": "#ABCDEF",
        }
    )


def make_project(i: int) -> ProjectDto:
    return ProjectDto.model_validate(
        {
            "projectId": 1000 + i,
            "spaceId": 100,
            "projectName": long_text(f"P{i:03d}"),
            "description": LONG,
            "status": LONG,
            "priority": LONG,
            "health": LONG,
            "startDate": "2025-01-01T00:00:00Z",
            "endDate": "2025-12-31T00:00:00Z",
            "budget": 123456789.5,
        }
    )


def make_notification(i: int) -> NotificationDto:
    return NotificationDto.model_validate(
        {
            "notificationId": 5000 + i,
            "type": "mention",
            "message": long_text(f"N{i:03d}"),
            "read": i % 2 == 0,
            "createTime": "2025-03-04T08:00:00Z",
            "taskId": 10_000 + i,
            "projectId": 2,
            "spaceId": 1,
        }
    )


def make_entry(i: int) -> TimeTrackerDto:
    return TimeTrackerDto.model_validate(
        {
            "timeTrackerId": 7000 + i,
            "taskId": 10_000 + i,
            "projectId": 2000 + i,
            "userId": 3000 + i,
            "startTime": "2025-03-04T00:00:00Z",
            "endTime": "2025-03-04T01:30:00Z",
            "duration": 5_400_000,
            "billable": i % 2 == 0,
            "notes": long_text(f"E{i:03d}"),
        }
    )


def make_checklist() -> list[TaskCheckListDto]:
    return [
        TaskCheckListDto(check_list_id=i, title=LONG, completed=i % 2 == 0) for i in range(MANY)
    ]


def make_comments() -> list[TaskCommentDto]:
    return [
        TaskCommentDto.model_validate(
            {
                "commentId": i,
                "comment": long_text(f"K{i:03d}"),
                "createdBy": {"userId": 1, "firstName": LONG},
            }
        )
        for i in range(MANY)
    ]


def make_timer() -> TimerData:
    return TimerData.model_validate(
        {
            "timeTrackerId": 77,
            "taskId": 10_001,
            "taskTitle": LONG,
            "projectId": 2,
            "spaceId": 1,
            "startTime": "2025-03-04T07:00:00Z",
            "elapsed": 9_000_000,
            "status": "running",
        }
    )


def spread_entries() -> list[TimeTrackerDto]:
    """MANY entries, oldest first, four a day over fifty days."""
    return [
        make_entry(i).model_copy(update={"start_time": NOW - timedelta(hours=6 * (MANY - i))})
        for i in range(MANY)
    ]


def entry_names() -> EntryNames:
    return EntryNames(
        tasks={10_000 + i: TaskName(LONG, f"{APP_URL}/tasks/{10_000 + i}") for i in range(MANY)}
    )


def make_draft() -> TaskDraft:
    choices = [(long_text(f"C{i:03d}"), f"{i}") for i in range(MANY)]
    return TaskDraft(
        title=LONG,
        description=LONG,
        space_id=1,
        project_id=2,
        project_name=LONG,
        owners=[(u, LONG) for u in range(30)],
        due=date(2025, 3, 5),
        start=date(2025, 3, 1),
        priority=LONG,
        status=LONG,
        tags=[LONG[:200]] * 30,
        notes=[LONG] * 10,
        picks=[Pick("project" if k % 2 else "person", LONG, choices) for k in range(8)],
        permalink="https://acme.slack.com/archives/C1/p1",
    )


def make_card(with_task: bool = True) -> NotificationCard:
    return NotificationCard(
        make_notification(1),
        task_title=LONG,
        project_name=LONG,
        task_ref=TaskRef(10_001, 1, 2) if with_task else None,
        url=APP_URL + "/tasks/10001",
    )


def field_errors() -> dict[str, str]:
    """Astravue's 400 verdicts: some on known blocks, many on unknown fields."""
    known = {"title": LONG, "name": LONG, "due": LONG, "description": LONG}
    return {**known, **{f"unknown{i}": LONG for i in range(MANY)}}


def home_sections_input() -> list[list[dict[str, Any]]]:
    many = make_tasks()
    return [
        home_sections.timer_section(make_timer(), timedelta(hours=30), ZONE, NOW),
        task_lists.home_tasks(
            {"overdue": many, "today": many, "upcoming": many},
            app_url=APP_URL,
            source=ListSource("my"),
            note=task_lists.completed_row(completed(), app_url=APP_URL, source=ListSource("my")),
        ),
        notification_settings.home_section(
            NotificationPrefs(quiet_start="22:00", quiet_end="07:00")
        ),
        task_lists.agenda_blocks({"overdue": many}, app_url=APP_URL, source=FOCUSED),
    ]


# --- the cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One builder call. `listed` items carrying `marker` were given: each must be shown or
    counted in an "and N more" line. `surface` says how to check a bare list of blocks."""

    build: Callable[[], Any]
    listed: int = 0
    marker: str = ""
    surface: str = ""  # "" for a full payload, else "message" or "home" for list[Block]


LIST = ListSource("list", LONG)
FOCUSED = ListSource("my", focus="overdue")


def completed() -> Completed:
    return Completed(make_task(1), timedelta(hours=1), LONG, 40)


def _agenda() -> dict[str, list[TaskDto]]:
    """Three sections of 200 different tasks each."""
    return {
        key: make_tasks(first=n * MANY) for n, key in enumerate(("overdue", "today", "upcoming"))
    }


CASES: dict[str, Case] = {
    # account
    "account.connected[no org]": Case(lambda: account.connected(LONG, LONG, None)),
    "account.connected[org]": Case(lambda: account.connected(LONG, LONG, 1)),
    "account.org_prompt": Case(account.org_prompt),
    "account.link_waiting": Case(lambda: account.link_waiting(LONG, LONG)),
    "account.link_cancelled": Case(lambda: account.link_cancelled(LONG, LONG)),
    "account.org_modal": Case(lambda: account.org_modal(10**12)),
    "account.whoami": Case(lambda: account.whoami(LONG, LONG, 1, "needs_relink", 1)),
    "account.disconnect_confirm": Case(account.disconnect_confirm),
    "account.disconnected": Case(lambda: account.disconnected(True)),
    "account.dismissed": Case(account.dismissed),
    "account.needs_relink_dm": Case(lambda: account.needs_relink_dm(CONNECT_URL)),
    "account.doctor": Case(
        lambda: account.doctor([Check(MRKDWN[:40], i % 2 == 0, MRKDWN, MRKDWN) for i in range(12)])
    ),
    # components (the primitives every builder goes through)
    "components.message": Case(
        lambda: components.message(LONG * 20, [components.section(MRKDWN) for _ in range(MANY)])
    ),
    "components.modal": Case(
        lambda: components.modal(
            LONG,
            [components.section(MRKDWN[:600]) for _ in range(MANY)],
            callback_id="c",
            submit=LONG,
            close=LONG,
            private_metadata=LONG * 2,
            external_id="x",
        )
    ),
    # errors
    "errors.error_message": Case(
        lambda: errors.error_message(
            BadRequest(
                400,
                "POST",
                "/v1/tasks",
                LONG,
                [FieldError(field=LONG, message=LONG) for _ in range(MANY)],
            ),
            connect_url=CONNECT_URL,
        )
    ),
    "errors.connect_prompt": Case(lambda: errors.connect_prompt(CONNECT_URL)),
    "errors.busy_notice": Case(lambda: errors.busy_notice(123.4)),
    # help (the grammar is ours: the real one is the maximal input)
    "help.help_message": Case(lambda: help.help_message(list(GRAMMAR), AREAS)),
    "help.help_message[unlinked]": Case(
        lambda: help.help_message(list(GRAMMAR), AREAS, linked=False)
    ),
    "help.help_message[area]": Case(lambda: help.help_message(list(GRAMMAR), AREAS, topic="Tasks")),
    "help.unknown_topic": Case(lambda: help.unknown_topic(LONG, [LONG], AREAS)),
    "help.unknown_command": Case(
        lambda: help.unknown_command(LONG, [spec.path for spec in GRAMMAR[:3]], args=LONG)
    ),
    # home
    "home.home_unlinked": Case(lambda: home.home_unlinked(CONNECT_URL)),
    "home.home_linked": Case(lambda: home.home_linked(LONG, home_sections_input())),
    "home_sections.timer_section[running]": Case(
        lambda: home_sections.timer_section(make_timer(), timedelta(hours=99), ZONE, NOW),
        surface="home",
    ),
    "home_sections.timer_section[idle]": Case(
        lambda: home_sections.timer_section(None, timedelta(0), ZONE, NOW), surface="home"
    ),
    # notification settings
    "notification_settings.settings_modal": Case(
        lambda: notification_settings.settings_modal(
            NotificationPrefs(
                type_modes={"mention": "digest"},
                quiet_start="22:00",
                quiet_end="07:00",
                mark_read_on_delivery=True,
            ),
            "America/Argentina/ComodRivadavia",
        )
    ),
    "notification_settings.settings_modal[muted]": Case(
        lambda: notification_settings.settings_modal(
            NotificationPrefs(),
            "UTC",
            muted_tasks=[(10**12 + i, LONG) for i in range(10)],
            muted_projects=[(10**12 + i, None) for i in range(10)],
            more_muted=MANY,
        )
    ),
    "notification_settings.unmuted_row": Case(
        lambda: {
            "blocks": [
                notification_settings.unmuted_row(
                    notification_settings.muted_blocks([(1, LONG)], [])[1]
                )
            ]
        }
    ),
    "notification_settings.digest_only": Case(lambda: notification_settings.digest_only(10**12)),
    "notification_settings.digest_undone": Case(notification_settings.digest_undone),
    "notification_settings.home_section": Case(
        lambda: notification_settings.home_section(NotificationPrefs()), surface="home"
    ),
    "notification_settings.saved_message": Case(
        lambda: notification_settings.saved_message(NotificationPrefs(enabled=False))
    ),
    # notifications
    "notifications.notification_dm[unread]": Case(
        lambda: notifications.notification_dm(make_card())
    ),
    "notifications.notification_dm[read]": Case(
        lambda: notifications.notification_dm(make_card(), state="read")
    ),
    "notifications.notification_dm[muted]": Case(
        lambda: notifications.notification_dm(make_card(), state="muted")
    ),
    "notifications.notification_dm[deleted]": Case(
        lambda: notifications.notification_dm(make_card(False), state="deleted")
    ),
    "notifications.summary_dm": Case(lambda: notifications.summary_dm(10**6)),
    "notifications.digest_dm": Case(
        lambda: notifications.digest_dm([make_notification(i) for i in range(MANY)]),
        listed=MANY,
        marker="N",
    ),
    "notifications.relink_dm": Case(lambda: notifications.relink_dm(CONNECT_URL)),
    "notifications.list_modal": Case(
        lambda: notifications.list_modal(
            [make_notification(i) for i in range(MANY)], only_unread=False, note=MRKDWN
        ),
        listed=MANY,
        marker="N",
    ),
    "notifications.loading_modal": Case(notifications.loading_modal),
    # spaces and projects
    "spaces.gone": Case(lambda: spaces.gone("project")),
    "spaces.space_list[many spaces]": Case(
        lambda: spaces.space_list(
            [(make_space(i), [make_project(p) for p in range(3)]) for i in range(MANY)]
        ),
        listed=MANY,
        marker="S",
    ),
    "spaces.space_list[many projects]": Case(
        lambda: spaces.space_list([(make_space(0), [make_project(p) for p in range(MANY)])]),
        listed=MANY,
        marker="P",
    ),
    "spaces.project_list": Case(
        lambda: spaces.project_list(LONG, [(make_space(0), make_project(i)) for i in range(MANY)]),
        listed=MANY,
        marker="P",
    ),
    "spaces.project_card": Case(
        lambda: spaces.project_card(
            make_project(0), make_space(0), open_tasks=10**6, tasks=10**7, note=MRKDWN
        )
    ),
    "spaces.saved": Case(lambda: spaces.saved("Project", LONG, "saved")),
    "spaces.pick_list": Case(
        lambda: spaces.pick_list(
            "project", LONG, "show", [(long_text(f"C{i:03d}"), f"1:{i}") for i in range(MANY)]
        ),
        listed=MANY,
        marker="C",
    ),
    "spaces.space_form": Case(
        lambda: spaces.space_form(
            make_space(0).model_copy(update={"color": LONG[:100]}),
            metadata=LONG,
            errors=field_errors(),
        )
    ),
    "spaces.project_form[new]": Case(
        lambda: spaces.project_form(
            ProjectFields(
                LONG, LONG, LONG, LONG, LONG, date(2025, 1, 1), date(2025, 12, 31), 10**12
            ),
            metadata=LONG,
            editing=False,
            spaces=[(long_text(f"S{i:03d}"), str(i)) for i in range(MANY)],
            space="3",
            errors=field_errors(),
        )
    ),
    "spaces.project_form[edit]": Case(
        lambda: spaces.project_form(ProjectFields(LONG), metadata="1:2", editing=True)
    ),
    "spaces.delete_form": Case(
        lambda: spaces.delete_form(
            "space", LONG, spaces.space_losses([LONG] * MANY, 10**6), metadata=LONG
        )
    ),
    # task forms
    "task_forms.loading_view": Case(lambda: task_forms.loading_view(LONG)),
    "task_forms.task_form[create]": Case(
        lambda: task_forms.task_form(
            make_draft(),
            metadata=LONG,
            statuses=[LONG] * MANY,
            space=(LONG, "1"),
            project=(LONG, "1:2"),
            owner_names=[LONG] * 30,
            errors=field_errors(),
        )
    ),
    "task_forms.task_form[edit]": Case(
        lambda: task_forms.task_form(make_draft(), metadata="x", statuses=[], editing=True)
    ),
    "task_forms.with_errors": Case(
        lambda: task_forms.with_errors([components.section(MRKDWN)] * 40, field_errors()),
        surface="modal",
    ),
    "task_forms.select_options": Case(
        lambda: {
            "blocks": [
                components.section(
                    "x",
                    accessory={
                        "type": "static_select",
                        "action_id": "a",
                        **task_forms.select_options([(LONG, LONG) for _ in range(MANY)], LONG),
                    },
                )
            ]
        }
    ),
    "task_forms.select_options[empty]": Case(
        lambda: {
            "blocks": [
                components.section(
                    "x",
                    accessory={
                        "type": "static_select",
                        "action_id": "a",
                        **task_forms.select_options([], LONG),
                    },
                )
            ]
        }
    ),
    # tasks
    "tasks.capture_preview": Case(lambda: tasks.capture_preview(make_draft(), "tok" * 20)),
    "tasks.task_card[subtasks]": Case(
        lambda: tasks.task_card(
            make_task(0),
            app_url=APP_URL,
            subtasks=make_tasks(),
            checklist=make_checklist(),
            note=MRKDWN,
        ),
        listed=MANY,
        marker="T",
        surface="message",
    ),
    "tasks.task_card[comments]": Case(
        lambda: tasks.task_card(
            make_task(0),
            app_url=APP_URL,
            checklist=make_checklist(),
            comments=make_comments(),
            note=MRKDWN,
        ),
        listed=MANY,
        marker="K",
        surface="message",
    ),
    "tasks.task_message": Case(
        lambda: tasks.task_message(
            make_task(1),
            app_url=APP_URL,
            note=MRKDWN,
            subtasks=make_tasks(),
            comments=make_comments(),
        )
    ),
    "tasks.task_gone": Case(lambda: tasks.task_gone(MRKDWN)),
    "tasks.thread_refused": Case(
        lambda: tasks.thread_refused(
            tasks.task_message(
                make_task(1),
                app_url=APP_URL,
                note=MRKDWN,
                subtasks=make_tasks(),
                comments=make_comments(),
            ),
            "C0RANDOM",
            MRKDWN,
        )
    ),
    "tasks.delete_confirmation": Case(
        lambda: tasks.delete_confirmation(make_task(1), app_url=APP_URL)
    ),
    "task_lists.task_row": Case(
        lambda: task_lists.task_row(make_task(1), app_url=APP_URL, block_id=LIST.encode("0")),
        surface="message",
    ),
    "task_lists.task_list_message[first page]": Case(
        lambda: task_lists.task_list_message(
            make_tasks(),
            app_url=APP_URL,
            title=LONG,
            source=LIST,
            note=[components.section(MRKDWN)],
        ),
        listed=MANY,
        marker="T",
    ),
    "task_lists.task_list_message[middle page]": Case(
        lambda: task_lists.task_list_message(
            make_tasks(), app_url=APP_URL, title=LONG, source=LIST.at_page(3), cut_short=True
        )
    ),
    "task_lists.task_list_message[last page]": Case(
        lambda: task_lists.task_list_message(
            make_tasks(), app_url=APP_URL, title=LONG, source=LIST.at_page(999)
        )
    ),
    "task_lists.task_list_message[none]": Case(
        lambda: task_lists.task_list_message([], app_url=APP_URL, title=LONG, source=LIST)
    ),
    "task_lists.agenda_blocks": Case(
        lambda: task_lists.agenda_blocks(_agenda(), app_url=APP_URL, source=ListSource("my")),
        listed=3 * MANY,
        marker="T",
        surface="message",
    ),
    "task_lists.agenda_blocks[one group]": Case(
        lambda: task_lists.agenda_blocks(_agenda(), app_url=APP_URL, source=FOCUSED),
        listed=MANY,
        marker="T",
        surface="message",
    ),
    "task_lists.agenda_message": Case(
        lambda: task_lists.agenda_message(
            _agenda(),
            app_url=APP_URL,
            source=ListSource("my", LONG),
            note=task_lists.delete_step(make_task(999), app_url=APP_URL, source=LIST),
        ),
        listed=3 * MANY + 1,  # and the task Delete… asks about
        marker="T",
    ),
    "task_lists.agenda_message[empty]": Case(
        lambda: task_lists.agenda_message({}, app_url=APP_URL, source=ListSource("my"))
    ),
    "task_lists.home_tasks": Case(
        lambda: task_lists.home_tasks(_agenda(), app_url=APP_URL, source=ListSource("my")),
        surface="home",
    ),
    "task_lists.search_results": Case(
        lambda: task_lists.search_results(
            LONG, make_tasks(), app_url=APP_URL, source=ListSource("search", LONG)
        ),
        listed=MANY,
        marker="T",
    ),
    "task_lists.search_results[none]": Case(
        lambda: task_lists.search_results(LONG, [], app_url=APP_URL, source=LIST)
    ),
    "task_lists.completed_row": Case(
        lambda: task_lists.completed_row(completed(), app_url=APP_URL, source=LIST),
        surface="message",
    ),
    "task_lists.reopened_row": Case(
        lambda: task_lists.reopened_row(make_task(1), app_url=APP_URL), surface="message"
    ),
    "task_lists.delete_step": Case(
        lambda: task_lists.delete_step(make_task(1), app_url=APP_URL, source=LIST),
        surface="message",
    ),
    "task_lists.deleted_row": Case(lambda: task_lists.deleted_row(LONG), surface="message"),
    # timers
    "timer_cards.status[running]": Case(lambda: timer_cards.status(make_timer(), ZONE, NOW)),
    "timer_cards.status[idle]": Case(lambda: timer_cards.status(None, ZONE, NOW)),
    "timer_cards.started": Case(
        lambda: timer_cards.started(make_timer(), ZONE, NOW, stopped=(LONG, make_entry(0)))
    ),
    "timer_cards.undone": Case(lambda: timer_cards.undone(make_timer(), ZONE, NOW)),
    "timer_cards.busy": Case(
        lambda: timer_cards.busy(make_timer(), TaskRef(1, 2, 3), LONG, ZONE, NOW)
    ),
    "timer_cards.stopped": Case(lambda: timer_cards.stopped(LONG, TaskRef(1, 2, 3), make_entry(0))),
    "timer_cards.note_modal": Case(
        lambda: timer_cards.note_modal(timer_cards.stop_value(LONG, TaskRef(1, 2, 3), 7), LONG)
    ),
    "timers.logged": Case(lambda: timers.logged(make_entry(0), LONG, ZONE)),
    "timers.bad_amount": Case(lambda: timers.bad_amount(MRKDWN)),
    "timers.stop_modal": Case(lambda: timers.stop_modal(make_timer(), True, ZONE, NOW)),
    "timers.stop_at_modal": Case(
        lambda: timers.stop_at_modal(make_timer(), ZONE, NOW, time(18, 0))
    ),
    "timers.pick_modal": Case(lambda: timers.pick_modal("switch")),
    "timers.log_modal": Case(lambda: timers.log_modal(date(2025, 3, 4), False)),
    "timers.edit_modal": Case(lambda: timers.edit_modal(make_entry(0), ZONE)),
    "time_sheets.entries_list": Case(
        lambda: time_sheets.entries_list(
            spread_entries(),
            entry_names(),
            ZONE,
            NOW.date(),
            Period.containing("month", NOW.date()),
        ),
        listed=MANY,
        marker="E",
    ),
    "time_sheets.entries_list[one day]": Case(
        lambda: time_sheets.entries_list(
            [make_entry(i) for i in range(MANY)], entry_names(), ZONE, NOW.date(), task_title=LONG
        ),
        listed=MANY,
        marker="E",
    ),
    "time_sheets.delete_prompt": Case(lambda: time_sheets.delete_prompt(7000)),
    "time_sheets.project_sheet": Case(
        lambda: time_sheets.project_sheet(
            3000,
            LONG,
            Period.containing("week", NOW.date()),
            spread_entries(),
            EntryNames(members={3000 + i: LONG for i in range(MANY)}),
            ZONE,
        )
    ),
    "time_sheets.global_sheet": Case(
        lambda: time_sheets.global_sheet(
            Period.containing("month", NOW.date()),
            spread_entries(),
            {2000 + i: long_text(f"G{i:03d}") for i in range(MANY)},
            ZONE,
        ),
        listed=MANY,
        marker="G",
    ),
    "time_sheets.forbidden_global": Case(time_sheets.forbidden_global),
    "timers.rescue_dm": Case(lambda: timers.rescue_dm(make_timer(), ZONE, NOW, LONG)),
    "timers.kept": Case(lambda: timers.kept(LONG)),
    "timers.loading": Case(lambda: timers.loading(LONG)),
}


def _feed_tasks(first: int = 0) -> list[FeedTask]:
    return [
        FeedTask(
            task_id=n,
            title=f"F{n:03d} {LONG[:200]}",
            owner_ids=(1,),
            owner_names=(LONG[:80],),
            due="2026-12-01T10:00:00+00:00",
            by=LONG[:80],
        )
        for n in range(first, first + MANY)
    ]


def _feed_change(kind: str) -> dict[str, object]:
    task = FeedTask(task_id=1, title=LONG, owner_names=(LONG,), due="2026-12-01T10:00:00+00:00")
    change = FeedChange(kind, task, f"{kind}:1:1", previous_due=None, added_owners=(LONG,))
    return {"kind": "change", "project": LONG, "change": change.to_json(), "zone": "UTC"}


def _feed_infos() -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            id=n,
            project_name=LONG,
            subscriber_id="U0MARIA",
            digest_time="09:00",
            paused_at=None if n % 2 else "paused",
        )
        for n in range(25)
    ]


_PAUSED = {"kind": "paused", "reason": "removed", "feeds": [{"project": LONG, "channel": "C1"}]}
CASES.update(
    {
        **{
            f"feeds.change_post[{kind}]": Case(
                lambda kind=kind: feeds.change_post(_feed_change(kind), APP_URL)  # type: ignore[misc]
            )
            for kind in ("created", "completed", "reopened", "assigned", "due_changed")
        },
        "feeds.digest_post": Case(
            lambda: feeds.digest_post(
                {
                    "project": LONG,
                    "zone": "UTC",
                    "digest": Digest("2026-12-03", _feed_tasks(), _feed_tasks(MANY)).to_json(),
                },
                APP_URL,
            ),
            listed=2 * MANY,
            marker="F",
        ),
        "feeds.paused_dm": Case(lambda: feeds.paused_dm(_PAUSED)),
        "feeds.render": Case(lambda: feeds.render(_PAUSED, APP_URL)),
        "feeds.subscribed": Case(lambda: feeds.subscribed(LONG, "C1", "09:00", True)),
        "feeds.announcement": Case(lambda: feeds.announcement("U0MARIA", LONG, None)),
        "feeds.not_in_channel": Case(lambda: feeds.not_in_channel("C1")),
        "feeds.channel_by_name": Case(lambda: feeds.channel_by_name(LONG)),
        "feeds.feed_list": Case(lambda: feeds.feed_list("C1", _feed_infos())),
        "feeds.removed": Case(lambda: feeds.removed(LONG, "C1")),
        "feeds.already_removed": Case(feeds.already_removed),
        "feeds.usage": Case(lambda: feeds.usage(LONG)),
        "feeds.error[not subscribed]": Case(lambda: feeds.error(NotSubscribed(LONG))),
        "feeds.error[too many]": Case(lambda: feeds.error(TooManyFeeds(25))),
    }
)

# Unfurls are attachments (`{"blocks": [...]}`) inside a message; DM and modal-state replies.
CASES.update(
    {
        "unfurls.task_unfurl": Case(
            lambda: unfurls.task_unfurl(
                TaskPreview(make_task(1), make_project(1)), app_url=APP_URL
            )["blocks"],
            surface="message",
        ),
        "unfurls.project_unfurl": Case(
            lambda: unfurls.project_unfurl(
                ProjectPreview(make_project(1), make_space(1)), app_url=APP_URL
            )["blocks"],
            surface="message",
        ),
        "unfurls.space_unfurl": Case(
            lambda: unfurls.space_unfurl(
                SpacePreview(make_space(1), [make_project(i) for i in range(MANY)]),
                app_url=APP_URL,
            )["blocks"],
            surface="message",
        ),
        "unfurls.unfurl": Case(
            lambda: unfurls.unfurl(TaskPreview(make_task(2), None), app_url=APP_URL)["blocks"],
            surface="message",
        ),
        "direct_messages.needs_a_form": Case(lambda: direct_messages.needs_a_form(LONG)),
        "modal_states.failed": Case(lambda: modal_states.failed("Tasks", ValueError(LONG))),
        "modal_states.needs_setup": Case(lambda: modal_states.needs_setup("Tasks")),
    }
)

# What a channel sees of a shared reply, and the "which task?" question.
CASES.update(
    {
        "shared.for_channel": Case(
            lambda: shared.for_channel(
                time_sheets.entries_list(
                    spread_entries(), entry_names(), ZONE, NOW.date(), task_title=LONG
                ),
                "U0MARIA",
            )
        ),
        "task_choices.task_choices[many]": Case(
            lambda: task_choices.task_choices(
                LONG, [(i, LONG) for i in range(MANY)], [f"log 30m {i}" for i in range(MANY)]
            )
        ),
        "task_choices.task_choices[by words]": Case(
            lambda: task_choices.task_choices(LONG, [(7, LONG)], [None], by_words=True)
        ),
        "choices.project_choices": Case(
            lambda: choices.project_choices(
                LONG, [(i, LONG) for i in range(MANY)], [f"task list {i}" for i in range(MANY)]
            )
        ),
    }
)

# Public functions returning a piece of a payload (an element, a text object, one block),
# checked inside the surfaces above that use them, or returning no Block Kit at all.
PIECES = {
    "components.plain",
    "components.mrkdwn",
    "components.header",
    "components.section",
    "components.context",
    "components.divider",
    "components.button",
    "components.confirm_dialog",
    "components.option",
    "components.overflow",
    "components.actions",
    "components.cap_blocks",
    "task_forms.input_block",
    "task_forms.static_select",
    "task_forms.date_picker",
    "tasks.task_actions",
    "timer_cards.timer_buttons",
    "timer_cards.note_input",  # covered by note_modal
    "timers.task_option",
    "notification_settings.muted_blocks",  # covered by settings_modal[muted]
}
SURFACE_RETURNS = ("dict[str, Any]", "Block", "list[Block]", "list[dict[str, Any]]")
SKIPPED_MODULES = {"bot.ui.pages", "bot.ui.ids"}  # HTML pages; id enums


def _ui_modules() -> list[ModuleType]:
    names = [f"bot.ui.{m.name}" for m in pkgutil.iter_modules(bot.ui.__path__)]
    return [importlib.import_module(n) for n in names if n not in SKIPPED_MODULES]


def _builders() -> set[str]:
    """`module.function` of every public function of bot/ui that returns Block Kit."""
    found = set()
    for module in _ui_modules():
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            if inspect.signature(fn).return_annotation in SURFACE_RETURNS:
                found.add(f"{module.__name__.rsplit('.', 1)[1]}.{name}")
    return found


def _as_payload(case: Case, built: Any) -> dict[str, Any]:
    if not case.surface:
        return built
    if case.surface == "message":
        return {"text": "x", "blocks": built}
    if case.surface == "modal":
        return {
            "type": "modal",
            "title": {"type": "plain_text", "text": "x"},
            "submit": {"type": "plain_text", "text": "x"},
            "blocks": built,
        }
    return {"type": "home", "blocks": built}


def _violations(payload: dict[str, Any]) -> list[str]:
    if payload.get("type") in ("modal", "home"):
        return validate_view(payload)
    return validate_message(payload)


def _mrkdwn_texts(node: Any) -> list[str]:
    """Every string Slack reads as mrkdwn: mrkdwn text objects (and a message's `text`)."""
    if isinstance(node, list):
        return [t for item in node for t in _mrkdwn_texts(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" and "text" in node else []
    return own + [t for value in node.values() for t in _mrkdwn_texts(value)]


@pytest.mark.parametrize("name", list(CASES))
def test_builder_output_is_valid_block_kit(name: str) -> None:
    case = CASES[name]
    payload = _as_payload(case, case.build())
    violations = _violations(payload)
    assert not violations, f"{name} breaks Block Kit limits:\n" + "\n".join(violations[:20])


@pytest.mark.parametrize("name", list(CASES))
def test_builder_escapes_echoed_text(name: str) -> None:
    payload = _as_payload(CASES[name], CASES[name].build())
    texts = _mrkdwn_texts(payload.get("blocks") or [])
    if isinstance(payload.get("text"), str):
        texts.append(payload["text"])
    leaked = [t[:120] for t in texts if BROADCAST in t or "<@U0DEV>" in t]
    assert not leaked, f"{name} echoes unescaped mentions: {leaked}"


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.listed])
def test_long_lists_say_how_many_more(name: str) -> None:
    """Items shown plus every "and N more" account for every item given: nothing is lost."""
    case = CASES[name]
    dumped = json.dumps(_as_payload(case, case.build()), ensure_ascii=False)
    shown = set(re.findall(rf"(?<![A-Za-z0-9]){case.marker}\d{{3}}(?!\d)", dumped))
    more = sum(int(n) for n in _MORE.findall(dumped))
    assert more > 0, f"{name}: {len(shown)} of {case.listed} shown and no 'and N more' line"
    assert len(shown) + more == case.listed, (
        f"{name}: {len(shown)} shown + {more} 'more' != {case.listed} given"
    )


def test_every_ui_builder_has_a_limits_case() -> None:
    covered = {name.split("[")[0] for name in CASES}
    missing = sorted(_builders() - covered - PIECES)
    assert not missing, f"bot/ui builders without a Block Kit limits case: {missing}"
    stale = sorted((covered | PIECES) - _builders())
    assert not stale, f"cases for functions that no longer exist: {stale}"
