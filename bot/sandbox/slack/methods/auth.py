"""auth.test."""

from __future__ import annotations

from typing import Any

from bot.sandbox.slack.records import BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID
from bot.sandbox.slack.registry import register
from bot.sandbox.slack.state import SlackWorkspace


def auth_test(_workspace: SlackWorkspace, _args: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"https://{TEAM_DOMAIN}.slack.com/",
        "team": "Acme",
        "user": "astravue",
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


register("auth.test", auth_test)
