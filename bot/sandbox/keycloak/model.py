"""The realm's settings, users, sessions, codes and the OAuth error answer."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

REALM_PATH = "/realms/astravue"
SUPPORTED_SCOPES = ("openid", "profile", "email", "offline_access")
DEFAULT_SCOPES = ("profile", "email")  # Keycloak's default client scopes, always granted
GRANT_TYPES = ("authorization_code", "refresh_token", "password")
CLIENT_AUTH_FAILED = "Invalid client or Invalid client credentials"
PKCE_VALUE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")  # RFC 7636 verifier/challenge syntax
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@dataclass
class KeycloakSettings:
    """Realm and client settings; defaults are Keycloak's realm defaults (B3) plus rotation on."""

    access_token_lifespan: int = 300
    sso_session_idle: int = 1800
    sso_session_max: int = 36000
    offline_session_idle: int = 2592000
    revoke_refresh_token: bool = True
    refresh_token_max_reuse: int = 0
    access_code_lifespan: int = 60  # Keycloak's "Client login timeout"
    client_id: str = "astravue-slack"
    client_secret: str = "sandbox-secret"
    # A realm without Astravue's protocol mappers: no astravue_user_id / tenant_id claims in
    # tokens or userinfo (only the standard sub, email and names).
    custom_claims: bool = True
    # A client without the offline_access scope: "auth" refuses it when authorizing (an
    # invalid_scope redirect), "token" at the code exchange; None allows it.
    refuse_offline_access: Literal["auth", "token"] | None = None


@dataclass
class KeycloakUser:
    astravue_user_id: int
    username: str
    email: str
    given_name: str
    family_name: str
    tenant_id: int | None  # None: the token carries no tenant claim (the app must ask)
    tenant_name: str | None = None  # the organisation's name claim (inferred: tenant_name)
    password: str = "sandbox"
    enabled: bool = True
    sub: str = ""

    def __post_init__(self) -> None:
        # Deterministic, so every process of a test run agrees on the `sub` of a user.
        self.sub = self.sub or str(uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox-kc:{self.username}"))

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def claims(self) -> dict[str, Any]:
        """Identity claims of access tokens, ID tokens and userinfo."""
        claims: dict[str, Any] = {
            "sub": self.sub,
            "email": self.email,
            "email_verified": True,
            "name": self.name,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "preferred_username": self.username,
            "astravue_user_id": self.astravue_user_id,
        }
        if self.tenant_id is not None:
            claims["tenant_id"] = self.tenant_id
        if self.tenant_name is not None:
            claims["tenant_name"] = self.tenant_name
        return claims


def seed_users() -> dict[str, KeycloakUser]:
    """The shared sandbox identities, keyed by username."""
    users = [
        KeycloakUser(1, "maria", "maria@acme.test", "Maria", "Lopez", 1, "Acme"),
        KeycloakUser(2, "dev", "dev@acme.test", "Dev", "Patel", 1, "Acme"),
        KeycloakUser(3, "sam", "sam@acme.test", "Sam", "Kim", None),
        KeycloakUser(4, "gina", "gina@acme.test", "Gina", "Guest", 1),
        KeycloakUser(5, "olga", "olga@other.test", "Olga", "Outsider", 2),
    ]
    return {user.username: user for user in users}


class OAuthError(Exception):
    """An OAuth error answer: `{"error": ..., "error_description": ...}`."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def invalid_grant(description: str) -> OAuthError:
    return OAuthError("invalid_grant", description)


class SessionState(Enum):
    ACTIVE = "active"
    DETACHED = "detached"  # the client was removed from the session (replayed code or token)
    ENDED = "ended"  # logout, admin sign-out or revocation


@dataclass
class Session:
    """A user session holding our client's session (one client, so one object)."""

    sid: str
    user: KeycloakUser
    scope: str
    offline: bool
    started: float
    state: SessionState = SessionState.ACTIVE
    # Keycloak's reuse bookkeeping: the refresh token last presented and how often it was used,
    # and the token issued by the latest refresh (anything older is "Stale token").
    current_refresh_jti: str | None = None
    reuse_count: int = 0
    latest_refresh_jti: str | None = None


@dataclass
class AuthCode:
    sid: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    expires_at: float
    used: bool = False


@dataclass(frozen=True)
class AuthRequest:
    redirect_uri: str
    state: str
    scope: str
    code_challenge: str
    nonce: str | None
    login_hint: str
