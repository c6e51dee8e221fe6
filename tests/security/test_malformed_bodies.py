"""Issue 12 item 12: a correctly signed body that is malformed gets 400 with a short reason,
never 500, and runs no listener. Each body is signed with the app's real secret and sent over
HTTP to the running app."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import httpx
import pytest

from bot.sandbox.slack_requests import FORM, sign
from bot.sandbox.stack import Stack
from tests.scenario import conftest as scenario

stack = scenario.stack  # the running stack of the scenario tests

JSON = "application/json"


def _form(payload: object) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def _interaction(kind: str, **fields: object) -> dict[str, object]:
    return {
        "type": kind,
        "team": {"id": "T0ACME"},
        "user": {"id": "U0MARIA"},
        "api_app_id": "A0APP",
        "trigger_id": "1.2.3",
        **fields,
    }


DEEP = "[" * 100_000 + "]" * 100_000
MALFORMED: dict[str, tuple[bytes, str]] = {
    "payload=notjson": (b"payload=notjson", FORM),
    "payload=[]": (b"payload=%5B%5D", FORM),
    "payload is a string": (_form("x"), FORM),
    "actions null": (_form(_interaction("block_actions", actions=None)), FORM),
    "actions empty": (_form(_interaction("block_actions", actions=[])), FORM),
    "action not an object": (_form(_interaction("block_actions", actions=["x"])), FORM),
    "action without action_id": (_form(_interaction("block_actions", actions=[{}])), FORM),
    "action value a number": (
        _form(
            _interaction("block_actions", actions=[{"action_id": "account.connect", "value": 5}])
        ),
        FORM,
    ),
    "view is a string": (_form(_interaction("view_submission", view="x")), FORM),
    "view callback_id a number": (
        _form(_interaction("view_submission", view={"callback_id": 5, "state": {"values": {}}})),
        FORM,
    ),
    "view state values a list": (
        _form(
            _interaction(
                "view_submission", view={"callback_id": "task.new", "state": {"values": []}}
            )
        ),
        FORM,
    ),
    "team is a list": (
        _form(_interaction("block_actions", team=[1], actions=[{"action_id": "x"}])),
        FORM,
    ),
    "deep nesting, past the parser": (f"payload={DEEP}".encode(), FORM),
    "deep nesting, 900 levels": (
        urlencode(
            {
                "payload": json.dumps(
                    _interaction("block_actions", actions=[{"action_id": "x"}], extra="DEEP")
                ).replace('"DEEP"', "[" * 900 + "]" * 900)
            }
        ).encode(),
        FORM,
    ),
    "event is a string": (
        json.dumps({"type": "event_callback", "event": "x", "event_id": "Ev1"}).encode(),
        JSON,
    ),
    "event without type": (
        json.dumps({"type": "event_callback", "event": {}, "event_id": "Ev2"}).encode(),
        JSON,
    ),
    "JSON body not an object": (b"[1, 2]", JSON),
    "JSON body not JSON": (b"{nope", JSON),
    "text/plain content type": (_form(_interaction("block_actions", actions=[])), "text/plain"),
    "no content type": (b"payload=%7B%7D", ""),
    "not UTF-8": (b"payload=\xff\xfe", FORM),
    "empty body": (b"", FORM),
}


@pytest.mark.parametrize("case", list(MALFORMED))
async def test_a_signed_malformed_body_gets_400_not_500(stack: Stack, case: str) -> None:
    body, content_type = MALFORMED[case]
    headers = sign(body, content_type)
    if not content_type:
        del headers["Content-Type"]
    calls_before = len(stack.sandbox.slack.calls)
    async with httpx.AsyncClient() as http:
        response = await http.post(stack.app_url + "/slack/events", content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith("malformed request: ")
    await scenario.drain_lazy_work(stack)
    assert len(stack.sandbox.slack.calls) == calls_before  # no listener ran
