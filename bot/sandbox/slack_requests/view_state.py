"""`view.state.values` as Slack sends it on a submission: every input block of the view with
its element's initial value, then what the user changed."""

from __future__ import annotations

import copy
from typing import Any

# Where each element keeps its value in `view.state.values` (and in a block action).
STATE_KEYS = {
    "plain_text_input": "value",
    "number_input": "value",
    "email_text_input": "value",
    "url_text_input": "value",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
    "static_select": "selected_option",
    "external_select": "selected_option",
    "radio_buttons": "selected_option",
    "overflow": "selected_option",
    "multi_static_select": "selected_options",
    "multi_external_select": "selected_options",
    "checkboxes": "selected_options",
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
}


def initial_state(element: dict[str, Any]) -> dict[str, Any]:
    """One element's state before the user touches it: its `initial_*` value, else empty."""
    kind = str(element.get("type", ""))
    key = STATE_KEYS.get(kind, "value")
    initial = "initial_" + key.removeprefix("selected_")
    empty: Any = [] if key.endswith("s") else None
    return {"type": kind, key: copy.deepcopy(element.get(initial, empty))}


def initial_values(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{block_id: {action_id: state}} for every input block of `view` that names both ids."""
    values: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks") or []:
        element = block.get("element") if isinstance(block, dict) else None
        if block.get("type") != "input" or not isinstance(element, dict):
            continue
        block_id, action_id = block.get("block_id"), element.get("action_id")
        if block_id and action_id:
            values[str(block_id)] = {str(action_id): initial_state(element)}
    return values


def submitted_values(
    view: dict[str, Any], filled: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """What Slack submits: the view's initial input values, overridden by `filled`."""
    values = initial_values(view)
    for block_id, actions in filled.items():
        values[block_id] = {**values.get(block_id, {}), **actions}
    return values
