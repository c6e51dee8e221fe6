"""Which inputs of a submitted edit form the user changed."""

from __future__ import annotations

from typing import Any

from bot.listeners.payloads import edited, view_initial


def view(blocks: dict[str, dict[str, Any]], state: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "blocks": [
            {"type": "input", "block_id": b, "element": {**e, "action_id": "v"}}
            for b, e in blocks.items()
        ],
        "state": {"values": {b: {"v": s} for b, s in state.items()}},
    }


FORM = {
    "title": {"type": "plain_text_input", "initial_value": "Fix login"},
    "description": {"type": "plain_text_input", "initial_value": ""},
    "due": {"type": "datepicker", "initial_date": "2030-06-28"},
    "priority": {"type": "static_select", "initial_option": {"value": "High"}},
    "owners": {"type": "multi_users_select"},
}


def test_initial_values_are_read_per_element_type() -> None:
    shown = view(FORM, {})
    assert [view_initial(shown, b) for b in FORM] == ["Fix login", "", "2030-06-28", "High", []]
    assert view_initial(shown, "missing") is None


def test_unchanged_inputs_are_not_edits_and_emptying_one_is() -> None:
    submitted = view(
        FORM,
        {
            "title": {"type": "plain_text_input", "value": "Fix login"},
            "description": {"type": "plain_text_input", "value": None},
            "due": {"type": "datepicker", "selected_date": None},
            "priority": {"type": "static_select", "selected_option": {"value": "High"}},
            "owners": {"type": "multi_users_select", "selected_users": ["U0DEV"]},
        },
    )
    assert {b for b in FORM if edited(submitted, b, "v")} == {"due", "owners"}
