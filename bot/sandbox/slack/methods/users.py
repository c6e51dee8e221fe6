"""users.info and users.lookupByEmail."""

from __future__ import annotations

from typing import Any

from bot.sandbox.slack.records import TEAM_ID, SlackRefusal
from bot.sandbox.slack.registry import register
from bot.sandbox.slack.state import SlackWorkspace


def users_info(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    user = workspace.user(args.get("user"))
    # Slack sends `locale` only when asked: include_locale=true.
    with_locale = str(args.get("include_locale", "")).lower() in {"true", "1"}
    return {"user": user.as_slack(TEAM_ID, workspace.wall_clock(), with_locale=with_locale)}


def users_lookup_by_email(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    email = str(args.get("email", "")).lower()
    for user in workspace.users.values():
        if user.email and user.email.lower() == email:
            return {"user": user.as_slack(TEAM_ID, workspace.wall_clock())}
    raise SlackRefusal("users_not_found")


register("users.info", users_info)
register("users.lookupByEmail", users_lookup_by_email)
