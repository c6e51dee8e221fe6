"""Slack OAuth v2 for the sandbox: several workspaces (and Enterprise Grid orgs) that install
the app, each with its own bot token, token rotation and uninstall.

- `GET /slack/oauth/v2/authorize?client_id&scope&state&redirect_uri[&team]`: the browser's
  visit to Slack; redirects back with `code` and `state` (or `error=access_denied` when the
  next install is set to be denied). Which team installs: `team`, else `choose(...)`.
- `oauth.v2.access`: the code exchange (`grant_type=authorization_code`, the default) and
  the refresh grant (`grant_type=refresh_token`) of token rotation.
- Web API calls with a team's token are accepted as that team (`SlackFake.token_team`); a
  revoked token answers `token_revoked` and an expired one `token_expired`, and both count in
  `stale_token_uses`.
- `uninstall(team)` revokes that installation's tokens and returns the `app_uninstalled`
  event Slack would send.
"""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.sandbox.slack import APP_ID, SlackFake, SlackRefusal

CLIENT_ID = "sandbox-slack-client"
CLIENT_SECRET = "sandbox-slack-secret"
AUTHORIZE_PATH = "/slack/oauth/v2/authorize"
ACCESS_PATH = "/slack/api/oauth.v2.access"
TOKEN_LIFETIME = 12 * 3600  # Slack's rotating tokens


@dataclass
class Workspace:
    team_id: str  # an org-wide install's id is its enterprise id
    name: str
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    org_wide: bool = False
    installer: str = "U0ADMIN"

    @property
    def bot_user_id(self) -> str:
        return f"U0BOT{self.team_id[1:]}"

    @property
    def bot_id(self) -> str:
        return f"B0BOT{self.team_id[1:]}"


@dataclass
class _Token:
    team_id: str
    expires_at: float | None
    revoked: bool = False


@dataclass
class _Code:
    team_id: str
    redirect_uri: str | None
    scope: str
    issued_at: float
    used: bool = False


