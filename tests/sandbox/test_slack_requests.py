"""Signed Slack request builders, and SlackClientSim driving a real Bolt app against the fake."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.sandbox import slack_requests as sr
from bot.sandbox.slack import BOT_TOKEN, SlackFake
from tests.sandbox.test_slack_fake import serving

VIEW = {
    "id": "V0TEST",
    "type": "modal",
    "callback_id": "task_modal",
    "title": {"type": "plain_text", "text": "Task"},
    "blocks": [],
}
MESSAGE = {"type": "message", "ts": "1700000000.000100", "text": "card"}


async def eventually(check: Callable[[], bool]) -> None:
    """Wait (up to 5 s) while Bolt's listener finishes in the background after its ack."""
    for _ in range(500):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met within 5 s")


def form_payload(body: bytes) -> dict[str, Any]:
    fields = parse_qs(body.decode(), strict_parsing=True)
    assert list(fields) == ["payload"]
    payload: dict[str, Any] = json.loads(fields["payload"][0])
    return payload


BUILDERS: dict[str, Callable[[], sr.Signed]] = {
    "slash_command": lambda: sr.slash_command(
        "tasks mine", user_id="U0MARIA", trigger_id="t", response_url="http://r.test/1"
    ),
    "block_action": lambda: sr.block_action(
        [{"action_id": "start_timer", "value": "7"}],
        user_id="U0DEV",
        trigger_id="t",
        container={"type": "message", "message_ts": MESSAGE["ts"]},
        message=MESSAGE,
        response_url="http://r.test/2",
        channel_id="C0GENERAL",
    ),
    "view_submission": lambda: sr.view_submission(
        VIEW, {"b": {"a": {"value": "x"}}}, user_id="U0SAM", trigger_id="t"
    ),
    "view_closed": lambda: sr.view_closed(VIEW, user_id="U0SAM"),
    "message_shortcut": lambda: sr.message_shortcut(
        "create_task",
        MESSAGE,
        user_id="U0MARIA",
        channel_id="C0GENERAL",
        trigger_id="t",
        response_url="http://r.test/3",
    ),
    "block_suggestion": lambda: sr.block_suggestion(
        "project", "web", user_id="U0DEV", view=VIEW, block_id="b"
    ),
    "event_callback": lambda: sr.event_callback({"type": "app_home_opened", "user": "U0GINA"}),
}


@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_every_builder_is_signed_as_slack_signs(build: Callable[[], sr.Signed]) -> None:
    body, headers = build()
    verifier = SignatureVerifier(sr.SIGNING_SECRET)

    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)
    assert not verifier.is_valid_request(body + b"x", headers)
    assert abs(int(headers["X-Slack-Request-Timestamp"]) - time.time()) < 5


def test_old_timestamp_is_signed_but_rejected_as_a_replay() -> None:
    body, headers = sr.slash_command(
        "help",
        user_id="U0MARIA",
        trigger_id="t",
        response_url="http://r.test/1",
        timestamp=int(time.time()) - 301,
    )
    verifier = SignatureVerifier(sr.SIGNING_SECRET)
    expected = verifier.generate_signature(
        timestamp=headers["X-Slack-Request-Timestamp"], body=body
    )

    assert headers["X-Slack-Signature"] == expected
    assert not verifier.is_valid_request(body, headers)


def test_slash_command_has_slacks_form_fields() -> None:
    body, headers = sr.slash_command(
        "tasks <@U0DEV> & more",
        user_id="U0MARIA",
        trigger_id="trig",
        response_url="http://r.test/1",
        channel_id="D0MARIA",
    )
    fields = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}

    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert set(fields) == {
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_id",
        "user_name",
        "command",
        "text",
        "api_app_id",
        "is_enterprise_install",
        "response_url",
        "trigger_id",
    }
    assert fields["text"] == "tasks <@U0DEV> & more"
    assert (fields["user_name"], fields["channel_name"]) == ("maria", "directmessage")
    assert (fields["command"], fields["team_id"]) == ("/astravue", "T0ACME")


