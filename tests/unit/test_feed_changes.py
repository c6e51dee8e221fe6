"""The feed diff: each change named once, keys stable across a repeated diff, digests due once
a day at the subscriber's local time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.domain.feed_changes import (
    FeedChange,
    FeedTask,
    diff,
    digest_day,
    digest_of,
    first_digest_day,
    parse_clock,
    snapshot_from_json,
    snapshot_to_json,
    unchanged,
)


def task(task_id: int, **fields: object) -> FeedTask:
    return FeedTask(task_id=task_id, title=f"task {task_id}", **fields)  # type: ignore[arg-type]


def kinds(changes: list[FeedChange]) -> list[tuple[str, int]]:
    return [(c.kind, c.task.task_id) for c in changes]


def test_nothing_changed_is_no_change() -> None:
    before = {1: task(1), 2: task(2, done=True)}
    changes, stored = diff(before, {1: task(1), 2: task(2, done=True)})
    assert changes == []
    assert stored == before


def test_each_kind_of_change_is_found() -> None:
    before = {1: task(1), 2: task(2, done=True), 3: task(3, owner_ids=(7,), owner_names=("Ann",))}
    after = {
        1: task(1, done=True),
        2: task(2, done=False),
        3: task(3, owner_ids=(7, 8), owner_names=("Ann", "Bo"), due="2026-12-05T17:00:00+00:00"),
        4: task(4),
    }
    changes, stored = diff(before, after)
    assert kinds(changes) == [
        ("completed", 1),
        ("reopened", 2),
        ("assigned", 3),
        ("due_changed", 3),
        ("created", 4),
    ]
    assigned = changes[2]
    assert assigned.added_owners == ("Bo",)
    assert changes[3].previous_due is None
    assert {t: s.rev for t, s in stored.items()} == {1: 1, 2: 1, 3: 1, 4: 1}


def test_unassigning_alone_and_removed_tasks_are_not_posted() -> None:
    before = {1: task(1, owner_ids=(7,), owner_names=("Ann",)), 2: task(2)}
    changes, stored = diff(before, {1: task(1)})
    assert changes == []
    assert set(stored) == {1}


def test_keys_are_the_same_when_the_same_diff_is_made_again() -> None:
    before = {1: task(1)}
    after = {1: task(1, done=True), 2: task(2)}
    first, _ = diff(before, after)
    again, _ = diff(before, after)
    assert [c.key for c in first] == [c.key for c in again]


def test_complete_reopen_complete_gets_three_keys() -> None:
    snap = {1: task(1)}
    keys = []
    for done in (True, False, True):
        changes, snap = diff(snap, {1: task(1, done=done)})
        keys += [c.key for c in changes]
    assert keys == ["completed:1:1", "reopened:1:2", "completed:1:3"]
    assert len(set(keys)) == 3


def test_snapshot_round_trips_through_json() -> None:
    snap = {1: task(1, owner_ids=(3,), owner_names=("Sam",), due="2026-12-05T17:00:00+00:00")}
    assert snapshot_from_json(snapshot_to_json(snap)) == snap
    change = diff({}, snap)[0][0]
    assert FeedChange.from_json(change.to_json()) == change


def test_digest_is_due_once_a_day_after_its_local_time() -> None:
    madrid_0830 = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)  # 08:30 in Madrid
    madrid_0915 = datetime(2026, 12, 3, 8, 15, tzinfo=UTC)
    assert digest_day("09:00", "Europe/Madrid", madrid_0830, None) is None
    assert digest_day("09:00", "Europe/Madrid", madrid_0915, None) == "2026-12-03"
    assert digest_day("09:00", "Europe/Madrid", madrid_0915, "2026-12-03") is None
    assert digest_day(None, "Europe/Madrid", madrid_0915, None) is None
    assert first_digest_day("09:00", "Europe/Madrid", madrid_0830) is None
    utc_0915 = datetime(2026, 12, 3, 9, 15, tzinfo=UTC)
    assert digest_day("09:00", "Not/AZone", utc_0915, None) == "2026-12-03"  # UTC then


def test_digest_lists_open_overdue_and_due_today_in_the_zone() -> None:
    snap = {
        1: task(1, due="2026-12-02T10:00:00+00:00"),
        2: task(2, due="2026-12-03T22:30:00+00:00"),  # Dec 4 in Tokyo, Dec 3 in UTC
        3: task(3, due="2026-12-01T10:00:00+00:00", done=True),
        4: task(4),
        5: task(5, due="2026-12-03T01:00:00+00:00"),
    }
    utc = digest_of(snap, "2026-12-03", "UTC")
    assert [t.task_id for t in utc.overdue] == [1]
    assert [t.task_id for t in utc.today] == [5, 2]
    tokyo = digest_of(snap, "2026-12-03", "Asia/Tokyo")
    assert [t.task_id for t in tokyo.today] == [5]


def test_clock_parsing() -> None:
    assert parse_clock("9:00") == "09:00"
    assert parse_clock("23:59") == "23:59"
    assert parse_clock("24:00") is None
    assert parse_clock("noon") is None


def test_unchanged_answers_whether_a_read_matches_the_stored_snapshot() -> None:
    stored_tasks = {
        1: FeedTask(1, "Write copy", owner_ids=(7,), owner_names=("Maria",), due=None, rev=3),
        2: FeedTask(2, "Ship", done=True, due="2026-12-01T09:00:00+00:00", by="Ann"),
    }
    stored = snapshot_to_json(stored_tasks)
    read = {task_id: replace(task, rev=0) for task_id, task in stored_tasks.items()}
    assert unchanged(stored, read)
    _, kept = diff(snapshot_from_json(stored), read)
    assert kept == snapshot_from_json(stored)  # what diff would store: the same
    for changed in (
        {**read, 2: replace(read[2], done=False)},
        {**read, 1: replace(read[1], title="Write the copy")},
        {**read, 1: replace(read[1], owner_ids=(7, 8), owner_names=("Maria", "Li"))},
        {**read, 2: replace(read[2], due=None)},
        {**read, 2: replace(read[2], by="Li")},
        {1: read[1]},
        {**read, 3: FeedTask(3, "New")},
    ):
        assert not unchanged(stored, changed)
    assert not unchanged(None, read) and unchanged({}, {})
