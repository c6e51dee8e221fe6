"""The time views' builders: entries by local day with a total per day and for the period,
task titles as links, member names, Previous / Next, and the 50-block limit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.astravue.models import TimeTrackerDto
from bot.domain.time_views import EntryNames, Period, TaskName
from bot.sandbox.blockkit import validate_message
from bot.ui import time_sheets
from bot.ui.components import MAX_MESSAGE_BLOCKS
from bot.ui.ids import Action
from tests.scenario.conftest import buttons, text_of

TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
TODAY = date(2026, 12, 3)
WEEK = Period.containing("week", TODAY)
NAMES = EntryNames(tasks={1: TaskName("Write <tests>", "https://app.test/tasks/1")})


def entry(i: int, start: datetime, minutes: int, task: int = 1, **extra: Any) -> TimeTrackerDto:
    return TimeTrackerDto(
        time_tracker_id=100 + i,
        task_id=task,
        start_time=start,
        end_time=start + timedelta(minutes=minutes),
        duration_ms=minutes * 60_000,
        **extra,
    )


def test_entries_fall_on_the_reader_s_local_day() -> None:
    # 20:00 UTC on Monday 30 Nov: Tuesday in Tokyo, still Monday in Los Angeles.
    late = [entry(1, datetime(2026, 11, 30, 20, tzinfo=UTC), 60)]
    assert "*Tue 1 Dec* · 1h" in text_of(time_sheets.entries_list(late, NAMES, TOKYO, TODAY, WEEK))
    los_angeles = text_of(time_sheets.entries_list(late, NAMES, LOS_ANGELES, TODAY, WEEK))
    assert "*Mon 30 Nov* · 1h" in los_angeles and "12:00\u201313:00" in los_angeles


def test_days_have_totals_titles_are_links_and_the_period_is_in_the_header() -> None:
    monday = datetime(2026, 11, 30, 0, tzinfo=UTC)  # 09:00 in Tokyo
    entries = [
        entry(1, monday, 90, billable=True),
        entry(2, monday + timedelta(hours=2), 30, task=9),  # a task not found: its id
        entry(3, monday + timedelta(days=2), 45, notes="Pairing"),
    ]
    shown = time_sheets.entries_list(entries, NAMES, TOKYO, TODAY, WEEK)
    text = text_of(shown)
    assert "Your time · 30 Nov \u2013 6 Dec" in text
    assert "Total *2h 45m* · billable *1h 30m* · non-billable *1h 15m*" in text
    assert "*Mon 30 Nov* · 2h" in text and "*Wed 2 Dec* · 45m" in text
    assert "<https://app.test/tasks/1|Write &lt;tests&gt;>" in text and "task 9" in text
    assert text.index("Mon 30 Nov") < text.index("Wed 2 Dec")  # oldest first
    menus = [b["accessory"] for b in shown["blocks"] if b.get("accessory")]
    assert {m["action_id"] for m in menus} == {Action.TIME_ENTRY_MENU}
    assert [o["value"] for o in menus[0]["options"]] == ["edit|101", "delete|101"]
    assert not validate_message(shown)


def test_previous_always_next_only_up_to_today() -> None:
    now = buttons(time_sheets.entries_list([], NAMES, TOKYO, TODAY, WEEK))
    assert now[Action.TIME_PREVIOUS]["value"] == "week:2026-11-23" and Action.TIME_NEXT not in now
    earlier = buttons(time_sheets.entries_list([], NAMES, TOKYO, TODAY, WEEK.shifted(-1)))
    assert earlier[Action.TIME_NEXT]["value"] == "week:2026-11-30"
    on_task = buttons(time_sheets.entries_list([], NAMES, TOKYO, TODAY, task_title="X"))
    assert Action.TIME_PREVIOUS not in on_task


def test_older_days_are_summed_up_to_stay_within_50_blocks() -> None:
    month = Period.containing("month", TODAY)
    start = datetime(2026, 11, 1, 1, tzinfo=UTC)
    entries = [entry(i, start + timedelta(days=i // 3, minutes=i), 20) for i in range(90)]
    shown = time_sheets.entries_list(entries, NAMES, TOKYO, TODAY, month)
    assert len(shown["blocks"]) <= MAX_MESSAGE_BLOCKS and not validate_message(shown)
    text = text_of(shown)
    rows = len([b for b in shown["blocks"] if b.get("accessory")])
    assert f"and {90 - rows} earlier entries: Sun 1 Nov 1h (3)" in text
    assert "*Mon 30 Nov* · 1h" in text  # the newest day in full


def test_project_sheet_names_members_and_totals_each_day() -> None:
    monday = datetime(2026, 11, 30, 1, tzinfo=UTC)
    entries = [
        entry(1, monday, 60, user_id=7),
        entry(2, monday, 150, user_id=8),
        entry(3, monday + timedelta(days=1), 30, user_id=9),
    ]
    names = EntryNames(members={7: "You", 8: "Dev Patel"})
    shown = time_sheets.project_sheet(4, "Website", WEEK, entries, names, TOKYO)
    text = text_of(shown)
    assert "• Dev Patel: *2h 30m*" in text and "• You: *1h*" in text
    assert "• Member 9: *30m*" in text  # someone the bot never saw
    assert "Mon 30 Nov · *3h 30m*" in text and "Tue 1 Dec · *30m*" in text
    assert buttons(shown)[Action.SHEET_PREVIOUS]["value"] == "week:2026-11-23|4"