def test_interactive_payload_shapes() -> None:
    action = form_payload(BUILDERS["block_action"]()[0])
    submission = form_payload(BUILDERS["view_submission"]()[0])
    suggestion = form_payload(BUILDERS["block_suggestion"]()[0])
    shortcut = form_payload(BUILDERS["message_shortcut"]()[0])

    assert action["type"] == "block_actions"
    assert action["user"]["id"] == "U0DEV"
    assert action["team"]["id"] == "T0ACME"
    assert action["channel"] == {"id": "C0GENERAL", "name": "general"}
    assert action["actions"][0]["action_id"] == "start_timer"
    assert action["response_url"] == "http://r.test/2"
    assert submission["view"]["state"] == {"values": {"b": {"a": {"value": "x"}}}}
    assert submission["view"]["callback_id"] == "task_modal"
    assert (suggestion["type"], suggestion["value"]) == ("block_suggestion", "web")
    assert suggestion["container"] == {"type": "view", "view_id": "V0TEST"}
    assert (shortcut["type"], shortcut["callback_id"]) == ("message_action", "create_task")
    assert shortcut["message_ts"] == MESSAGE["ts"]


def test_event_callback_retry_headers() -> None:
    first_body, first = sr.event_callback({"type": "app_home_opened"}, event_id="Ev1")
    retry_body, retry = sr.event_callback(
        {"type": "app_home_opened"}, event_id="Ev1", retry_num=2, retry_reason="http_timeout"
    )

    assert "X-Slack-Retry-Num" not in first
    assert (retry["X-Slack-Retry-Num"], retry["X-Slack-Retry-Reason"]) == ("2", "http_timeout")
    assert retry["Content-Type"] == "application/json"
    assert json.loads(first_body)["event_id"] == json.loads(retry_body)["event_id"] == "Ev1"
    assert json.loads(retry_body)["type"] == "event_callback"


# ---- SlackClientSim against a real Bolt app ---------------------------------------------

TASK_MODAL = {
    "type": "modal",
    "callback_id": "task_modal",
    "title": {"type": "plain_text", "text": "New task"},
    "submit": {"type": "plain_text", "text": "Create"},
    "blocks": [
        {
            "type": "input",
            "block_id": "title",
            "label": {"type": "plain_text", "text": "Title"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}
CARD = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "Write docs"}},
    {
        "type": "actions",
        "block_id": "card",
        "elements": [
            {
                "type": "button",
                "action_id": "start_timer",
                "value": "7",
                "text": {"type": "plain_text", "text": "Start"},
            }
        ],
    },
]


def build_bolt(api_url: str, seen: list[dict[str, Any]]) -> AsyncApp:
    """A tiny Bolt app: the sim must reach every kind of listener through signed requests."""
    bolt = AsyncApp(
        token=BOT_TOKEN,
        signing_secret=sr.SIGNING_SECRET,
        client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url),
    )

    @bolt.command("/astravue")
    async def command(
        ack: Callable[..., Awaitable[None]], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=TASK_MODAL)

    @bolt.view("task_modal")
    async def submitted(
        ack: Callable[..., Awaitable[None]],
        view: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
    ) -> None:
        await ack()
        seen.append(view["state"]["values"])
        await client.chat_postMessage(channel=body["user"]["id"], text="created", blocks=CARD)

    @bolt.action("start_timer")
    async def clicked(
        ack: Callable[..., Awaitable[None]],
        body: dict[str, Any],
        respond: Callable[..., Awaitable[Any]],
    ) -> None:
        await ack()
        await respond(replace_original=True, text=f"timer {body['actions'][0]['value']} on")

    @bolt.options("project")
    async def options(ack: Callable[..., Awaitable[None]], payload: dict[str, Any]) -> None:
        await ack(
            options=[
                {"text": {"type": "plain_text", "text": payload["value"].upper()}, "value": "1"}
            ]
        )

    @bolt.event("app_home_opened")
    async def home(event: dict[str, Any], client: AsyncWebClient) -> None:
        await client.views_publish(
            user_id=event["user"],
            view={
                "type": "home",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Home"}}],
            },
        )

    return bolt


