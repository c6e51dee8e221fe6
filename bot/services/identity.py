"""Who a newly linked user is in Astravue, and where each fact came from.

For each fact (Astravue user id, organisation, email, name) the first source that answers
wins, in this order:

- "token": the claims of the ID and access tokens, the custom `astravue_user_id` and
  `tenant_id` ones included (inferred names, read tolerantly);
- "userinfo": Keycloak's OIDC userinfo endpoint (`sub`, `email`, `name`, and the custom
  claims when the realm maps them there);
- "astravue": the person with the user's email among the people Astravue shows them (creators
  and owners of their personal tasks and spaces), and the organisation those records carry.

The organisation is asked of the user only when none answers. `/astravue doctor` shows the
sources, kept in the user's settings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import KeycloakClient, OAuthError, TokenSet
from bot.astravue.client import AstravueClient
from bot.astravue.errors import AstravueError, ReauthorizationRequired
from bot.astravue.models import UserDto
from bot.db.repositories import settings_for
from bot.db.session import session_scope

log = logging.getLogger(__name__)

SETTINGS_KEY = "identity"


@dataclass(frozen=True)
class Identity:
    astravue_user_id: int | None
    email: str | None
    name: str | None
    org_id: int | None
    sub: str | None = None
    user_source: str | None = None
    org_source: str | None = None
    org_name: str | None = None  # the organisation's name, where a claim gives it

    def filled_from(self, other: Identity) -> Identity:
        """This identity with its gaps filled from `other` (and other's sources for them)."""
        user_known, org_known = self.astravue_user_id is not None, self.org_id is not None
        return Identity(
            astravue_user_id=self.astravue_user_id if user_known else other.astravue_user_id,
            email=self.email or other.email,
            name=self.name or other.name,
            org_id=self.org_id if org_known else other.org_id,
            sub=self.sub or other.sub,
            user_source=self.user_source if user_known else other.user_source,
            org_source=self.org_source if org_known else other.org_source,
            org_name=self.org_name if org_known else other.org_name,
        )

    @property
    def complete(self) -> bool:
        return None not in (self.astravue_user_id, self.org_id, self.email)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def identity_from_claims(claims: dict[str, Any], source: str = "token") -> Identity:
    """Astravue's identity hints in token or userinfo claims."""
    name = (
        claims.get("name")
        or " ".join(p for p in (claims.get("given_name"), claims.get("family_name")) if p)
        or None
    )
    user_id = _int_or_none(
        claims.get("astravue_user_id") or claims.get("user_id") or claims.get("userId")
    )
    org_id = _int_or_none(claims.get("tenant_id") or claims.get("tenantId") or claims.get("org_id"))
    org_name = claims.get("tenant_name") or claims.get("tenantName") or claims.get("org_name")
    return Identity(
        astravue_user_id=user_id,
        email=claims.get("email"),
        name=name,
        org_id=org_id,
        sub=claims.get("sub"),
        user_source=source if user_id is not None else None,
        org_source=source if org_id is not None else None,
        org_name=org_name.strip() or None
        if isinstance(org_name, str) and org_id is not None
        else None,
    )


async def find_in_astravue(client: AstravueClient, email: str) -> Identity:
    """The user with this email among the people Astravue shows them, and their tenant."""
    tasks = (await client.tasks.list(size=100)).tasks
    spaces = await client.spaces.list()
    people: list[UserDto | None] = [p for t in tasks for p in (t.created_by, *t.owners)]
    people += [s.created_by for s in spaces]
    me = next(
        (
            p
            for p in people
            if p and p.user_id is not None and p.email and p.email.lower() == email.lower()
        ),
        None,
    )
    tenants = [t.tenant_id for t in tasks] + [s.tenant_id for s in spaces]
    tenant = next((t for t in tenants if t is not None), None)
    return Identity(
        astravue_user_id=me.user_id if me else None,
        email=None,
        name=None,
        org_id=tenant,
        user_source="astravue" if me else None,
        org_source="astravue" if tenant is not None else None,
    )


class _JustIssued:
    """The token provider of a link not stored yet: the access token just issued."""

    def __init__(self, access_token: str) -> None:
        self._token = access_token

    async def access_token(self) -> str:
        return self._token

    async def refresh_after_unauthorized(self, rejected_token: str) -> str:
        raise ReauthorizationRequired("the token just issued was refused")


class IdentityResolver:
    def __init__(
        self,
        keycloak: KeycloakClient,
        *,
        http: httpx.AsyncClient | None = None,
        api_url: str | None = None,
    ) -> None:
        self.keycloak = keycloak
        self.http = http
        self.api_url = api_url

    async def resolve(self, tokens: TokenSet) -> Identity:
        identity = identity_from_claims(tokens.claims())
        if not identity.complete:
            try:
                userinfo = await self.keycloak.userinfo(tokens.access_token)
                identity = identity.filled_from(identity_from_claims(userinfo, "userinfo"))
            except OAuthError as exc:
                log.info("userinfo unavailable at link time: %s", exc.error)
        if identity.astravue_user_id is None and identity.email and self.http and self.api_url:
            client = AstravueClient(
                self.http,
                base_url=self.api_url,
                org_id=identity.org_id,
                tokens=_JustIssued(tokens.access_token),
                user_key="linking",
            )
            try:
                identity = identity.filled_from(await find_in_astravue(client, identity.email))
            except AstravueError as exc:  # e.g. no organisation to ask in yet
                log.info("no Astravue user found by email at link time: %s", type(exc).__name__)
        return identity


async def remember(
    session: AsyncSession, team_id: str, slack_user_id: str, **facts: str | bool | None
) -> None:
    """Record where the identity came from (user_source, org_source) and session_only."""
    row = await settings_for(session, team_id, slack_user_id)
    row.extra = {
        **(row.extra or {}),
        SETTINGS_KEY: {**((row.extra or {}).get(SETTINGS_KEY) or {}), **facts},
    }


async def recorded(
    sessions: async_sessionmaker[AsyncSession], team_id: str, slack_user_id: str
) -> dict[str, Any]:
    async with session_scope(sessions) as session:
        row = await settings_for(session, team_id, slack_user_id)
        return dict((row.extra or {}).get(SETTINGS_KEY) or {})
