"""The timer cards: "since 09:14" as a moment, Stop not destructive, Switch naming the task,
the stopped card's Add note and Undo."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.astravue.models import TimerData, TimeTrackerDto
from bot.domain.tasks import TaskRef
from bot.ui import timer_cards as cards
from bot.ui.ids import Action, Callback

NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
TOKYO, LOS_ANGELES = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Los_Angeles")


def timer(start: datetime, title: str = "Review Q3 budget") -> TimerData:
    return TimerData.model_validate(
        {
            "timeTrackerId": 77,
            "taskId": 14,
            "taskTitle": title,
            "projectId": 3,
            "spaceId": 2,
            "startTime": start.isoformat(),
        }
    )


def entry(minutes: int, notes: str | None = None) -> TimeTrackerDto:
    return TimeTrackerDto.model_validate(
        {"timeTrackerId": 9, "taskId": 14, "duration": minutes * 60_000, "notes": notes}
    )


def elements(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_since_is_a_slack_moment_with_the_owners_clock_as_fallback() -> None:
    start = datetime(2026, 12, 3, 0, 14, tzinfo=UTC)  # 09:14 in Tokyo
    epoch = int(start.timestamp())
    assert cards.since(timer(start), TOKYO, NOW) == f"since <!date^{epoch}^{{time}}|09:14>"
    # In Los Angeles it began the day before: the day is named too.
    shown = cards.since(timer(start), LOS_ANGELES, NOW)
    assert shown == f"since <!date^{epoch}^{{date_short_pretty}} {{time}}|Wed 02 Dec 16:14>"
    assert "Running for" not in cards.running_lines(timer(start), TOKYO, NOW)


def test_stop_stops_at_once_and_nothing_is_destructive() -> None:
    buttons = elements(cards.status(timer(NOW - timedelta(minutes=5)), UTC, NOW))
    assert [(b["text"]["text"], b["action_id"]) for b in buttons] == [
        ("Stop", Action.TIMER_QUICK_STOP),
        ("Stop & edit…", Action.TIMER_STOP),
        ("Switch task", Action.TIMER_SWITCH),
    ]
    assert all(b.get("style") != "danger" for b in buttons)
    assert buttons[0]["value"] == buttons[1]["value"] == TaskRef(14, 2, 3).encode()


def test_switch_names_the_task_within_the_button_limit() -> None:
    busy = cards.busy(timer(NOW), TaskRef(15), "Renew passport", UTC, NOW)
    assert elements(busy)[0]["text"]["text"] == "Switch to Renew passport"
    long = cards.busy(timer(NOW), TaskRef(15), "x" * 200, UTC, NOW)
    assert len(elements(long)[0]["text"]["text"]) <= 75


def test_stopped_card_offers_add_note_and_undo_for_that_entry() -> None:
    stopped = cards.stopped("Review <Q3>", TaskRef(14, 2, 3), entry(72, notes="Did *it*"))
    section = stopped["blocks"][0]["text"]["text"]
    assert "Stopped *Review &lt;Q3&gt;* · *1h 12m*" in section and "Did *it*" in section
    note, undo = elements(stopped)
    assert (note["action_id"], undo["action_id"]) == (Action.TIMER_NOTE, Action.TIMER_UNDO)
    assert json.loads(undo["value"]) == {"e": 9, "r": "2:3:14", "t": "Review <Q3>"}
    assert note["value"] == undo["value"]


def test_note_modal_carries_the_entry_and_asks_for_the_note() -> None:
    value = cards.stop_value("Review Q3 budget", TaskRef(14), 9)
    view = cards.note_modal(value, "Review Q3 budget")
    assert view["callback_id"] == Callback.TIMER_NOTE
    assert view["private_metadata"] == value
    note = view["blocks"][-1]
    assert (note["block_id"], note["optional"]) == (cards.NOTE_BLOCK, False)


def test_undone_says_so_above_the_running_card() -> None:
    undone = cards.undone(timer(NOW - timedelta(hours=1)), UTC, NOW)
    assert "Undone" in undone["blocks"][0]["text"]["text"]
    assert "Running since" in undone["blocks"][1]["text"]["text"]
