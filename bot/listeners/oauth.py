"""The browser side of connecting: `/oauth/astravue/start`, `/oauth/astravue/callback` and,
when the callback cannot tell that the browser is the Slack user's, `/oauth/astravue/confirm`."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.webhook.async_client import AsyncWebhookClient
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.astravue.auth import OAuthError
from bot.astravue.errors import AstravueConnectionError
from bot.container import ServiceContainer
from bot.domain.links import ResumedCommand
from bot.services.link_errors import LinkError
from bot.services.link_rules import well_formed_token
from bot.services.linking import LinkOutcome
from bot.services.pending_links import PENDING_TTL
from bot.services.session_scopes import ScopeRetry
from bot.ui import account as account_ui
from bot.ui.pages import LinkParties, confirm_page, connected_page, page

log = logging.getLogger(__name__)

CONFIRM_PATH = "/oauth/astravue/confirm"
CSRF_COOKIE_PREFIX = "astravue_confirm_"  # + the pending link's id: one cookie per page
MAX_FORM_BYTES = 2048  # the confirmation form is three short fields
# No caching, no framing (a framed "Link" button could be clickjacked), no referrer.
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'",
}


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=_HEADERS)


def _page(kind: str) -> Response:
    return _html(*page(kind))


def _parties(outcome: LinkOutcome) -> LinkParties:
    person = outcome.person
    return LinkParties(
        slack_name=person.name or person.user_id,
        slack_user_id=person.user_id,
        workspace=person.workspace,
        astravue_name=outcome.name,
        astravue_email=outcome.email,
    )


async def start(request: Request, services: ServiceContainer) -> Response:
    try:
        url = await services.linking.authorization_redirect(request.query_params.get("t", ""))
    except LinkError as exc:
        log.info("connect start refused: %s", exc.kind)
        return _page(exc.kind)
    return RedirectResponse(url, status_code=302, headers={"Cache-Control": "no-store"})


async def callback(request: Request, services: ServiceContainer) -> Response:
    params = request.query_params
    try:
        outcome = await services.linking.complete(
            state_value=params.get("state", ""), code=params.get("code"), error=params.get("error")
        )
    except ScopeRetry as retry:  # Keycloak refused offline_access: ask again without it
        return RedirectResponse(retry.url, status_code=302, headers={"Cache-Control": "no-store"})
    except LinkError as exc:
        log.info("connect callback refused: %s", exc.kind)
        return _page(exc.kind)
    except (OAuthError, AstravueConnectionError) as exc:
        log.warning("connect callback failed: %s", type(exc).__name__)
        return _page("unavailable")
    if outcome.held is None:
        return await _connected(services, outcome)
    await tell_in_slack(services, outcome, account_ui.link_waiting(outcome.name, outcome.email))
    held = outcome.held
    response = _html(
        confirm_page(
            _parties(outcome),
            action=CONFIRM_PATH,
            pending_id=held.pending_id,
            csrf_token=held.csrf_token,
            expires_at=held.expires_at,
        )
    )
    response.set_cookie(
        CSRF_COOKIE_PREFIX + held.pending_id,
        held.csrf_token,
        max_age=int(PENDING_TTL.total_seconds()),
        path="/oauth/astravue/",
        secure=services.settings.public_url.startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return response


async def confirm(request: Request, services: ServiceContainer) -> Response:
    """The confirmation page's POST: "Link" or "Cancel", with the page's CSRF token."""
    form = await _small_form(request)
    if form is None:
        return _page("invalid")
    pending_id, action = form.get("pending", ""), form.get("action")
    cookie = (
        request.cookies.get(CSRF_COOKIE_PREFIX + pending_id)
        if well_formed_token(pending_id)
        else None
    )
    answer = {"link": services.linking.confirm, "cancel": services.linking.cancel}.get(action or "")
    if answer is None:
        return _page("invalid")
    try:
        outcome = await answer(
            pending_id=pending_id, form_token=form.get("csrf", ""), cookie_token=cookie
        )
    except LinkError as exc:
        log.info("connect confirmation refused: %s", exc)
        return _page(exc.kind)
    if action == "cancel":
        await tell_in_slack(
            services, outcome, account_ui.link_cancelled(outcome.name, outcome.email)
        )
        response = _page("cancelled")
    else:
        response = await _connected(services, outcome)
    response.delete_cookie(CSRF_COOKIE_PREFIX + pending_id, path="/oauth/astravue/")
    return response


async def _connected(services: ServiceContainer, outcome: LinkOutcome) -> Response:
    """Say so in Slack, then run the command that asked for the connection (once the
    organisation is known: else the organisation prompt carries it)."""
    await tell_in_slack(
        services,
        outcome,
        account_ui.connected(
            outcome.name,
            outcome.email,
            outcome.org_id,
            org_name=outcome.identity.org_name,
            session_only=outcome.session_only,
            resume=outcome.command,
            channel_id=outcome.channel_id,
        ),
    )
    if outcome.command and outcome.org_id is not None:
        services.resume(
            ResumedCommand(
                outcome.team_id,
                outcome.slack_user_id,
                outcome.channel_id,
                outcome.command,
                outcome.response_url,
            )
        )
    return _html(connected_page(_parties(outcome)))


async def _small_form(request: Request) -> dict[str, str] | None:
    """The urlencoded form of a POST, read no further than MAX_FORM_BYTES; None if it is not
    one (too long, not text, or with repeated or too many fields)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    try:
        pairs = parse_qsl(
            body.decode("ascii"), keep_blank_values=True, max_num_fields=5, strict_parsing=True
        )
    except (UnicodeDecodeError, ValueError):
        return None
    form = dict(pairs)
    return form if len(form) == len(pairs) else None


async def tell_in_slack(
    services: ServiceContainer, outcome: LinkOutcome, payload: dict[str, Any]
) -> None:
    """Through the command's response_url while it lives, else as a DM."""
    if outcome.response_url:
        try:
            reply = await AsyncWebhookClient(outcome.response_url).send(
                **payload, replace_original=True, response_type="ephemeral"
            )
            if reply.status_code == 200:
                return
            log.info("response_url refused the confirmation (%s); sending a DM", reply.status_code)
        except Exception:  # an expired or unreachable response_url: the DM below still tells them
            log.info("response_url failed; sending a DM", exc_info=True)
    try:
        await services.slack.chat_postMessage(channel=outcome.slack_user_id, **payload)
    except Exception:
        log.exception(
            "could not confirm the connection to %s/%s", outcome.team_id, outcome.slack_user_id
        )
