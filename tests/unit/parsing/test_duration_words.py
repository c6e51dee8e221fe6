"""Issue 19 point 15: durations in sentences read as words, counted nouns have plurals."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.notifications import NotificationPrefs
from bot.parsing.durations import duration_in_words
from bot.ui.notification_settings import home_section
from bot.ui.words import plural


def test_durations_in_words() -> None:
    assert duration_in_words(timedelta(minutes=1)) == "1 min"
    assert duration_in_words(timedelta(seconds=61)) == "1 min"
    assert duration_in_words(timedelta(0)) == "0 min"
    assert duration_in_words(timedelta(minutes=60)) == "1 h"
    assert duration_in_words(timedelta(minutes=450)) == "7 h 30 min"


def test_plurals() -> None:
    assert plural(1, "task") == "1 task" and plural(0, "task") == "0 tasks"
    assert plural(3, "open task") == "3 open tasks"
    assert plural(2, "person", "people") == "2 people"


def test_a_one_minute_timer_reminder_reads_one_min() -> None:
    prefs = NotificationPrefs(timer_limit_minutes=1)
    summary = str(home_section(prefs))
    assert "Timer reminder after 1 min" in summary and "0.0166667" not in summary