@pytest.fixture
async def driven() -> AsyncIterator[tuple[SlackFake, sr.SlackClientSim, list[dict[str, Any]]]]:
    fake = SlackFake()
    seen: list[dict[str, Any]] = []
    async with serving(fake) as api_url:
        handler = AsyncSlackRequestHandler(build_bolt(api_url, seen))

        async def events(request: Request) -> Response:
            return await handler.handle(request)

        web = Starlette(routes=[Route("/slack/events", events, methods=["POST"])])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web)) as http:
            sim = sr.SlackClientSim(
                "http://app.test", sr.SIGNING_SECRET, fake, "U0MARIA", http=http
            )
            yield fake, sim, seen


async def test_sim_drives_command_modal_click_options_and_event(
    driven: tuple[SlackFake, sr.SlackClientSim, list[dict[str, Any]]],
) -> None:
    fake, sim, seen = driven

    assert (await sim.command("new")).status_code == 200
    await fake.wait_for("views.open", predicate=lambda c: c.ok)
    modal = fake.open_views("U0MARIA")[-1]
    assert modal["callback_id"] == "task_modal"

    values = {"title": {"value": {"type": "plain_text_input", "value": "Write docs"}}}
    assert (await sim.submit(modal, values)).status_code == 200
    assert fake.open_views("U0MARIA") == []  # a plain ack closes the modal
    await fake.wait_for("chat.postMessage", predicate=lambda c: c.ok)
    assert seen == [values]

    card = fake.dm_messages("U0MARIA")[0].as_slack()
    assert (await sim.click("start_timer", "7", message=card)).status_code == 200
    await eventually(lambda: bool(fake.responses))
    assert [m.text for m in fake.dm_messages("U0MARIA")] == ["timer 7 on"]
    assert fake.responses[0].outcome == "replaced"

    options = await sim.suggest("project", "web", view=modal)
    assert options.json()["options"][0]["text"]["text"] == "WEB"

    assert (
        await sim.event({"type": "app_home_opened", "user": "U0MARIA", "tab": "home"})
    ).status_code == 200
    await fake.wait_for("views.publish", predicate=lambda c: c.ok)
    assert fake.home_view("U0MARIA") is not None
    assert fake.violations == []


async def test_sim_requests_with_a_wrong_secret_are_refused(
    driven: tuple[SlackFake, sr.SlackClientSim, list[dict[str, Any]]],
) -> None:
    fake, sim, _ = driven
    sim.signing_secret = "not-the-secret"

    assert (await sim.command("new")).status_code == 401
    assert fake.calls_to("views.open") == []


async def test_sim_submits_every_input_block_with_its_initial_value_as_slack_does(
    driven: tuple[SlackFake, sr.SlackClientSim, list[dict[str, Any]]],
) -> None:
    fake, sim, seen = driven
    option = {"text": {"type": "plain_text", "text": "High"}, "value": "2"}
    modal = {
        **TASK_MODAL,
        "id": "V0FORM",
        "blocks": [
            *TASK_MODAL["blocks"],  # type: ignore[misc]
            {
                "type": "input",
                "block_id": "due",
                "label": {"type": "plain_text", "text": "Due"},
                "element": {
                    "type": "datepicker",
                    "action_id": "date",
                    "initial_date": "2026-07-01",
                },
            },
            {
                "type": "input",
                "block_id": "priority",
                "label": {"type": "plain_text", "text": "Priority"},
                "element": {
                    "type": "static_select",
                    "action_id": "pick",
                    "options": [option],
                    "initial_option": option,
                },
            },
            {
                "type": "input",
                "block_id": "watchers",
                "optional": True,
                "label": {"type": "plain_text", "text": "Watchers"},
                "element": {"type": "multi_users_select", "action_id": "users"},
            },
        ],
    }
    typed = {"due": {"date": {"type": "datepicker", "selected_date": "2026-07-02"}}}

    assert (await sim.submit(modal, typed)).status_code == 200
    await fake.wait_for("chat.postMessage", predicate=lambda c: c.ok)
    assert seen == [
        {
            "title": {"value": {"type": "plain_text_input", "value": None}},
            "due": {"date": {"type": "datepicker", "selected_date": "2026-07-02"}},
            "priority": {"pick": {"type": "static_select", "selected_option": option}},
            "watchers": {"users": {"type": "multi_users_select", "selected_users": []}},
        }
    ]
