"""Bolt's requests from a body parsed once, and lazy copies without Bolt's deep copy."""

from __future__ import annotations

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.listeners.bolt_requests import copy_lazy_requests_shallowly, lazy_request, parsed_request
from bot.listeners.payload_shape import check_body
from bot.sandbox.slack_requests import block_action, slash_command

SLASH = slash_command(
    "task new x",
    user_id="U0MARIA",
    trigger_id="t",
    response_url="https://hooks.slack.com/commands/T/1/x",
)
CLICK = block_action(
    [{"action_id": "task.done", "value": "7", "type": "button"}],
    user_id="U0MARIA",
    trigger_id="t",
    container={"type": "message"},
    channel_id="C0GENERAL",
)


def ours(body: bytes, headers: dict[str, str]) -> AsyncBoltRequest:
    return parsed_request(
        body.decode(), check_body(body, headers["Content-Type"]), query={}, headers=headers
    )


@pytest.mark.parametrize("signed", [SLASH, CLICK], ids=["slash command", "block_actions"])
def test_the_request_is_the_one_bolt_builds_from_the_raw_body(
    signed: tuple[bytes, dict[str, str]],
) -> None:
    body, headers = signed
    bolt = AsyncBoltRequest(body=body.decode(), query={}, headers=headers)
    request = ours(body, headers)
    assert (request.body, request.raw_body, request.mode) == (bolt.body, bolt.raw_body, "http")
    assert (request.headers, request.content_type) == (bolt.headers, bolt.content_type)
    assert {key: request.context.get(key) for key in ("team_id", "user_id", "response_url")} == {
        key: bolt.context.get(key) for key in ("team_id", "user_id", "response_url")
    }


def test_a_command_mentioning_payload_keeps_its_fields() -> None:
    # Bolt's own parse reads any form body containing "payload" as a `payload` field.
    body, headers = slash_command(
        "task new payload docs",
        user_id="U0MARIA",
        trigger_id="t",
        response_url="https://hooks.slack.com/commands/T/1/x",
    )
    assert ours(body, headers).body["text"] == "task new payload docs"


def test_a_lazy_copy_has_its_own_body_and_ids_and_shares_bolts_objects() -> None:
    request = ours(*CLICK)
    client, mine = object(), {"ids": ["U0MARIA"]}
    request.context["client"] = client
    request.context["link_team_id"] = mine

    copied = lazy_request(request, "lazy_done")

    assert (copied.lazy_only, copied.lazy_function_name) == (True, "lazy_done")
    assert copied.body == request.body and copied.raw_body == request.raw_body
    copied.body["actions"][0]["value"] = "changed"
    assert request.body["actions"][0]["value"] == "7"
    assert copied.context["client"] is client  # Bolt's per-request objects: shared
    assert copied.context["link_team_id"] == mine and copied.context["link_team_id"] is not mine


def test_bolt_runs_lazy_listeners_on_these_copies() -> None:
    app = AsyncApp(signing_secret="s", token="xoxb-t")
    copy_lazy_requests_shallowly(app)
    assert app._async_listener_runner._build_lazy_request is lazy_request
