"""The Slack Web API fake: in process (httpx over ASGI) and through slack_sdk over real HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import uvicorn
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.sandbox.slack import BOT_TOKEN, SlackFake

AUTH = {"Authorization": f"Bearer {BOT_TOKEN}"}
JULY = datetime(2026, 7, 1, 12, tzinfo=UTC).timestamp()
JANUARY = datetime(2026, 1, 15, 12, tzinfo=UTC).timestamp()


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(title: str = "Task") -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [section("loading")],
    }


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> SlackFake:
    return SlackFake(clock=clock, wall_clock=lambda: JULY + clock.now)


@pytest.fixture
async def http(fake: SlackFake) -> AsyncIterator[httpx.AsyncClient]:
    fake.public_base = "http://slack.test"
    transport = httpx.ASGITransport(app=fake.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://slack.test") as client:
        yield client


async def api(http: httpx.AsyncClient, method: str, **args: Any) -> dict[str, Any]:
    response = await http.post(f"/api/{method}", json=args, headers=AUTH)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# ---- in process ------------------------------------------------------------------------


async def test_auth_is_checked_and_the_token_never_recorded(
    fake: SlackFake, http: httpx.AsyncClient
) -> None:
    missing = (await http.post("/api/auth.test")).json()
    wrong = (await http.post("/api/auth.test", headers={"Authorization": "Bearer xoxb-no"})).json()
    in_form = (await http.post("/api/auth.test", data={"token": BOT_TOKEN})).json()

    assert missing == {"ok": False, "error": "not_authed"}
    assert wrong == {"ok": False, "error": "invalid_auth"}
    assert in_form["ok"] is True
    assert in_form["user_id"] == "U0BOT"
    assert in_form["team_id"] == "T0ACME"
    assert all("token" not in call.args for call in fake.calls)
    assert [c.ok for c in fake.calls_to("auth.test")] == [False, False, True]


async def test_post_message_to_a_user_lands_in_the_dm_and_history_returns_metadata(
    fake: SlackFake, http: httpx.AsyncClient
) -> None:
    metadata = {"event_type": "astravue_notification", "event_payload": {"id": "n1"}}
    first = await api(http, "chat.postMessage", channel="U0MARIA", text="one", metadata=metadata)
    # Form-encoded, with blocks and metadata as JSON strings, as slack_sdk may send them.
    form = {
        "channel": "D0MARIA",
        "text": "two",
        "blocks": json.dumps([section("two")]),
        "metadata": json.dumps({"event_type": "other", "event_payload": {}}),
    }
    second = (await http.post("/api/chat.postMessage", data=form, headers=AUTH)).json()

    assert first["channel"] == "D0MARIA"
    assert second["ok"] is True
    assert float(second["ts"]) > float(first["ts"])
    assert [m.text for m in fake.dm_messages("U0MARIA")] == ["one", "two"]
    assert fake.dm_messages("U0MARIA")[1].blocks == [section("two")]

    plain = await api(http, "conversations.history", channel="D0MARIA")
    assert [m["text"] for m in plain["messages"]] == ["two", "one"]  # newest first
    assert all("metadata" not in m for m in plain["messages"])

    with_meta = await api(
        http, "conversations.history", channel="D0MARIA", include_all_metadata=True, limit=1
    )
    assert [m["metadata"]["event_type"] for m in with_meta["messages"]] == ["other"]
    assert with_meta["has_more"] is True
    cursor = with_meta["response_metadata"]["next_cursor"]
    rest = await api(
        http, "conversations.history", channel="D0MARIA", cursor=cursor, include_all_metadata="true"
    )
    assert [m["metadata"]["event_payload"] for m in rest["messages"]] == [{"id": "n1"}]

    newer = await api(http, "conversations.history", channel="D0MARIA", oldest=first["ts"])
    assert [m["text"] for m in newer["messages"]] == ["two"]


async def test_post_message_refusals(fake: SlackFake, http: httpx.AsyncClient) -> None:
    assert (await api(http, "chat.postMessage", channel="U0GHOST", text="x"))[
        "error"
    ] == "channel_not_found"
    assert (await api(http, "chat.postMessage", channel="C0GENERAL"))["error"] == "no_text"
    bad_meta = await api(
        http, "chat.postMessage", channel="C0GENERAL", text="x", metadata={"event_type": "x"}
    )
    assert bad_meta["error"] == "invalid_metadata_format"
    assert (await api(http, "chat.fly"))["error"] == "unknown_method"
    assert fake.messages_in("C0GENERAL") == []


async def test_bot_posts_only_in_channels_it_is_a_member_of(
    fake: SlackFake, http: httpx.AsyncClient
) -> None:
    assert (await api(http, "chat.postMessage", channel="C0RANDOM", text="a"))["ok"]  # default
    fake.bot_channels = {"C0GENERAL"}
    message = await api(http, "chat.postMessage", channel="C0RANDOM", text="b")
    ephemeral = await api(http, "chat.postEphemeral", channel="C0RANDOM", user="U0MARIA", text="c")
    inside = await api(http, "chat.postMessage", channel="C0GENERAL", text="d")
    dm = await api(http, "chat.postMessage", channel="U0MARIA", text="e")

    assert message == ephemeral == {"ok": False, "error": "not_in_channel"}
    assert inside["ok"] and dm["ok"]  # its channels and its own DMs stay open
    assert [m.text for m in fake.messages_in("C0RANDOM")] == ["a"]


async def test_invalid_blocks_are_refused_and_recorded(
    fake: SlackFake, http: httpx.AsyncClient
) -> None:
    body = await api(
        http, "chat.postMessage", channel="C0GENERAL", text="x", blocks=[section("x" * 3001)]
    )

    assert body["ok"] is False
    assert body["error"] == "invalid_blocks"
    assert body["errors"] == ["blocks[0].text.text: 3001 chars > 3000"]
    assert fake.calls[-1].violations == body["errors"]
    assert fake.violations == ["chat.postMessage: blocks[0].text.text: 3001 chars > 3000"]
    assert fake.messages_in("C0GENERAL") == []

    fake.strict = False  # record only, as a demo would
    assert (
        await api(
            http, "chat.postMessage", channel="C0GENERAL", text="x", blocks=[section("x" * 3001)]
        )
    )["ok"] is True
    assert len(fake.violations) == 2


async def test_update_delete_permalink_ephemeral_and_open(
    fake: SlackFake, http: httpx.AsyncClient
) -> None:
    posted = await api(http, "chat.postMessage", channel="C0GENERAL", text="timer running")
    updated = await api(
        http,
        "chat.update",
        channel="C0GENERAL",
        ts=posted["ts"],
        text="timer stopped",
        blocks=[section("stopped")],
    )
    link = await api(http, "chat.getPermalink", channel="C0GENERAL", message_ts=posted["ts"])
    ephemeral = await api(
        http, "chat.postEphemeral", channel="C0GENERAL", user="U0DEV", text="only you"
    )
    opened = await api(http, "conversations.open", users="U0SAM")

    assert updated["message"]["text"] == "timer stopped"
    assert fake.messages_in("C0GENERAL")[0].blocks == [section("stopped")]
    assert link["permalink"].endswith(f"/archives/C0GENERAL/p{posted['ts'].replace('.', '')}")
    assert [e.text for e in fake.ephemerals_for("U0DEV")] == ["only you"]
    assert ephemeral["message_ts"] == fake.ephemerals_for("U0DEV")[0].ts
    assert opened["channel"]["id"] == "D0SAM"
    assert (await api(http, "conversations.open", users="U0GHOST"))["error"] == "user_not_found"

    assert (await api(http, "chat.delete", channel="C0GENERAL", ts=posted["ts"]))["ok"]
    assert fake.messages_in("C0GENERAL") == []
    gone = await api(http, "chat.update", channel="C0GENERAL", ts=posted["ts"], text="x")
    assert gone["error"] == "message_not_found"


async def test_trigger_id_expires_after_3s_and_works_once(
    fake: SlackFake, http: httpx.AsyncClient, clock: Clock
) -> None:
    fresh, late = fake.new_trigger_id("U0MARIA"), fake.new_trigger_id("U0MARIA")
    clock.now += 2.9
    opened = await api(http, "views.open", trigger_id=fresh, view=modal())
    again = await api(http, "views.open", trigger_id=fresh, view=modal())
    clock.now += 0.2
    expired = await api(http, "views.open", trigger_id=late, view=modal())
    unknown = await api(http, "views.open", trigger_id="1.2.3", view=modal())

    assert opened["ok"] is True
    assert opened["view"]["id"].startswith("V")
    assert again["error"] == "exchanged_trigger_id"
    assert expired["error"] == "expired_trigger_id"
    assert unknown["error"] == "invalid_trigger_id"
    assert [v["id"] for v in fake.open_views("U0MARIA")] == [opened["view"]["id"]]


async def test_modal_stack_update_hash_and_push_limit(
    fake: SlackFake, http: httpx.AsyncClient
) -> None:
    root = (
        await api(http, "views.open", trigger_id=fake.new_trigger_id("U0DEV"), view=modal("Root"))
    )["view"]
    updated = await api(
        http, "views.update", view_id=root["id"], hash=root["hash"], view=modal("Loaded")
    )
    stale = await api(
        http, "views.update", view_id=root["id"], hash=root["hash"], view=modal("Stale")
    )
    missing = await api(http, "views.update", view_id="VNOPE", view=modal())
    pushes = [
        await api(
            http, "views.push", trigger_id=fake.new_trigger_id("U0DEV"), view=modal(f"Push {i}")
        )
        for i in range(3)
    ]

    assert updated["view"]["title"]["text"] == "Loaded"
    assert updated["view"]["hash"] != root["hash"]
    assert stale["error"] == "hash_conflict"
    assert missing["error"] == "not_found"
    assert [p.get("error") for p in pushes] == [None, None, "push_limit_reached"]
    stack = fake.open_views("U0DEV")
    assert [v["title"]["text"] for v in stack] == ["Loaded", "Push 0", "Push 1"]
    assert stack[2]["root_view_id"] == root["id"]
    assert stack[2]["previous_view_id"] == stack[1]["id"]

    fake.after_view_submission("U0DEV", stack[2]["id"], None)  # plain ack closes the top
    assert len(fake.open_views("U0DEV")) == 2
    fake.after_view_submission(
        "U0DEV", stack[1]["id"], {"response_action": "update", "view": modal("Edited")}
    )
    assert fake.open_views("U0DEV")[1]["title"]["text"] == "Edited"
    fake.after_view_submission("U0DEV", stack[0]["id"], {"response_action": "clear"})
    assert fake.open_views("U0DEV") == []


async def test_views_publish_keeps_one_home_per_user(
    fake: SlackFake, http: httpx.AsyncClient
) -> None:
    home = {"type": "home", "blocks": [section("Your tasks")]}
    first = await api(http, "views.publish", user_id="U0SAM", view=home)
    second = await api(
        http, "views.publish", user_id="U0SAM", view={**home, "blocks": [section("Timer running")]}
    )
    modal_as_home = await api(http, "views.publish", user_id="U0SAM", view=modal())
    stranger = await api(http, "views.publish", user_id="U0GHOST", view=home)

    assert second["view"]["id"] == first["view"]["id"]
    home_view = fake.home_view("U0SAM")
    assert home_view is not None
    assert home_view["blocks"] == [section("Timer running")]
    assert modal_as_home["error"] == "invalid_arguments"
    assert stranger["error"] == "user_not_found"
    assert fake.home_view("U0MARIA") is None


async def test_response_url_allows_5_uses(fake: SlackFake, http: httpx.AsyncClient) -> None:
    url = fake.new_response_url("C0GENERAL", "U0MARIA")
    assert url.startswith("http://slack.test/respond/")
    statuses = [(await http.post(url, json={"text": f"reply {i}"})).status_code for i in range(6)]
    refused = await http.post(url, json={"text": "late"})

    assert statuses == [200] * 5 + [404]
    assert refused.text == "used_url"
    assert [r.outcome for r in fake.responses][-2:] == ["used_url", "used_url"]
    assert len(fake.ephemerals_for("U0MARIA")) == 5
    assert (await http.post("http://slack.test/respond/unknown", json={})).status_code == 404


async def test_response_url_expires_after_30_minutes(
    fake: SlackFake, http: httpx.AsyncClient, clock: Clock
) -> None:
    url = fake.new_response_url("C0GENERAL", "U0MARIA")
    clock.now += 30 * 60 - 1
    assert (await http.post(url, json={"text": "in time"})).status_code == 200
    clock.now += 2
    late = await http.post(url, json={"text": "too late"})

    assert (late.status_code, late.text) == (404, "expired_url")


async def test_response_url_replace_delete_and_in_channel(
    fake: SlackFake, http: httpx.AsyncClient
) -> None:
    card = await api(http, "chat.postMessage", channel="C0GENERAL", text="task card")
    url = fake.new_response_url("C0GENERAL", "U0DEV", message_ts=card["ts"])
    await http.post(url, json={"replace_original": True, "text": "timer started"})
    assert [m.text for m in fake.messages_in("C0GENERAL")] == ["timer started"]
    await http.post(url, json={"response_type": "in_channel", "text": "shared"})
    assert [m.text for m in fake.messages_in("C0GENERAL")] == ["timer started", "shared"]
    await http.post(url, json={"delete_original": "true"})
    assert [m.text for m in fake.messages_in("C0GENERAL")] == ["shared"]

    command_url = fake.new_response_url("C0GENERAL", "U0DEV")
    await http.post(command_url, json={"text": "loading"})
    await http.post(command_url, json={"replace_original": True, "text": "done"})
    assert [e.text for e in fake.ephemerals_for("U0DEV")] == ["done"]
    invalid = await http.post(command_url, json={"blocks": [{"type": "nope"}]})
    assert (invalid.status_code, invalid.text) == (400, "invalid_blocks")
    assert [r.outcome for r in fake.responses] == [
        "replaced",
        "in_channel",
        "deleted",
        "ephemeral",
        "replaced",
        "invalid_blocks",
    ]


async def test_post_message_pacing_per_channel(
    fake: SlackFake, http: httpx.AsyncClient, clock: Clock
) -> None:
    burst = [
        await http.post(
            "/api/chat.postMessage", headers=AUTH, json={"channel": "C0GENERAL", "text": str(i)}
        )
        for i in range(4)
    ]
    assert [r.status_code for r in burst] == [200, 200, 200, 429]
    assert burst[3].headers["Retry-After"] == "1"
    assert burst[3].json() == {"ok": False, "error": "ratelimited"}
    other_channel = await api(http, "chat.postMessage", channel="C0OTHER", text="fine")
    assert other_channel["ok"] is True

    clock.now += 0.5  # before Retry-After has passed
    early = await http.post(
        "/api/chat.postMessage", headers=AUTH, json={"channel": "C0GENERAL", "text": "early"}
    )
    clock.now += 0.5
    on_time = await api(http, "chat.postMessage", channel="C0GENERAL", text="on time")

    assert early.status_code == 429
    assert fake.early_posts == 1
    assert fake.rate_limited == 2
    assert on_time["ok"] is True


async def test_workspace_budget_and_injected_429(
    fake: SlackFake, http: httpx.AsyncClient, clock: Clock
) -> None:
    fake.workspace_per_minute, fake.workspace_burst = 60, 2
    codes = [
        (
            await http.post(
                "/api/chat.postMessage", headers=AUTH, json={"channel": f"C{i}", "text": "x"}
            )
        ).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]
    blocked = await http.post(
        "/api/chat.postMessage", headers=AUTH, json={"channel": "C7", "text": "x"}
    )
    assert (blocked.status_code, blocked.headers["Retry-After"]) == (429, "1")  # workspace-wide

    clock.now += 60
    fake.post_message_429_rate, fake.post_message_retry_after = 1.0, 3
    injected = await http.post(
        "/api/chat.postMessage", headers=AUTH, json={"channel": "C9", "text": "x"}
    )
    assert injected.status_code == 429
    assert injected.headers["Retry-After"] == "3"


async def test_users_info_and_lookup(
    fake: SlackFake, http: httpx.AsyncClient, clock: Clock
) -> None:
    maria = (await api(http, "users.info", user="U0MARIA"))["user"]
    sam = (await api(http, "users.lookupByEmail", email="SAM@acme.test"))["user"]
    fake.wall_clock = lambda: JANUARY
    winter = (await api(http, "users.info", user="U0MARIA"))["user"]

    assert (maria["tz"], maria["tz_offset"], maria["tz_label"]) == ("Europe/Madrid", 7200, "CEST")
    assert winter["tz_offset"] == 3600
    assert maria["profile"]["email"] == "maria@acme.test"
    assert maria["real_name"] == "Maria Lopez"
    assert (sam["id"], sam["tz_offset"]) == ("U0SAM", 9 * 3600)
    assert (await api(http, "users.lookupByEmail", email="x@y.test"))["error"] == "users_not_found"
    assert (await api(http, "users.info", user="U0GHOST"))["error"] == "user_not_found"

    fake.add_user(
        "U0NEW", name="new", real_name="New Person", email="new@acme.test", tz="America/New_York"
    )
    assert (await api(http, "users.info", user="U0NEW"))["user"]["tz_offset"] == -5 * 3600

    # A user with no email (hidden, or never set): Slack leaves profile.email out.
    fake.add_user("U0NOMAIL", name="nomail", real_name="No Mail", email=None)
    assert "email" not in (await api(http, "users.info", user="U0NOMAIL"))["user"]["profile"]
    fake.users["U0MARIA"].email = None
    assert "email" not in (await api(http, "users.info", user="U0MARIA"))["user"]["profile"]
    assert (await api(http, "users.lookupByEmail", email="maria@acme.test"))[
        "error"
    ] == "users_not_found"


async def test_wait_for_returns_matching_calls_or_times_out(
    fake: SlackFake, http: httpx.AsyncClient
) -> None:
    async def post_later() -> None:
        await asyncio.sleep(0.05)
        await api(http, "chat.postMessage", channel="C0GENERAL", text="later")

    task = asyncio.create_task(post_later())
    calls = await fake.wait_for("chat.postMessage", predicate=lambda c: c.ok)
    await task
    assert calls[0].args["text"] == "later"
    with pytest.raises(TimeoutError):
        await fake.wait_for("chat.postMessage", count=2, timeout=0.05)


async def test_fault_knobs_apply_to_the_fake(fake: SlackFake, http: httpx.AsyncClient) -> None:
    fake.faults.down = True
    assert (await http.post("/api/auth.test", headers=AUTH)).status_code == 503


# ---- through slack_sdk over real HTTP -------------------------------------------------


@asynccontextmanager
async def serving(fake: SlackFake) -> AsyncIterator[str]:
    """Serve the fake with uvicorn on a free loopback port; yields the Web API base URL."""
    server = uvicorn.Server(
        uvicorn.Config(fake.app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "uvicorn failed to start"
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    fake.public_base = f"http://127.0.0.1:{port}"
    try:
        yield f"http://127.0.0.1:{port}/api/"
    finally:
        server.should_exit = True
        await task


async def test_sdk_post_message_history_and_users(fake: SlackFake) -> None:
    async with serving(fake) as base_url:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=base_url)
        auth = await client.auth_test()
        dm = await client.conversations_open(users="U0DEV")
        posted = await client.chat_postMessage(
            channel=dm["channel"]["id"],
            text="Task due",
            blocks=[section("Task due")],
            metadata={"event_type": "astravue_notification", "event_payload": {"id": "42"}},
        )
        history = await client.conversations_history(channel="D0DEV", include_all_metadata=True)
        dev = await client.users_info(user="U0DEV")
        # slack_sdk's form-encoded path, with blocks as a JSON string.
        form = await client.api_call(
            "chat.postMessage",
            data={"channel": "D0DEV", "text": "form", "blocks": json.dumps([section("form")])},
        )

    assert auth["user_id"] == "U0BOT"
    assert posted["channel"] == "D0DEV"
    assert history["messages"][0]["metadata"] == {
        "event_type": "astravue_notification",
        "event_payload": {"id": "42"},
    }
    assert (dev["user"]["tz"], dev["user"]["tz_offset"]) == ("America/New_York", -4 * 3600)
    assert form["ok"] is True
    assert [m.blocks for m in fake.dm_messages("U0DEV")] == [
        [section("Task due")],
        [section("form")],
    ]


async def test_sdk_sees_slack_errors(fake: SlackFake, clock: Clock) -> None:
    async with serving(fake) as base_url:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=base_url)
        trigger = fake.new_trigger_id("U0GINA")
        clock.now += 3.5
        with pytest.raises(SlackApiError) as expired:
            await client.views_open(trigger_id=trigger, view=modal())
        with pytest.raises(SlackApiError) as invalid:
            await client.chat_postMessage(
                channel="C0GENERAL",
                text="x",
                blocks=[{"type": "header", "text": {"type": "mrkdwn", "text": "x"}}],
            )
        with pytest.raises(SlackApiError) as bad_auth:
            await AsyncWebClient(token="xoxb-wrong", base_url=base_url).auth_test()

    assert expired.value.response["error"] == "expired_trigger_id"
    assert invalid.value.response["error"] == "invalid_blocks"
    assert invalid.value.response["errors"] == ["blocks[0].text.type: must be plain_text"]
    assert bad_auth.value.response["error"] == "invalid_auth"


async def test_sdk_retry_handler_honours_retry_after() -> None:
    fake = SlackFake()
    fake.channel_burst = 1
    async with serving(fake) as base_url:
        client = AsyncWebClient(
            token=BOT_TOKEN,
            base_url=base_url,
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
        )
        first = await client.chat_postMessage(channel="C0GENERAL", text="first")
        second = await client.chat_postMessage(channel="C0GENERAL", text="second")

    assert first["ok"] and second["ok"]
    statuses = [c.status for c in fake.calls_to("chat.postMessage")]
    assert statuses == [200, 429, 200]
    assert fake.rate_limited == 1
    assert fake.early_posts == 0
    gap = fake.calls_to("chat.postMessage")[2].at - fake.calls_to("chat.postMessage")[1].at
    assert gap >= 1.0


async def test_sdk_delivers_everything_under_injected_429s() -> None:
    fake = SlackFake(seed=3)  # a seed whose 429s need no long retry chains: a ~2 s test
    fake.post_message_429_rate, fake.post_message_retry_after = 0.3, 1
    async with serving(fake) as base_url:
        client = AsyncWebClient(
            token=BOT_TOKEN,
            base_url=base_url,
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=6)],
        )
        channels = [f"C0TEAM{i}" for i in range(10)]
        # One post per channel at a time: a client must not send to a channel under Retry-After.
        results = await asyncio.gather(
            *(client.chat_postMessage(channel=c, text="hi") for c in channels)
        )

    assert all(r["ok"] for r in results)
    assert all(len(fake.messages_in(c)) == 1 for c in channels)
    assert fake.rate_limited >= 3
    assert fake.early_posts == 0


async def test_sdk_webhook_client_uses_the_response_url(fake: SlackFake) -> None:
    async with serving(fake):
        url = fake.new_response_url("C0GENERAL", "U0SAM")
        webhook = AsyncWebhookClient(url)
        answers = [await webhook.send(text=f"reply {i}") for i in range(6)]

    assert [a.status_code for a in answers] == [200] * 5 + [404]
    assert answers[-1].body == "used_url"
    assert len(fake.ephemerals_for("U0SAM")) == 5
