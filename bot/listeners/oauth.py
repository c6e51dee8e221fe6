"""The browser side of connecting: `/oauth/astravue/start` and `/oauth/astravue/callback`."""

from __future__ import annotations

import logging

from slack_sdk.webhook.async_client import AsyncWebhookClient
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.astravue.auth import OAuthError
from bot.astravue.errors import AstravueConnectionError
from bot.services.container import ServiceContainer
from bot.services.linking import LinkError, LinkOutcome
from bot.services.session_scopes import ScopeRetry
from bot.ui import account as account_ui
from bot.ui.pages import page

log = logging.getLogger(__name__)


def _page(kind: str) -> Response:
    body, status = page(kind)
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


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
        outcome = await services.linking.complete(state_value=params.get("state", ""),
                                                  code=params.get("code"),
                                                  error=params.get("error"))
    except ScopeRetry as retry:  # Keycloak refused offline_access: ask again without it
        return RedirectResponse(retry.url, status_code=302, headers={"Cache-Control": "no-store"})
    except LinkError as exc:
        log.info("connect callback refused: %s", exc.kind)
        return _page(exc.kind)
    except (OAuthError, AstravueConnectionError) as exc:
        log.warning("connect callback failed: %s", type(exc).__name__)
        return _page("unavailable")
    await confirm_in_slack(services, outcome)
    return _page("connected")


async def confirm_in_slack(services: ServiceContainer, outcome: LinkOutcome) -> None:
    """Through the command's response_url while it lives, else as a DM."""
    payload = account_ui.connected(outcome.name, outcome.email, outcome.org_id,
                                   session_only=outcome.session_only)
    if outcome.response_url:
        try:
            reply = await AsyncWebhookClient(outcome.response_url).send(
                **payload, replace_original=True, response_type="ephemeral")
            if reply.status_code == 200:
                return
            log.info("response_url refused the confirmation (%s); sending a DM", reply.status_code)
        except Exception:  # an expired or unreachable response_url: the DM below still tells them
            log.info("response_url failed; sending a DM", exc_info=True)
    try:
        await services.runtime.slack.chat_postMessage(channel=outcome.slack_user_id, **payload)
    except Exception:
        log.exception("could not confirm the connection to %s/%s", outcome.team_id,
                      outcome.slack_user_id)
