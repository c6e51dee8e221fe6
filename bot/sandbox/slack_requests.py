"""Signed requests exactly as Slack sends them to `/slack/events`, and a simulated Slack client.

Each builder returns `(body, headers)`: slash commands form-encoded with Slack's field names,
interactions form-encoded with one `payload=` JSON field, events as JSON; all signed with
`v0:{timestamp}:{body}` HMAC-SHA256. `SlackClientSim` plays one Slack user:
it takes fresh trigger_ids and response_urls from the `SlackFake` and POSTs to the app.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.sandbox.slack import APP_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID, SlackFake

SIGNING_SECRET = "sandbox-signing-secret"
VERIFICATION_TOKEN = "sandbox-verification-token"  # legacy field Slack still sends
FORM = "application/x-www-form-urlencoded"

Signed = tuple[bytes, dict[str, str]]


def sign(
    body: bytes,
    content_type: str,
    *,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> dict[str, str]:
    """Slack's request headers for `body` (timestamp defaults to now)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(
        signing_secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256
    ).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def user_name(user_id: str) -> str:
    """The sandbox's user names: U0MARIA -> maria."""
    return user_id.removeprefix("U0").lower()


def channel_name(channel_id: str) -> str:
    """What Slack sends as channel_name: C0GENERAL -> general, DMs -> directmessage."""
    return "directmessage" if channel_id.startswith("D") else channel_id.removeprefix("C0").lower()


def _user(user_id: str, team_id: str) -> dict[str, str]:
    name = user_name(user_id)
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def _envelope(kind: str, user_id: str, team_id: str = TEAM_ID) -> dict[str, Any]:
    """Fields every interactive payload carries."""
    return {
        "type": kind,
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "is_enterprise_install": False,
        "enterprise": None,
    }


def _interactive(payload: dict[str, Any], signing_secret: str, timestamp: int | None) -> Signed:
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return body, sign(body, FORM, signing_secret=signing_secret, timestamp=timestamp)


def _action_ts() -> str:
    return f"{time.time():.6f}"


