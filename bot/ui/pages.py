"""The small HTML pages a browser sees during the connect flow. Every value is escaped."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from bot.ui.words import clock

_PAGES = {
    "invalid": (
        "Link not valid",
        "This connect link is not valid. In Slack, run /astravue connect to get a new one.",
    ),
    "expired": (
        "Link expired",
        "This connect link expired (links last 10 minutes). In Slack, "
        "run /astravue connect to get a new one.",
    ),
    "used": (
        "Link already used",
        "This connect link was already used. In Slack, run /astravue connect to get a new one.",
    ),
    "denied": (
        "Not connected",
        "Astravue did not grant access, so nothing was connected. Run "
        "/astravue connect in Slack to try again.",
    ),
    "exchange_failed": (
        "Not connected",
        "Astravue did not accept the sign-in, so nothing was "
        "connected. Run /astravue connect in Slack to try again.",
    ),
    "unavailable": (
        "Try again",
        "Astravue could not be reached. Nothing was connected; run "
        "/astravue connect in Slack to try again in a few minutes.",
    ),
    "csrf": (
        "Not linked",
        "This confirmation could not be checked: it must be sent once, from "
        "the confirmation page this browser was shown, with cookies allowed. Nothing was "
        "linked. In Slack, run /astravue connect to start again.",
    ),
    "cancelled": (
        "Not connected",
        "Cancelled: nothing was linked and the Astravue sign-in was "
        "revoked. You can close this tab.",
    ),
}
_OK = frozenset({"cancelled"})


@dataclass(frozen=True)
class LinkParties:
    """Who is linked to whom, as the pages name them."""

    slack_name: str
    slack_user_id: str
    workspace: str
    astravue_name: str | None
    astravue_email: str | None

    def slack_html(self) -> str:
        return (
            f"<b>{html.escape(self.slack_name)}</b> ({html.escape(self.slack_user_id)}) "
            f"in the Slack workspace <b>{html.escape(self.workspace)}</b>"
        )

    def astravue_html(self) -> str:
        name = html.escape(self.astravue_name or self.astravue_email or "an unnamed account")
        email = html.escape(self.astravue_email or "no email")
        return f"the Astravue account <b>{name}</b> ({email})"


def page(kind: str) -> tuple[str, int]:
    title, text = _PAGES.get(kind, _PAGES["invalid"])
    status = 200 if kind in _OK else (503 if kind == "unavailable" else 400)
    return _document(title, f"<p>{html.escape(text)}</p>"), status


def connected_page(parties: LinkParties) -> str:
    return _document(
        "Connected",
        (
            f"<p>Connected: {parties.slack_html()} now acts in Astravue as "
            f"{parties.astravue_html()}.</p><p>You can close this tab and go back to Slack. "
            "To undo it, run /astravue disconnect in Slack.</p>"
        ),
    )


def confirm_page(
    parties: LinkParties, *, action: str, pending_id: str, csrf_token: str, expires_at: datetime
) -> str:
    """Asked when the Astravue account's email is not the Slack user's: link only on a POST."""
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
        for name, value in (("pending", pending_id), ("csrf", csrf_token))
    )
    return _document(
        "Confirm the connection",
        (
            "<p>This browser signed in to Astravue as someone whose email is not the one of the "
            "Slack user who asked to connect. Link them only if both are you:</p>"
            f"<ul><li>Slack: {parties.slack_html()}</li>"
            f"<li>Astravue: {parties.astravue_html()}</li></ul>"
            "<p>Linking lets that Slack user act in Astravue as that account.</p>"
            f'<form method="post" action="{html.escape(action)}">{hidden}'
            '<button type="submit" name="action" value="link">Link</button> '
            '<button type="submit" name="action" value="cancel">Cancel</button></form>'
            f"<p><small>This page works once, in this browser, until "
            f"{html.escape(clock(expires_at))} UTC.</small></p>"
        ),
    )


def _document(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
        f"</title></head><body style='font-family:sans-serif;max-width:36rem;margin:3rem auto'>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>"
    )
