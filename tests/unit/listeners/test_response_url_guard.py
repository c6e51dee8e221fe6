"""A foreign response_url is gone from the request and from the copies lazy listeners get."""

from __future__ import annotations

import pytest
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.listeners.response_url_guard import _drop, foreign_response_urls
from bot.sandbox.slack_requests import block_action, slash_command
from bot.security.response_urls import ResponseUrlPolicy

POLICY = ResponseUrlPolicy.from_settings("https://slack.com/api/", None)
FOREIGN = "https://evil.test/commands/1/secret"
SIGNED = {
    "slash command": slash_command("help", user_id="U0MARIA", trigger_id="t", response_url=FOREIGN),
    "block_actions": block_action(
        [{"action_id": "a", "value": "1"}],
        user_id="U0MARIA",
        trigger_id="t",
        container={"type": "message"},
        response_url=FOREIGN,
    ),
}


@pytest.mark.parametrize("kind", list(SIGNED))
def test_a_foreign_response_url_is_dropped_for_lazy_copies_too(kind: str) -> None:
    body, headers = SIGNED[kind]
    request = AsyncBoltRequest(body=body.decode(), headers=headers)
    assert request.context.response_url == FOREIGN
    assert foreign_response_urls(request.body, POLICY) == [FOREIGN]
    _drop(request, request.context, POLICY)
    copy = request.to_copyable()  # what Bolt hands a lazy listener
    assert request.context.response_url is None and copy.context.response_url is None
    assert "response_url" not in copy.body
    assert copy.context.user_id == "U0MARIA"  # the rest of the payload survives re-encoding


def test_allowed_and_absent_response_urls_are_not_foreign() -> None:
    allowed = {
        "response_url": "https://hooks.slack.com/commands/T/1/x",
        "response_urls": [{"response_url": "https://hooks.slack.com/app/T/2/y"}],
    }
    assert foreign_response_urls(allowed, POLICY) == []
    assert foreign_response_urls({"type": "event_callback", "event": {}}, POLICY) == []
    mixed = {"response_urls": [{"response_url": FOREIGN}, {"response_url": 5}]}
    assert foreign_response_urls(mixed, POLICY) == [FOREIGN, 5]
