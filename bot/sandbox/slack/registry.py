"""The fake's Web API methods, one registration each.

A feature that needs a Slack method the fake does not answer yet adds it in its own module
under `bot/sandbox/slack/methods/` (every module there is loaded) with one line:

    register("chat.unfurl", chat_unfurl)

A handler takes the workspace and the call's arguments (query string and form or JSON body,
JSON-valued fields such as `blocks` already decoded) and returns the answer's fields (`"ok":
true` is added), or raises `SlackRefusal("error_code")`. `needs_token=False` is for methods
Slack answers without a token (`oauth.v2.access`): Basic credentials, when sent, arrive as the
`client_id` and `client_secret` arguments. State a feature's methods keep (the links shared,
for chat.unfurl) lives on the workspace through `workspace.extension(Ledger)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.slack.state import SlackWorkspace

Handler = Callable[["SlackWorkspace", dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class WebApiMethod:
    name: str
    handler: Handler
    needs_token: bool = True


_METHODS: dict[str, WebApiMethod] = {}


def register(name: str, handler: Handler, *, needs_token: bool = True) -> None:
    """Make the fake answer the Web API method `name` with `handler`."""
    existing = _METHODS.get(name)
    if existing is not None and existing.handler is not handler:
        raise ValueError(f"the Slack fake already answers {name}")
    _METHODS[name] = WebApiMethod(name, handler, needs_token)


def lookup(name: str) -> WebApiMethod | None:
    return _METHODS.get(name)


def method_names() -> list[str]:
    return sorted(_METHODS)