@dataclass
class SlackOAuthFake:
    slack: SlackFake
    clock: Callable[[], float] = time.time
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    rotate_tokens: bool = False  # token rotation on: tokens expire, with refresh tokens
    token_lifetime: float = TOKEN_LIFETIME
    deny_next: bool = False  # the next authorize answers error=access_denied
    exchange_error: str | None = None  # oauth.v2.access answers this error while set
    exchange_down: bool = False  # oauth.v2.access answers 503 with an HTML page (an outage)
    workspaces: dict[str, Workspace] = field(default_factory=dict)
    chosen: str | None = None
    refresh_grants: int = 0
    stale_token_uses: dict[str, int] = field(default_factory=dict)
    issued: list[str] = field(default_factory=list)  # every token and refresh token given out
    _tokens: dict[str, _Token] = field(default_factory=dict)
    _refresh: dict[str, str] = field(default_factory=dict)  # refresh token -> team
    _codes: dict[str, _Code] = field(default_factory=dict)
    _current: str | None = None  # the team of the call being answered

    def __post_init__(self) -> None:
        default = self.slack.token_team

        def token_team(token: str) -> str | None:
            record = self._tokens.get(token)
            if record is None:
                self._current = default(token)
                return self._current
            stale = record.revoked or (
                record.expires_at is not None and record.expires_at <= self.clock()
            )
            if stale:
                uses = self.stale_token_uses
                uses[record.team_id] = uses.get(record.team_id, 0) + 1
                raise SlackRefusal("token_revoked" if record.revoked else "token_expired")
            self._current = record.team_id
            return record.team_id

        self.slack.token_team = token_team

    # ---- set-up and inspection ----------------------------------------------------------

    def add_workspace(self, team_id: str, name: str, **details: Any) -> Workspace:
        workspace = Workspace(team_id, name, **details)
        self.workspaces[team_id] = workspace
        return workspace

    def add_static_token(self, token: str, team_id: str) -> None:
        """A bot token Slack accepts as `team_id`'s without an install (benchmarks)."""
        self._tokens[token] = _Token(team_id, None)

    def choose(self, team_id: str) -> None:
        """The workspace the next authorize installs into (a person picking it in Slack)."""
        self.chosen = team_id

    def tokens_of(self, team_id: str) -> list[str]:
        """Every bot token issued to this team, oldest first (for assertions)."""
        return [token for token, record in self._tokens.items() if record.team_id == team_id]

    def expire_tokens(self, team_id: str) -> None:
        """Make the team's current tokens expire now (as 12 hours passing would)."""
        for record in self._tokens.values():
            if record.team_id == team_id and record.expires_at is not None:
                record.expires_at = self.clock()

    def uninstall(self, team_id: str) -> dict[str, Any]:
        """Revoke the installation's tokens; returns the app_uninstalled event to deliver."""
        for record in self._tokens.values():
            if record.team_id == team_id:
                record.revoked = True
        self._refresh = {r: t for r, t in self._refresh.items() if t != team_id}
        return {"type": "app_uninstalled", "event_ts": f"{self.clock():.6f}"}

    def routes(self) -> list[Route]:
        return [
            Route(AUTHORIZE_PATH, self._authorize, methods=["GET"]),
            Route(ACCESS_PATH, self._access, methods=["POST"]),
        ]

    # ---- the browser's visit ------------------------------------------------------------

    async def _authorize(self, request: Request) -> Response:
        query = request.query_params
        redirect_uri, state = query.get("redirect_uri"), query.get("state", "")
        if query.get("client_id") != self.client_id or not redirect_uri:
            return PlainTextResponse("invalid_client_id or missing redirect_uri", 400)
        if self.deny_next:
            self.deny_next = False
            return _back(redirect_uri, error="access_denied", state=state)
        team_id = query.get("team") or self.chosen or next(iter(self.workspaces), None)
        if team_id not in self.workspaces:
            return PlainTextResponse("no such workspace", 400)
        code = secrets.token_urlsafe(18)
        self._codes[code] = _Code(team_id, redirect_uri, query.get("scope", ""), self.clock())
        return _back(redirect_uri, code=code, state=state)

    # ---- oauth.v2.access ----------------------------------------------------------------

    async def _access(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if request.headers.get("authorization", "").startswith("Basic "):
            raw = base64.b64decode(request.headers["authorization"][6:]).decode()
            client_id, _, client_secret = raw.partition(":")
        if self.exchange_down:
            return PlainTextResponse("<html>Service Unavailable</html>", 503)
        if self.exchange_error:
            return _error(self.exchange_error)
        if client_id != self.client_id:
            return _error("invalid_client_id")
        if client_secret != self.client_secret:
            return _error("bad_client_secret")
        if form.get("grant_type") == "refresh_token":
            return self._refresh_grant(form.get("refresh_token", ""))
        record = self._codes.get(form.get("code", ""))
        if record is None or record.used or self.clock() - record.issued_at > 600:
            return _error("invalid_code")
        record.used = True
        if form.get("redirect_uri") and form.get("redirect_uri") != record.redirect_uri:
            return _error("bad_redirect_uri")
        workspace = self.workspaces[record.team_id]
        body = {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": workspace.installer},
            "scope": record.scope,
            "token_type": "bot",
            "bot_user_id": workspace.bot_user_id,
            "team": None
            if workspace.org_wide
            else {"id": workspace.team_id, "name": workspace.name},
            "enterprise": (
                {"id": workspace.enterprise_id, "name": workspace.enterprise_name}
                if workspace.enterprise_id
                else None
            ),
            "is_enterprise_install": workspace.org_wide,
            **self._issue(workspace.team_id),
        }
        return JSONResponse(body)

    def _refresh_grant(self, refresh_token: str) -> Response:
        team_id = self._refresh.pop(refresh_token, None)
        if team_id is None:
            return _error("invalid_refresh_token")
        self.refresh_grants += 1
        return JSONResponse({"ok": True, "token_type": "bot", **self._issue(team_id)})

    def _issue(self, team_id: str) -> dict[str, Any]:
        if not self.rotate_tokens:
            token = f"xoxb-{team_id}-{secrets.token_hex(12)}"
            self._tokens[token] = _Token(team_id, None)
            self.issued.append(token)
            return {"access_token": token}
        token = f"xoxe.xoxb-1-{team_id}-{secrets.token_hex(12)}"
        refresh = f"xoxe-1-{team_id}-{secrets.token_hex(16)}"
        self._tokens[token] = _Token(team_id, self.clock() + self.token_lifetime)
        self._refresh[refresh] = team_id
        self.issued += [token, refresh]
        return {
            "access_token": token,
            "refresh_token": refresh,
            "expires_in": int(self.token_lifetime),
        }


def _back(redirect_uri: str, **params: str) -> Response:
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(params)}", status_code=302)


def _error(error: str) -> Response:
    return JSONResponse({"ok": False, "error": error})
