"""The Slack fake's chat.unfurl: it accepts only what Slack would, and records it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.sandbox.slack import BOT_TOKEN, SlackFake
from bot.sandbox.slack.methods.unfurls import UnfurlLedger

AUTH = {"Authorization": f"Bearer {BOT_TOKEN}"}
URL = "https://app.astravue.com/tasks/7"
CARD = {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Task 7"}}]}


@pytest.fixture
def fake() -> SlackFake:
    return SlackFake()


@pytest.fixture
def ledger(fake: SlackFake) -> UnfurlLedger:
    return UnfurlLedger.of(fake)


@pytest.fixture
async def http(fake: SlackFake) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=fake.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://slack.test") as client:
        yield client


async def unfurl(http: httpx.AsyncClient, **args: Any) -> dict[str, Any]:
    response = await http.post("/api/chat.unfurl", json=args, headers=AUTH)
    body: dict[str, Any] = response.json()
    return body


async def test_a_shared_url_is_unfurled_by_either_key_and_recorded(
    ledger: UnfurlLedger, http: httpx.AsyncClient
) -> None:
    event = ledger.share("U0MARIA", [URL])
    assert event["type"] == "link_shared" and event["links"][0]["domain"] == "app.astravue.com"
    by_id = {"unfurl_id": event["unfurl_id"], "source": event["source"]}
    assert (await unfurl(http, **by_id, unfurls={URL: CARD}))["ok"]
    by_ts = {"channel": event["channel"], "ts": event["message_ts"]}
    assert (await unfurl(http, **by_ts, unfurls={URL: CARD}))["ok"]
    prompt = await unfurl(http, **by_id, user_auth_required=True, user_auth_url="https://x/s")
    assert prompt["ok"]
    assert [c.unfurls for c in ledger.calls] == [{URL: CARD}, {URL: CARD}, {}]
    assert ledger.calls[-1].user_auth_required and ledger.calls[-1].user_auth_url == "https://x/s"
    assert len(ledger.for_url(URL)) == 3


async def test_what_slack_refuses(ledger: UnfurlLedger, http: httpx.AsyncClient) -> None:
    event = ledger.share("U0MARIA", [URL])
    by_id = {"unfurl_id": event["unfurl_id"], "source": event["source"]}
    other = "https://app.astravue.com/tasks/8"
    refusals = {
        "cannot_unfurl_message": await unfurl(http, **by_id, unfurls={other: CARD}),
        "invalid_unfurl_id": await unfurl(http, unfurl_id="nope", source="composer", unfurls={}),
        "invalid_source": await unfurl(http, unfurl_id=event["unfurl_id"], source="x"),
        "invalid_arguments": await unfurl(http, unfurl_id=event["unfurl_id"], unfurls={}),
        "missing_unfurls": await unfurl(http, **by_id),
        "cannot_find_channel": await unfurl(http, channel="C0NONE", ts="1.0", unfurls={}),
        "invalid_blocks": await unfurl(http, **by_id, unfurls={URL: {"blocks": [{"type": "x"}]}}),
    }
    assert {error: body.get("error") for error, body in refusals.items()} == {
        error: error for error in refusals
    }
    assert ledger.calls == []
