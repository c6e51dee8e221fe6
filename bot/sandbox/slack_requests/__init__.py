"""Signed requests exactly as Slack sends them to `/slack/events`, and a simulated Slack client.

`signing` (the signature and names), `payloads` (one builder per request kind), `view_state`
(what a view submission carries), `client` (`SlackClientSim`, one Slack user).
"""

from bot.sandbox.slack_requests.client import SlackClientSim
from bot.sandbox.slack_requests.payloads import (
    block_action,
    block_suggestion,
    event_callback,
    message_shortcut,
    slash_command,
    view_closed,
    view_submission,
)
from bot.sandbox.slack_requests.signing import (
    FORM,
    SIGNING_SECRET,
    VERIFICATION_TOKEN,
    Signed,
    channel_name,
    sign,
    user_name,
)

__all__ = [
    "FORM",
    "SIGNING_SECRET",
    "VERIFICATION_TOKEN",
    "Signed",
    "SlackClientSim",
    "block_action",
    "block_suggestion",
    "channel_name",
    "event_callback",
    "message_shortcut",
    "sign",
    "slash_command",
    "user_name",
    "view_closed",
    "view_submission",
]
