"""The "Add to Slack" flow (distributed mode) on Bolt's `AsyncOAuthFlow`.

GET /slack/install issues a state (stored hashed, single use, 10 minutes), binds it to the
browser with a cookie and shows the Add to Slack link to `SLACK_OAUTH_AUTHORIZE_URL` with the
manifest's bot scopes and `redirect_uri=$PUBLIC_URL/slack/oauth_redirect`. The redirect checks
cookie and state, calls `oauth.v2.access`, stores the installation and says what was installed;
any failure gets a clear page and stores nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.state_utils import OAuthStateUtils
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.slack.installations import SqlInstallationStore
from bot.slack.oauth_state import STATE_TTL, SqlOAuthStateStore
from bot.ui.install_pages import install_failed_page, install_page, installed_page

log = logging.getLogger(__name__)

HTML = {"Content-Type": "text/html; charset=utf-8"}


def manifest_bot_scopes() -> list[str]:
    """The bot scopes `manifest.yml` lists under oauth_config > scopes > bot."""
    from bot.resources import manifest_template

    scopes: list[str] = []
    inside = False
    for line in manifest_template().splitlines():
        if re.fullmatch(r"\s*bot:\s*", line):
            inside = True
        elif inside and (match := re.fullmatch(r"\s*-\s*([\w:.]+)\s*", line)):
            scopes.append(match.group(1))
        elif inside:
            break
    return scopes


class StateCookie(OAuthStateUtils):
    """Bolt's state cookie, `Secure` only where the app is served over https (a plain-http
    development address would otherwise never get it back) and SameSite=Lax, so it returns
    on Slack's top-level redirect and on no cross-site request."""

    def __init__(self, *, secure: bool) -> None:
        super().__init__(expiration_seconds=int(STATE_TTL.total_seconds()))
        self.attributes = ("Secure; " if secure else "") + "HttpOnly; SameSite=Lax; Path=/"

    def build_set_cookie_for_new_state(self, state: str) -> str:
        return f"{self.cookie_name}={state}; {self.attributes}; Max-Age={self.expiration_seconds}"

    def build_set_cookie_for_deletion(self) -> str:
        return f"{self.cookie_name}=deleted; {self.attributes}; Max-Age=0"


class _NoCodeInLogs(logging.Filter):
    """Bolt logs a refused exchange with its authorization code; the code stays out."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "code:" in message:
            record.msg, record.args = re.sub(r"code: \S+", "code: [redacted]", message), ()
        return True


def _bolt_oauth_logger() -> logging.Logger:
    logger = logging.getLogger("bot.slack.bolt_oauth")
    if not any(isinstance(f, _NoCodeInLogs) for f in logger.filters):
        logger.addFilter(_NoCodeInLogs())
    return logger


class InstallFlow(AsyncOAuthFlow):
    """Bolt's flow with our pages, our store's save, and no exception escaping the exchange."""

    store: SqlInstallationStore

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        return install_page(url)

    async def run_installation(self, code: str) -> Installation | None:
        try:
            return await super().run_installation(code)
        except Exception as exc:  # Slack unreachable or a malformed answer: nothing installed
            log.warning("oauth.v2.access failed: %s", type(exc).__name__)
            return None

    async def store_installation(
        self, request: AsyncBoltRequest, installation: Installation
    ) -> None:
        from slack_bolt.error import BoltError

        try:
            installed = await self.store.save(installation)
        except Exception as exc:
            log.exception("could not store an installation")
            raise BoltError("the installation could not be stored") from exc
        log.info(
            "installed in team %s (enterprise %s, org-wide %s), installation %s",
            installed.team_id or "-",
            installed.enterprise_id or "-",
            installed.is_enterprise_install,
            installed.id,
        )


def build_install_flow(
    settings: Settings,
    store: SqlInstallationStore,
    states: SqlOAuthStateStore,
    oauth_client: AsyncWebClient,
    *,
    scopes: Sequence[str] | None = None,
) -> InstallFlow:
    cookie = StateCookie(secure=settings.public_url.startswith("https://"))

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        org_wide = bool(installation.is_enterprise_install)
        name = (
            (installation.enterprise_name if org_wide else installation.team_name)
            or installation.team_id
            or installation.enterprise_id
            or "your workspace"
        )
        return _page(200, installed_page(name, org_wide=org_wide), cookie)

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        log.info("install failed: %s", args.reason)
        body, status = install_failed_page(args.reason)
        return _page(status, body, cookie)

    oauth_settings = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(scopes if scopes is not None else manifest_bot_scopes()),
        redirect_uri=settings.slack_redirect_uri,
        authorization_url=settings.slack_oauth_authorize_url,
        installation_store=store,
        installation_store_bot_only=True,
        state_store=states,
        state_expiration_seconds=int(STATE_TTL.total_seconds()),
        callback_options=AsyncCallbackOptions(success=success, failure=failure),
        logger=_bolt_oauth_logger(),
    )
    oauth_settings.state_utils = cookie
    flow = InstallFlow(client=oauth_client, settings=oauth_settings, logger=_bolt_oauth_logger())
    flow.store = store
    return flow


def _page(status: int, body: str, cookie: StateCookie) -> BoltResponse:
    headers: dict[str, Any] = {**HTML, "Set-Cookie": [cookie.build_set_cookie_for_deletion()]}
    return BoltResponse(status=status, body=body, headers=headers)