def slash_command(
    text: str,
    *,
    user_id: str,
    trigger_id: str,
    response_url: str,
    team_id: str = TEAM_ID,
    channel_id: str = "C0GENERAL",
    command: str = "/astravue",
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name(channel_id),
        "user_id": user_id,
        "user_name": user_name(user_id),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    body = urlencode(fields).encode()
    return body, sign(body, FORM, signing_secret=signing_secret, timestamp=timestamp)


def block_action(
    actions: list[dict[str, Any]],
    *,
    user_id: str,
    container: dict[str, Any],
    trigger_id: str,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    response_url: str | None = None,
    channel_id: str | None = None,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    """A `block_actions` payload: a click in a message (`message`) or in a view (`view`)."""
    payload = _envelope("block_actions", user_id)
    payload.update(
        container=container,
        trigger_id=trigger_id,
        actions=actions,
        state={"values": (view or {}).get("state", {}).get("values", {})},
    )
    if message is not None:
        payload["message"] = message
    if view is not None:
        payload["view"] = view
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": channel_name(channel_id)}
    if response_url is not None:
        payload["response_url"] = response_url
    return _interactive(payload, signing_secret, timestamp)


def view_submission(
    view: dict[str, Any],
    state_values: dict[str, Any],
    *,
    user_id: str,
    trigger_id: str,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    """A `view_submission`; `state_values` is `view.state.values` ({block_id: {action_id: ...}})."""
    payload = _envelope("view_submission", user_id)
    payload.update(
        trigger_id=trigger_id, response_urls=[], view={**view, "state": {"values": state_values}}
    )
    return _interactive(payload, signing_secret, timestamp)


def view_closed(
    view: dict[str, Any],
    *,
    user_id: str,
    is_cleared: bool = False,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    payload = _envelope("view_closed", user_id)
    payload.update(view=view, is_cleared=is_cleared)
    return _interactive(payload, signing_secret, timestamp)


def message_shortcut(
    callback_id: str,
    message: dict[str, Any],
    *,
    user_id: str,
    channel_id: str,
    trigger_id: str,
    response_url: str,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    payload = _envelope("message_action", user_id)
    payload.update(
        callback_id=callback_id,
        trigger_id=trigger_id,
        response_url=response_url,
        message=message,
        message_ts=message.get("ts"),
        action_ts=_action_ts(),
        channel={"id": channel_id, "name": channel_name(channel_id)},
    )
    return _interactive(payload, signing_secret, timestamp)


def block_suggestion(
    action_id: str,
    value: str,
    *,
    user_id: str,
    view: dict[str, Any] | None = None,
    block_id: str | None = None,
    channel_id: str = "C0GENERAL",
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    """An options request of an external_select, typed in a view (or in a message)."""
    payload = _envelope("block_suggestion", user_id)
    payload.update(
        action_id=action_id, block_id=block_id or "", value=value, action_ts=_action_ts()
    )
    if view is not None:
        payload.update(view=view, container={"type": "view", "view_id": view.get("id")})
    else:
        payload.update(
            container={"type": "message", "channel_id": channel_id},
            channel={"id": channel_id, "name": channel_name(channel_id)},
        )
    return _interactive(payload, signing_secret, timestamp)


def event_callback(
    event: dict[str, Any],
    *,
    event_id: str | None = None,
    team_id: str = TEAM_ID,
    retry_num: int | None = None,
    retry_reason: str | None = None,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    """An Events API delivery; a retry carries `x-slack-retry-num` and `-reason` headers."""
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
        "event_time": int(time.time()),
        "is_ext_shared_channel": False,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
    }
    body = json.dumps(envelope).encode()
    headers = sign(body, "application/json", signing_secret=signing_secret, timestamp=timestamp)
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    return body, headers


def _find_block_id(surface: dict[str, Any] | None, action_id: str) -> str:
    """The block_id of the block holding `action_id` in a message or view ("" if absent)."""
    for block in (surface or {}).get("blocks") or []:
        elements = [*block.get("elements", []), block.get("accessory"), block.get("element")]
        if any(isinstance(e, dict) and e.get("action_id") == action_id for e in elements):
            return str(block.get("block_id", ""))
    return ""


class SlackClientSim:
    """One Slack user driving the app: builds signed requests and POSTs them to the app.

    Pass `http` (e.g. an `httpx.AsyncClient` over `ASGITransport`) to stay in process;
    otherwise one client is created on first use and closed by `aclose()` / `async with`.
    """

    def __init__(
        self,
        base_url_of_app: str,
        signing_secret: str,
        fake: SlackFake,
        user_id: str,
        *,
        http: httpx.AsyncClient | None = None,
        events_path: str = "/slack/events",
    ) -> None:
        self.url = base_url_of_app.rstrip("/") + events_path
        self.signing_secret = signing_secret
        self.fake = fake
        self.user_id = user_id
        self._http = http
        self._owns_http = http is None

    async def __aenter__(self) -> SlackClientSim:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    async def post(self, signed: Signed) -> httpx.Response:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=10.0)
        body, headers = signed
        return await self._http.post(self.url, content=body, headers=headers)

    def _trigger(self) -> str:
        return self.fake.new_trigger_id(self.user_id)

    async def command(
        self, text: str, *, channel_id: str = "C0GENERAL", command: str = "/astravue"
    ) -> httpx.Response:
        return await self.post(
            slash_command(
                text,
                user_id=self.user_id,
                channel_id=channel_id,
                command=command,
                trigger_id=self._trigger(),
                response_url=self.fake.new_response_url(channel_id, self.user_id),
                signing_secret=self.signing_secret,
            )
        )

    async def click(
        self,
        action_id: str,
        value: str | None = None,
        *,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        block_id: str | None = None,
        selected_option: dict[str, Any] | None = None,
        action_type: str | None = None,
        channel_id: str | None = None,
        values: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """Click a button (or pick `selected_option`) in a message or in a view.

        For a message, the channel is looked up in the fake unless given; `values` is the
        view's current input state.
        """
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id or _find_block_id(view or message, action_id),
            "type": action_type or ("static_select" if selected_option else "button"),
            "action_ts": _action_ts(),
        }
        if value is not None:
            action["value"] = value
        if selected_option is not None:
            action["selected_option"] = selected_option
        response_url = None
        if view is not None:
            container: dict[str, Any] = {"type": "view", "view_id": view.get("id")}
            view = {**view, "state": {"values": values or {}}}
        else:
            message_ts = (message or {}).get("ts")
            found = self.fake.find_message(str(message_ts)) if message_ts else None
            if channel_id is None and found is not None:
                channel_id = found.channel
            channel_id = channel_id or "C0GENERAL"
            # A message the fake did not keep in a channel is one of the app's ephemeral
            # replies (tests pass those as the payloads the app sent to a response_url).
            container = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel_id,
                "is_ephemeral": message is not None and found is None,
            }
            response_url = self.fake.new_response_url(channel_id, self.user_id, message_ts)
        return await self.post(
            block_action(
                [action],
                user_id=self.user_id,
                container=container,
                trigger_id=self._trigger(),
                message=message,
                view=view,
                response_url=response_url,
                channel_id=channel_id,
                signing_secret=self.signing_secret,
            )
        )

    async def submit(self, view: dict[str, Any], values: dict[str, Any]) -> httpx.Response:
        """Submit a modal; the app's ack (close, update, push, errors) is applied to the fake."""
        response = await self.post(
            view_submission(
                view,
                values,
                user_id=self.user_id,
                trigger_id=self._trigger(),
                signing_secret=self.signing_secret,
            )
        )
        ack = response.json() if response.content else None
        if response.status_code == 200:
            self.fake.after_view_submission(self.user_id, str(view.get("id")), ack)
        return response

    async def dismiss(self, view: dict[str, Any]) -> httpx.Response | None:
        """Close the modal with its X; the app hears of it only if `notify_on_close`."""
        self.fake.close_views(self.user_id)
        if not view.get("notify_on_close"):
            return None
        return await self.post(
            view_closed(view, user_id=self.user_id, signing_secret=self.signing_secret)
        )

    async def suggest(
        self,
        action_id: str,
        value: str,
        *,
        view: dict[str, Any] | None = None,
        block_id: str | None = None,
    ) -> httpx.Response:
        return await self.post(
            block_suggestion(
                action_id,
                value,
                user_id=self.user_id,
                view=view,
                block_id=block_id or _find_block_id(view, action_id),
                signing_secret=self.signing_secret,
            )
        )

    async def shortcut(
        self, callback_id: str, message: dict[str, Any], *, channel_id: str = "C0GENERAL"
    ) -> httpx.Response:
        return await self.post(
            message_shortcut(
                callback_id,
                message,
                user_id=self.user_id,
                channel_id=channel_id,
                trigger_id=self._trigger(),
                response_url=self.fake.new_response_url(
                    channel_id, self.user_id, message.get("ts")
                ),
                signing_secret=self.signing_secret,
            )
        )

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> httpx.Response:
        return await self.post(
            event_callback(
                event,
                event_id=event_id,
                retry_num=retry_num,
                retry_reason=retry_reason,
                signing_secret=self.signing_secret,
            )
        )
