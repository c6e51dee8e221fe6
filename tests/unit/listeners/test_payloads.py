"""Typed access to Bolt bodies (bot.listeners.payloads): each field from where Slack puts it
in each kind of payload, and nothing raised for a field that is missing or mistyped."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.listeners.payloads import Payload, as_int

COMMAND = {
    "command": "/astravue",
    "text": "task list",
    "user_id": "U1",
    "team_id": "T1",
    "enterprise_id": "E1",
    "channel_id": "C1",
    "trigger_id": "tr.1",
    "response_url": "https://hooks.slack.com/commands/x",
}
BUTTON = {
    "type": "block_actions",
    "user": {"id": "U1", "team_id": "T1"},
    "team": {"id": "T1"},
    "enterprise": {"id": "E1"},
    "channel": {"id": "C1"},
    "container": {"type": "message", "channel_id": "C1", "message_ts": "1.2"},
    "trigger_id": "tr.2",
    "actions": [{"action_id": "task.complete", "value": "42"}],
}
OVERFLOW = {
    "type": "block_actions",
    "user": {"id": "U1"},
    "actions": [{"action_id": "task.overflow", "selected_option": {"value": "delete|42"}}],
}
SUBMISSION = {
    "type": "view_submission",
    "user": {"id": "U1"},
    "team": {"id": "T1"},
    "view": {
        "id": "V1",
        "callback_id": "task.create",
        "private_metadata": json.dumps({"c": "C1", "r": "42"}),
        "state": {
            "values": {
                "title": {"v": {"type": "plain_text_input", "value": "Fix login"}},
                "due": {"v": {"type": "datepicker", "selected_date": "2026-06-12"}},
                "who": {"v": {"type": "multi_users_select", "selected_users": ["U2"]}},
            }
        },
    },
}
EVENT = {
    "type": "event_callback",
    "team_id": "T1",
    "event_id": "Ev1",
    "event": {"type": "app_home_opened", "user": "U1", "tab": "home"},
}


def test_a_slash_command() -> None:
    p = Payload(COMMAND)
    assert (p.user_id, p.team_id, p.enterprise_id, p.channel_id) == ("U1", "T1", "E1", "C1")
    assert (p.command, p.text, p.trigger_id) == ("/astravue", "task list", "tr.1")
    assert p.response_url == "https://hooks.slack.com/commands/x"
    assert p.kind == "" and p.action == {} and p.view == {} and p.event_id is None


def test_a_button() -> None:
    p = Payload(BUTTON)
    assert (p.user_id, p.team_id, p.enterprise_id, p.channel_id) == ("U1", "T1", "E1", "C1")
    assert (p.action_id, p.action_value, p.chosen, p.selected_value) == (
        "task.complete",
        "42",
        "42",
        "",
    )
    assert p.action_ids == ["task.complete"]
    assert p.message_ts == "1.2" and p.trigger_id == "tr.2"


def test_an_overflow_choice() -> None:
    p = Payload(OVERFLOW)
    assert (p.action_value, p.selected_value, p.chosen) == ("", "delete|42", "delete|42")


def test_a_view_submission() -> None:
    p = Payload(SUBMISSION)
    assert (p.view_id, p.callback_id) == ("V1", "task.create")
    assert p.metadata == {"c": "C1", "r": "42"}
    assert p.value("title", "v") == "Fix login"
    assert p.value("due", "v") == "2026-06-12"
    assert p.value("who", "v") == ["U2"]
    assert p.value("absent", "v") is None


def test_an_event() -> None:
    p = Payload(EVENT)
    assert (p.kind, p.event_id, p.team_id, p.user_id) == ("event_callback", "Ev1", "T1", "U1")
    assert p.event["tab"] == "home"


@pytest.mark.parametrize(
    "metadata", ["", "not json", "[1, 2]", '"text"', "switch", "42", json.dumps(None)]
)
def test_metadata_that_is_not_an_object_reads_as_empty(metadata: str) -> None:
    p = Payload({"view": {"private_metadata": metadata}})
    assert p.metadata == {}
    assert p.private_metadata == metadata


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"actions": "x", "view": "x", "event": 1, "user": "U1", "team": [], "container": None},
        {"actions": [None], "view": {"state": {"values": {"b": None}}}},
        {"actions": [], "type": "event_callback"},
    ],
)
def test_missing_or_mistyped_fields_read_as_empty(body: dict[str, Any]) -> None:
    p = Payload(body)
    assert p.action == {} and p.action_value == "" and p.chosen == ""
    assert p.user_id is None and p.team_id is None and p.trigger_id is None
    assert p.value("b", "v") is None and p.metadata == {} and p.event == {}
    assert p.event_id is None


@pytest.mark.parametrize(
    ("value", "number"), [("42", 42), (7, 7), ("", None), (None, None), ("x", None)]
)
def test_as_int(value: object, number: int | None) -> None:
    assert as_int(value) == number
