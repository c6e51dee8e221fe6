"""Account messages: connected, who am I, disconnect, organisation, doctor, reconnect DM."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.ui.components import (
    actions,
    button,
    confirm_dialog,
    context,
    escape,
    message,
    modal,
    plain,
    section,
)
from bot.ui.errors import command_words
from bot.ui.ids import Action, Callback
from bot.ui.words import plural

ORG_BLOCK = "org"
ORG_INPUT = "org_id"
# Where an identity fact came from (bot.services.identity), in words.
SOURCE_WORDS = {
    "token": "the sign-in token's claims",
    "userinfo": "Keycloak's userinfo",
    "astravue": "Astravue, matched by email",
    "user": "you, with `/astravue org`",
}


SESSION_ONLY = (
    "Your Keycloak doesn't allow this app offline access, so this connection "
    "ends when your Astravue sign-in session does (when you sign out or stay away "
    "too long); then run `/astravue connect` again. An admin can allow the "
    "`offline_access` scope for the app to make it last."
)


def _account(name: str | None, email: str | None, fallback: str) -> str:
    """`*Name* (email)` in mrkdwn, escaped."""
    who = f"*{escape(name or email or fallback)}*"
    return who + (f" ({escape(email)})" if email and name else "")


def org_words(org_id: int, org_name: str | None) -> str:
    """An organisation by its name where known (with its id, which `/astravue org` takes)."""
    return f"*{escape(org_name)}* ({org_id})" if org_name else str(org_id)


def connected(
    name: str | None,
    email: str | None,
    org_id: int | None,
    *,
    org_name: str | None = None,
    session_only: bool = False,
    resume: str | None = None,
    channel_id: str | None = None,
) -> dict[str, Any]:
    """`resume`: the command that asked for the connection; it runs now, or once the
    organisation is set when Astravue did not say which it is."""
    lines = [f":white_check_mark: Connected as {_account(name, email, 'your Astravue account')}."]
    if session_only:
        lines.append(f":hourglass: {SESSION_ONLY}")
    blocks = [section("\n".join(lines))]
    if org_id is None:
        blocks += org_prompt(resume=resume, channel_id=channel_id)["blocks"]
    elif resume:
        org = org_words(org_id, org_name)
        blocks.append(context(f"Organisation {org}. Running {command_words(resume)} now…"))
    else:
        org = org_words(org_id, org_name)
        blocks.append(context(f"Organisation {org}. Try `/astravue my` for your agenda."))
    return message(f"Connected to Astravue as {name or email or 'you'}", blocks)


def link_waiting(name: str | None, email: str | None) -> dict[str, Any]:
    """Someone finished this user's connect link as an account with another email."""
    who = _account(name, email, "an Astravue account")
    text = (
        f":warning: Someone opened your connect link and signed in to Astravue as {who}. "
        "Nothing is connected yet: the link waits for a confirmation in that browser."
    )
    return message(
        "Your connect link waits for a confirmation in the browser",
        [
            section(text),
            context(
                "Not you? Do nothing: it expires in 10 minutes and connects nothing. Never "
                "share your connect links; run `/astravue connect` for a new one."
            ),
        ],
    )


def link_cancelled(name: str | None, email: str | None) -> dict[str, Any]:
    who = _account(name, email, "an Astravue account")
    text = f"The connection to Astravue as {who} was cancelled in the browser; nothing changed."
    return message(
        "Connecting Astravue was cancelled",
        [section(text), context("Run `/astravue connect` whenever you want to try again.")],
    )


def org_prompt(resume: str | None = None, channel_id: str | None = None) -> dict[str, Any]:
    """`resume`: the command that needs it, run once it is set (carried by the button, then
    the form, with the channel to answer in)."""
    blocks = [
        section(
            ":office: Astravue didn't tell me which organisation you work in. Set it once "
            "(you find the number in Astravue's address bar or your admin knows it); "
            "you can change it later with `/astravue org`."
        ),
        actions(
            button(
                "Set organisation",
                Action.SET_ORG,
                org_pending(resume, channel_id) if resume else "set",
                style="primary",
            )
        ),
    ]
    if resume:
        blocks.append(context(f"Then I'll run {command_words(resume)} for you."))
    return message("Tell me which Astravue organisation you work in", blocks)


def org_pending(resume: str, channel_id: str | None) -> str:
    """The command waiting for the organisation, and where it was typed (button value, then
    the form's private_metadata)."""
    return json.dumps({"run": resume, "channel": channel_id})


def read_org_pending(value: str | None) -> tuple[str, str | None] | None:
    """(command, channel) from `org_pending`, None for anything else."""
    try:
        found = json.loads(value or "")
    except ValueError:
        return None
    if not isinstance(found, dict) or not isinstance(found.get("run"), str):
        return None
    channel = found.get("channel")
    return found["run"], channel if isinstance(channel, str) else None


