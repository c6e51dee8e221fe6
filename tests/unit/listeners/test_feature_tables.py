"""The feature tables (bot.listeners.__init__._features): every command of the grammar has
exactly one handler, and no action, view or options id is claimed twice."""

from __future__ import annotations

from collections import Counter

from bot.listeners import _features
from bot.listeners.router import GRAMMAR

ANSWERED_IN_THE_ACK = {"help"}  # bot.listeners.commands.local_answer


def test_every_command_has_exactly_one_handler() -> None:
    paths = Counter(path for feature in _features() for path in feature.commands)
    assert not [path for path, n in paths.items() if n > 1]
    assert set(paths) == {spec.path for spec in GRAMMAR} - ANSWERED_IN_THE_ACK


def test_no_id_is_claimed_twice() -> None:
    ids: Counter[str] = Counter()
    for feature in _features():
        ids.update(list(feature.actions))
        ids.update(list(feature.actions_unlinked))
        ids.update(feature.acks_only)
        ids.update(f"view:{view.callback_id}" for view in feature.views)
        ids.update(f"options:{action_id}" for action_id in feature.options)
        ids.update(f"shortcut:{callback_id}" for callback_id in feature.shortcuts)
    assert [name for name, n in ids.items() if n > 1] == []


def test_home_sections_keep_their_order() -> None:
    names = [name for feature in _features() for name, _ in feature.home_sections]
    assert names == ["your timer", "your tasks", "notifications"]
