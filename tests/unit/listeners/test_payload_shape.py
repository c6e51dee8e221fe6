"""The shape check in front of Bolt: real Slack bodies pass, malformed ones say what is wrong."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from bot.listeners.payload_shape import MAX_DEPTH, MalformedBody, check_body
from bot.sandbox.slack_requests import (
    FORM,
    block_action,
    block_suggestion,
    event_callback,
    message_shortcut,
    slash_command,
    view_submission,
)

REAL = {
    "slash command": slash_command(
        "task new x",
        user_id="U0MARIA",
        trigger_id="t",
        response_url="https://hooks.slack.com/commands/T/1/x",
    ),
    "block_actions": block_action(
        [{"action_id": "task.done", "value": "7", "type": "button"}],
        user_id="U0MARIA",
        trigger_id="t",
        container={"type": "message"},
        channel_id="C0GENERAL",
    ),
    "view_submission": view_submission(
        {"id": "V1", "callback_id": "task.new", "private_metadata": "{}", "blocks": []},
        {
            "title": {"title": {"type": "plain_text_input", "value": "x"}},
            "notes": {"notes": {"type": "plain_text_input", "value": None}},  # left empty
            "due": {"due": {"type": "datepicker", "selected_date": None}},
        },
        user_id="U0MARIA",
        trigger_id="t",
    ),
    "block_suggestion": block_suggestion("task.assignee", "ma", user_id="U0MARIA"),
    "message_action": message_shortcut(
        "task.from_message",
        {"ts": "1.2", "text": "hi"},
        user_id="U0MARIA",
        channel_id="C0GENERAL",
        trigger_id="t",
        response_url="https://hooks.slack.com/x",
    ),
    "event_callback": event_callback({"type": "app_home_opened", "user": "U0MARIA"}),
}


@pytest.mark.parametrize("kind", list(REAL))
def test_real_slack_bodies_pass(kind: str) -> None:
    body, headers = REAL[kind]
    assert check_body(body, headers["Content-Type"])


def test_a_slash_command_is_its_form_fields() -> None:
    body, _ = REAL["slash command"]
    assert check_body(body, FORM + "; charset=utf-8")["text"] == "task new x"


def test_a_body_starting_with_a_brace_is_json_whatever_the_form_type_says() -> None:
    assert check_body(b'{"type": "url_verification", "challenge": "c"}', FORM)["challenge"] == "c"


def _payload(**fields: object) -> bytes:
    return urlencode({"payload": json.dumps(fields)}).encode()


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"payload=notjson", FORM, "the payload field is not JSON"),
        (b"payload=%5B%5D", FORM, "the payload is not a JSON object"),
        (b"\xff", FORM, "the body is not UTF-8"),
        (b"", FORM, "the body is empty"),
        (b"a=b", "text/plain", "unsupported content type 'text/plain'"),
        (b"a=b", None, "unsupported content type 'none'"),
        (_payload(type="block_actions", actions=None), FORM, "actions must be a list"),
        (_payload(type="block_actions"), FORM, "a block_actions payload needs actions"),
        (
            _payload(type="block_actions", actions=[]),
            FORM,
            "a block_actions payload needs at least one action",
        ),
        (_payload(type="block_actions", actions=[1]), FORM, "actions[0] is not an object"),
        (_payload(type="block_actions", actions=[{}]), FORM, "actions[0] has no action_id"),
        (
            _payload(type="block_actions", actions=[{"action_id": "a", "selected_option": "x"}]),
            FORM,
            "actions[0].selected_option must be an object or null",
        ),
        (_payload(type="view_submission", view="x"), FORM, "view must be an object"),
        (
            _payload(type="view_submission", view={"state": {"values": {"b": []}}}),
            FORM,
            "view.state.values holds a block that is not an object",
        ),
        (
            _payload(
                type="view_submission", view={"state": {"values": {"b": {"a": {"value": 1}}}}}
            ),
            FORM,
            "view.state.values.b.a.value must be text or null",
        ),
        (_payload(team=[]), FORM, "team must be text or an object or null"),
        (
            _payload(response_urls=[{"response_url": 5}]),
            FORM,
            "response_urls[0].response_url must be text",
        ),
        (
            b'{"type": "event_callback", "event": {"type": 5}}',
            "application/json",
            "event.type must be text",
        ),
        (b"[" * 100_000, "application/json", "the body nests deeper than"),
    ],
)
def test_malformed_bodies_say_what_is_wrong(
    body: bytes, content_type: str | None, reason: str
) -> None:
    with pytest.raises(MalformedBody) as refused:
        check_body(body, content_type)
    assert str(refused.value).startswith(reason)


def test_nesting_is_limited_below_what_recursive_code_survives() -> None:
    nested = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    with pytest.raises(MalformedBody, match="nests deeper"):
        check_body(f'{{"x": {nested}}}'.encode(), "application/json")
    shallow = "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)
    assert check_body(f'{{"x": {shallow}}}'.encode(), "application/json")