def org_modal(
    current: int | None, pending: str | None = None, current_name: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "action_id": ORG_INPUT,
        "min_value": "1",
        "placeholder": plain("e.g. 1"),
    }
    if current is not None:
        element["initial_value"] = str(current)
    return modal(
        "Astravue organisation",
        [
            {
                "type": "input",
                "block_id": ORG_BLOCK,
                "label": plain("Organisation id"),
                "element": element,
                "hint": plain(
                    f"Now: {current_name} ({current})."
                    if current_name and current is not None
                    else "The number of your Astravue organisation (tenant)."
                ),
            },
        ],
        callback_id=Callback.SET_ORG,
        submit="Save",
        private_metadata=pending or "",
    )


def whoami(
    name: str | None,
    email: str | None,
    org_id: int | None,
    status: str,
    user_id: int | None,
    org_name: str | None = None,
) -> dict[str, Any]:
    org = org_words(org_id, org_name) if org_id is not None else "not set"
    fields = [
        f"*Astravue user*\n{escape(name or '-')}",
        f"*Email*\n{escape(email or '-')}",
        f"*Organisation*\n{org}",
        f"*Status*\n{status.replace('_', ' ')}",
    ]
    blocks = [section("Your Astravue connection", fields=fields)]
    if user_id is not None:
        blocks.append(context(f"Astravue user id {user_id}. `/astravue disconnect` to unlink."))
    return message(f"Connected to Astravue as {name or email}", blocks)


def disconnect_confirm() -> dict[str, Any]:
    return message(
        "Disconnect Astravue?",
        [
            section(
                "Disconnect your Astravue account? I'll stop sending your notifications and "
                "forget your sign-in. You can connect again any time."
            ),
            actions(
                button(
                    "Disconnect",
                    Action.DISCONNECT_CONFIRM,
                    "yes",
                    style="danger",
                    confirm=confirm_dialog(
                        "Disconnect Astravue?",
                        "Your stored sign-in is revoked and deleted.",
                        "Disconnect",
                        danger=True,
                    ),
                ),
                button("Keep it", Action.DISMISS, "no"),
            ),
        ],
    )


def disconnected(was_linked: bool) -> dict[str, Any]:
    text = (
        ":wave: Disconnected. Your Astravue sign-in was revoked and deleted."
        if was_linked
        else "You weren't connected, so there was nothing to disconnect."
    )
    return message(
        text, [section(text), context("Run `/astravue connect` whenever you want to come back.")]
    )


def dismissed() -> dict[str, Any]:
    return {"delete_original": True}


def needs_relink_dm(connect_url: str) -> dict[str, Any]:
    text = (
        "Your Astravue connection stopped working (the sign-in expired or was revoked), "
        "so I paused your notifications."
    )
    return message(
        text,
        [
            section(f":warning: {text} Reconnect to pick up where you left off."),
            actions(button("Reconnect Astravue", Action.CONNECT, url=connect_url, style="primary")),
        ],
    )


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def doctor(checks: list[Check]) -> dict[str, Any]:
    lines = []
    for check in checks:
        mark = ":white_check_mark:" if check.ok else ":x:"
        line = f"{mark} *{check.name}*: {check.detail}"
        if not check.ok and check.fix:
            line += f"\n      _Fix:_ {check.fix}"
        lines.append(line)
    failing = sum(not c.ok for c in checks)
    summary = "Everything looks good." if not failing else f"{plural(failing, 'thing')} to fix."
    return message(
        f"Astravue doctor: {summary}",
        [section("*Astravue doctor*\n" + "\n".join(lines)), context(summary)],
    )


def identity_checks(user_id: int | None, org_id: int | None, facts: dict[str, Any]) -> list[Check]:
    """Who you are in Astravue and where each fact came from (bot.services.identity)."""

    def source(key: str) -> str:
        return f" (from {SOURCE_WORDS.get(facts.get(key) or '', 'an earlier connection')})"

    checks = [
        Check(
            "Astravue user",
            user_id is not None,
            f"user {user_id}{source('user_source')}"
            if user_id is not None
            else "unknown: no token claim, userinfo or Astravue record named you",
            "set your organisation with `/astravue org <id>`; I then look you up by email",
        ),
        Check(
            "Organisation",
            org_id is not None,
            f"{org_id}{source('org_source')}" if org_id is not None else "not set",
            "run `/astravue org <id>`",
        ),
    ]
    if facts.get("session_only"):
        checks.append(
            Check(
                "Sign-in lifetime",
                False,
                "ends with your Keycloak session (offline access was refused)",
                "ask an admin to allow the `offline_access` scope for the app, "
                "then run `/astravue connect`",
            )
        )
    return checks
