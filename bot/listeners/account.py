"""Account: connect, disconnect, whoami, doctor and the organisation setting."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError

from bot.astravue.errors import AstravueError, ReauthorizationRequired
from bot.db.models import LinkStatus
from bot.domain.links import ResumedCommand
from bot.listeners.payloads import view_value
from bot.listeners.registration import Feature, View
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.ui import account as ui
from bot.ui.errors import UserFacingError
from bot.ui.ids import Action, Callback
from bot.ui.words import day_and_clock


async def connect(inv: Invocation, _r: Resolution) -> None:
    await inv.connect_prompt()


async def disconnect(inv: Invocation, _r: Resolution) -> None:
    link = await inv.services.link(inv.team_id, inv.user_id)
    if link is None or link.status == LinkStatus.DISCONNECTED:
        await inv.reply(ui.disconnected(False))
        return
    await inv.reply(ui.disconnect_confirm())


async def disconnect_confirmed(inv: Invocation) -> None:
    was_linked = await inv.services.linking.disconnect(
        team_id=inv.team_id, slack_user_id=inv.user_id
    )
    await inv.reply(ui.disconnected(was_linked), replace=True)


async def dismiss(inv: Invocation) -> None:
    if inv.respond is not None and inv.context.response_url and inv.may_replace:
        await inv.respond(delete_original=True)


async def whoami(inv: Invocation, _r: Resolution) -> None:
    link = await inv.services.link(inv.team_id, inv.user_id)
    if link is None or link.status != LinkStatus.ACTIVE:
        await inv.connect_prompt()
        return
    org_name = await inv.services.link_health.org_name(inv.team_id, inv.user_id, link.org_id)
    await inv.reply(
        ui.whoami(
            link.name, link.email, link.org_id, link.status.value, link.astravue_user_id, org_name
        )
    )


async def doctor(inv: Invocation, _r: Resolution) -> None:
    await inv.reply(ui.doctor(await _doctor_checks(inv)))


async def org(inv: Invocation, resolution: Resolution) -> None:
    link = await inv.link()
    if not resolution.args:
        await _open_org_modal(inv, link.org_id)
        return
    try:
        org_id = int(resolution.args.split(" ")[0].lstrip("#"))
    except ValueError:
        raise UserFacingError("An organisation id is a number, e.g. `/astravue org 1`.") from None
    await _save_org(inv, org_id)


async def set_org_button(inv: Invocation) -> None:
    link = await inv.link()
    pending = ui.read_org_pending(inv.payload.action_value)
    await _open_org_modal(inv, link.org_id, inv.payload.action_value if pending else None)


async def set_org_submitted(inv: Invocation) -> None:
    """Keep the organisation, then run the command that asked for it (if one did)."""
    await _save_org(inv, int(inv.payload.value(ui.ORG_BLOCK, ui.ORG_INPUT)))
    pending = ui.read_org_pending(inv.payload.private_metadata)
    if pending is not None:
        command, channel = pending
        inv.services.resume(ResumedCommand(inv.team_id, inv.user_id, channel, command))


def validate_org(view: dict[str, Any]) -> dict[str, str]:
    value = view_value(view, ui.ORG_BLOCK, ui.ORG_INPUT)
    if value is None or not str(value).isdecimal() or int(value) < 1:
        return {ui.ORG_BLOCK: "Enter your organisation's number, e.g. 1."}
    return {}


FEATURE = Feature(
    commands={
        "connect": connect,
        "disconnect": disconnect,
        "whoami": whoami,
        "doctor": doctor,
        "org": org,
    },
    # A URL button: Slack still tells us it was clicked.
    acks_only=(Action.CONNECT, Action.OPEN_URL),
    actions_unlinked={Action.DISCONNECT_CONFIRM: disconnect_confirmed, Action.DISMISS: dismiss},
    actions={Action.SET_ORG: set_org_button},
    views=(View(Callback.SET_ORG, set_org_submitted, validate_org),),
)


async def _open_org_modal(inv: Invocation, current: int | None, pending: str | None = None) -> None:
    if not inv.trigger_id:
        raise UserFacingError("Run `/astravue org <id>` to set your organisation.")
    org_name = await inv.services.link_health.org_name(inv.team_id, inv.user_id, current)
    await inv.client.views_open(
        trigger_id=inv.trigger_id, view=ui.org_modal(current, pending, org_name)
    )


async def _save_org(inv: Invocation, org_id: int) -> None:
    """Check with Astravue that the user belongs to that organisation, then keep it."""
    services = inv.services
    link = await inv.link()
    check = await services.orgs.check(link, org_id)
    if not check.member:
        raise UserFacingError(
            f"Astravue says you aren't a member of organisation {org_id}. "
            "Check the number and try again."
        )
    await services.linking.set_org(
        team_id=inv.team_id,
        slack_user_id=inv.user_id,
        org_id=org_id,
        astravue_user_id=check.astravue_user_id,
    )
    org_name = await services.link_health.org_name(inv.team_id, inv.user_id, org_id)
    org = ui.org_words(org_id, org_name)
    await inv.reply({"text": f":white_check_mark: You now work in Astravue organisation {org}."})


async def _doctor_checks(inv: Invocation) -> list[ui.Check]:
    services = inv.services
    link = await services.link(inv.team_id, inv.user_id)
    checks: list[ui.Check] = []
    if link is None or link.status != LinkStatus.ACTIVE:
        status = "never connected" if link is None else link.status.value.replace("_", " ")
        checks.append(ui.Check("Astravue account", False, status, "run `/astravue connect`"))
        return checks
    checks.append(ui.Check("Astravue account", True, f"connected as {link.email or link.name}"))
    try:
        await services.tokens.access_token_for(link.id)
        checks.append(ui.Check("Sign-in", True, "token valid"))
    except ReauthorizationRequired:
        checks.append(ui.Check("Sign-in", False, "expired or revoked", "run `/astravue connect`"))
    except AstravueError as exc:
        checks.append(
            ui.Check(
                "Sign-in",
                False,
                f"Astravue sign-in unreachable ({exc})",
                "try again in a few minutes",
            )
        )
    checks += ui.identity_checks(
        link.astravue_user_id,
        link.org_id,
        await services.link_health.identity_sources(inv.team_id, inv.user_id),
    )
    try:
        opened = await inv.client.conversations_open(users=inv.user_id)
        checks.append(
            ui.Check("Direct messages", True, f"I can DM you (channel {opened['channel']['id']})")
        )
    except SlackApiError as exc:
        checks.append(
            ui.Check(
                "Direct messages",
                False,
                f"Slack said {exc.response.get('error')}",
                "open the app's Messages tab, or ask an admin to allow DMs",
            )
        )
    poll = await services.link_health.poll(link.id)
    if poll is None:
        checks.append(
            ui.Check("Notifications", False, "not being polled", "run `/astravue connect` again")
        )
    else:
        last = poll.last_delivery_at or poll.last_polled_at
        detail = f"last delivery {day_and_clock(last)} UTC" if last else "no poll yet"
        if poll.last_error:
            checks.append(
                ui.Check(
                    "Notifications",
                    False,
                    f"last poll failed: {poll.last_error}",
                    "it retries by itself; run `/astravue doctor` again later",
                )
            )
        else:
            checks.append(ui.Check("Notifications", True, detail))
    return checks
