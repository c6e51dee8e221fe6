"""Issue 19 point 15: one formatter for durations, dates and moments, with proper plurals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.notifications import NotificationPrefs
from bot.ui.notification_settings import home_section, settings_modal
from bot.ui.words import clock, day_and_clock, duration_in_words, local_day, plural

TOKYO = ZoneInfo("Asia/Tokyo")


def test_durations_in_words() -> None:
    assert duration_in_words(timedelta(minutes=1)) == "1 minute"
    assert duration_in_words(timedelta(seconds=61)) == "1 minute"
    assert duration_in_words(timedelta(0)) == "0 minutes"
    assert duration_in_words(timedelta(minutes=60)) == "1 hour"
    assert duration_in_words(timedelta(minutes=61)) == "1 hour 1 minute"
    assert duration_in_words(timedelta(minutes=450)) == "7 hours 30 minutes"


def test_plurals() -> None:
    assert plural(1, "task") == "1 task" and plural(0, "task") == "0 tasks"
    assert plural(3, "open task") == "3 open tasks"
    assert plural(2, "person", "people") == "2 people"


def test_moments_read_in_the_readers_zone() -> None:
    moment = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)  # already Saturday in Tokyo
    today = date(2026, 12, 3)
    assert clock(moment) == "23:30" and clock(moment, TOKYO) == "08:30"
    assert local_day(moment, UTC, today) == "Fri 4 Dec"
    assert day_and_clock(moment, TOKYO, today) == "Sat 5 Dec 08:30"
    assert local_day(datetime(2027, 1, 4, 9, tzinfo=UTC), UTC, today) == "Mon 4 Jan 2027"
    assert clock(None) == "?"


def test_the_timer_reminder_reads_in_words_and_its_field_as_a_duration() -> None:
    prefs = NotificationPrefs(timer_limit_minutes=1)
    summary = str(home_section(prefs))
    assert "Timer reminder after 1 minute." in summary and "0.0166667" not in summary
    modal = str(settings_modal(prefs, "Europe/Madrid"))
    assert "'initial_value': '1m'" in modal and "0.0166667" not in modal
    off = str(settings_modal(NotificationPrefs(timer_limit_minutes=0), "UTC"))
    assert "'initial_value': '0'" in off
