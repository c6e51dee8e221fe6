"""A fake of the Slack Web API and of response_urls that enforces Slack's rules.

It answers the methods this app calls the way Slack does (HTTP 200 with `{"ok": false,
"error": ...}`, or 429 with `Retry-After`), and it enforces what a unit-level mock would let
slip: trigger_ids that die after 3 s and work once, response_urls good for 5 uses in 30 min,
the modal stack limit, `chat.postMessage` pacing per channel and per workspace, and Block Kit
limits (`blockkit.py`). Every call is recorded for assertions. Served under `/slack` of the
combined sandbox: `/api/{method}` and `/respond/{opaque}`.

Layout: `state` (the workspace and its shared checks), `methods/` (one module per method
family, each registering its methods in `registry`), `response_urls`, `fake` (HTTP).
"""

from bot.sandbox.slack.fake import SlackFake
from bot.sandbox.slack.records import (
    APP_ID,
    BOT_ID,
    BOT_TOKEN,
    BOT_USER_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    Ephemeral,
    Message,
    ResponsePost,
    SlackCall,
    SlackRefusal,
    SlackUser,
)
from bot.sandbox.slack.registry import register

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_TOKEN",
    "BOT_USER_ID",
    "TEAM_DOMAIN",
    "TEAM_ID",
    "Ephemeral",
    "Message",
    "ResponsePost",
    "SlackCall",
    "SlackFake",
    "SlackRefusal",
    "SlackUser",
    "register",
]
