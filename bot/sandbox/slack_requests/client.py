"""`SlackClientSim`: one Slack user driving the app. It takes fresh trigger_ids and
response_urls from the `SlackFake`, POSTs signed requests to the app, and applies the app's
answer to a view submission to the fake's modal stack."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import httpx

from bot.sandbox.slack import SlackFake
from bot.sandbox.slack_requests.payloads import (
    action_ts,
    block_action,
    block_suggestion,
    event_callback,
    message_shortcut,
    slash_command,
    view_closed,
    view_submission,
)
from bot.sandbox.slack_requests.signing import Signed
from bot.sandbox.slack_requests.view_state import submitted_values


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
            "action_ts": action_ts(),
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
        """Submit a modal as Slack does: every input block with its initial value, overridden
        by `values` (what the user filled). The app's ack (close, update, push, errors) is
        applied to the fake."""
        response = await self.post(
            view_submission(
                view,
                submitted_values(view, values),
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
