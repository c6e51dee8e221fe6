"""Where a notification goes (skipped, held or sent now), and quiet hours in the user's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.astravue.models import NotificationDto, UserDto
from bot.db.models import DeliveryStatus
from bot.domain.notifications import NotificationPrefs
from bot.services.notification_rules import Routing, Rules, category, in_quiet_hours

ME = 7
MADRID = ZoneInfo("Europe/Madrid")


def note(kind: str = "comment", **fields: object) -> NotificationDto:
    return NotificationDto(notification_id=1, type=kind, **fields)


def rules(prefs: NotificationPrefs | None = None, **overrides: object) -> Rules:
    values: dict[str, object] = {
        "prefs": prefs or NotificationPrefs(),
        "own_user_id": ME,
        "muted_task_ids": frozenset(),
        "digest_project_ids": frozenset(),
        "quiet": False,
    }
    values.update(overrides)
    return Rules(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("assignment", "assignment"),
        ("Mention", "mention"),
        ("reply", "comment"),
        ("status change", "status_change"),
        ("STATUS_CHANGE", "status_change"),
        ("something new", "other"),
        (None, "other"),
    ],
)
def test_categories_fold_the_api_spellings(kind: str | None, expected: str) -> None:
    assert category(kind) == expected


def test_by_default_a_notification_is_sent_now() -> None:
    assert rules().route(note()) == Routing(DeliveryStatus.PENDING)


def test_notifications_off_skip_everything() -> None:
    assert rules(NotificationPrefs(enabled=False)).route(note()).status == DeliveryStatus.SKIPPED


def test_a_category_turned_off_is_skipped_and_the_others_are_not() -> None:
    prefs = NotificationPrefs(type_modes={"comment": "off"})
    assert rules(prefs).route(note("reply")).status == DeliveryStatus.SKIPPED
    assert rules(prefs).route(note("mention")).status == DeliveryStatus.PENDING


def test_a_muted_task_is_skipped() -> None:
    routed = rules(muted_task_ids=frozenset({42})).route(note(task_id=42))
    assert routed.status == DeliveryStatus.SKIPPED
    assert rules(muted_task_ids=frozenset({42})).route(note(task_id=43)).status == (
        DeliveryStatus.PENDING
    )


def test_own_actions_are_skipped_unless_the_user_wants_them() -> None:
    mine = note(actor=UserDto(user_id=ME))
    assert rules().route(mine).status == DeliveryStatus.SKIPPED
    keep = NotificationPrefs(skip_own_actions=False)
    assert rules(keep).route(mine).status == DeliveryStatus.PENDING
    assert rules().route(note(actor=UserDto(user_id=ME + 1))).status == DeliveryStatus.PENDING


def test_quiet_hours_hold_what_would_be_sent() -> None:
    assert rules(quiet=True).route(note()) == Routing(DeliveryStatus.HELD, "quiet")


def test_skipping_wins_over_quiet_hours() -> None:
    assert rules(NotificationPrefs(enabled=False), quiet=True).route(note()).status == (
        DeliveryStatus.SKIPPED
    )


def test_a_digest_category_or_project_is_held_for_the_digest() -> None:
    digest = NotificationPrefs(type_modes={"assignment": "digest"})
    assert rules(digest).route(note("assignment")) == Routing(DeliveryStatus.HELD, "digest")
    by_project = rules(digest_project_ids=frozenset({5}))
    assert by_project.route(note(project_id=5)) == Routing(DeliveryStatus.HELD, "digest")
    assert by_project.route(note(project_id=6)).status == DeliveryStatus.PENDING


def test_quiet_hours_take_precedence_over_a_digest() -> None:
    digest = NotificationPrefs(type_modes={"comment": "digest"})
    assert rules(digest, quiet=True).route(note()).held_for == "quiet"


def quiet(start: str | None, end: str | None) -> NotificationPrefs:
    return NotificationPrefs(quiet_start=start, quiet_end=end)


def at(hour: int, minute: int = 0) -> datetime:
    """That time of day in Madrid on a winter day (UTC+1)."""
    return datetime(2026, 1, 15, hour, minute, tzinfo=MADRID).astimezone(UTC)


def test_no_quiet_hours_without_both_ends_or_with_an_empty_window() -> None:
    assert not in_quiet_hours(quiet(None, "08:00"), at(3), MADRID)
    assert not in_quiet_hours(quiet("22:00", None), at(23), MADRID)
    assert not in_quiet_hours(quiet("09:00", "09:00"), at(9), MADRID)


def test_a_daytime_window_includes_its_start_and_excludes_its_end() -> None:
    prefs = quiet("12:00", "14:00")
    assert not in_quiet_hours(prefs, at(11, 59), MADRID)
    assert in_quiet_hours(prefs, at(12), MADRID)
    assert in_quiet_hours(prefs, at(13, 59), MADRID)
    assert not in_quiet_hours(prefs, at(14), MADRID)


def test_a_window_over_midnight_spans_both_days() -> None:
    prefs = quiet("22:00", "07:00")
    assert in_quiet_hours(prefs, at(22), MADRID)
    assert in_quiet_hours(prefs, at(2), MADRID)
    assert not in_quiet_hours(prefs, at(7), MADRID)
    assert not in_quiet_hours(prefs, at(12), MADRID)


def test_quiet_hours_are_read_in_the_users_zone() -> None:
    # 22:30 in Madrid is 21:30 UTC: quiet for a Madrid user, not for one in UTC.
    prefs = quiet("22:00", "07:00")
    assert in_quiet_hours(prefs, at(22, 30), MADRID)
    assert not in_quiet_hours(prefs, at(22, 30), ZoneInfo("UTC"))
