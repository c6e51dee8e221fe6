"""Which sandbox dialects each scenario test runs under (issue 14, "The sandbox learns
dialects"); `pytest_generate_tests` in conftest.py applies it.

By default every scenario test runs in the documented dialect and under all switches at once,
and the REPRESENTATIVE tests also under each switch alone. `--all-dialect-combinations`
adds each switch for every test (marked slow); `--sandbox-dialect=X` runs each test once, in
X. On PostgreSQL only the documented dialect runs: dialects are about HTTP answers, which the
SQLite run covers, and CI runs the suite on both.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox.dialect import SWITCHES

ALL = "all"

# One or two tests per area, touching lists, cards, updates, timers, notifications, Home.
REPRESENTATIVE = frozenset(
    {
        "test_tasks.py::test_list_show_complete_and_delete_from_cards",
        "test_task_commands.py::test_assign_by_mention_and_name_then_due_in_the_users_zone",
        "test_task_commands.py::test_long_list_pages",
        "test_timers.py::test_start_busy_switch_stop_with_billable_and_note",
        "test_notifications.py::test_first_poll_sends_one_summary_then_new_ones_arrive_once",
        "test_home.py::test_running_home_shows_the_timer_with_stop_and_switch",
        "test_spaces.py::test_projects_show_edit_and_delete",
    }
)
# Tests that set the sandbox's dialect themselves.
OWN_DIALECT = frozenset({"test_probe_command.py"})


def variants(
    node: str, *, on_postgres: bool, only: str | None, every_switch: bool, timing: bool
) -> list[Any]:
    """The `sandbox_dialect` params of one test (`node` is "file.py::test_name")."""
    if only is not None:
        return [pytest.param(only, id=only or "default", marks=())]
    if on_postgres or timing or node.split("::")[0] in OWN_DIALECT:
        return [pytest.param("", id="default")]
    chosen = ["", ALL]
    if every_switch or node in REPRESENTATIVE:
        chosen += SWITCHES
    slow = (pytest.mark.slow,)
    return [
        pytest.param(
            name,
            id=name or "default",
            marks=slow if name in SWITCHES and node not in REPRESENTATIVE else (),
        )
        for name in chosen
    ]
