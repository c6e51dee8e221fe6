"""Sandbox Keycloak: the `astravue` realm's OIDC endpoints, with Keycloak's session rules.

Mounted at `/realms/astravue` of the sandbox server. It models what our app must survive:
access-token lifespan, SSO idle and max, offline idle, refresh-token
rotation with reuse detection that detaches the client session, code replay that does the
same, and Keycloak's exact `error_description` strings. Tokens look like JWTs (HS256 with a
per-instance key, so a restarted fake rejects old tokens) and carry the `astravue_user_id`
and `tenant_id` claims the app reads. State lives in memory; handlers never await between
checking and changing it, so concurrent requests see Keycloak-like single-use semantics.
"""

from bot.sandbox.keycloak.model import (
    REALM_PATH,
    KeycloakSettings,
    KeycloakUser,
    OAuthError,
    seed_users,
)
from bot.sandbox.keycloak.protocol import s256_challenge
from bot.sandbox.keycloak.realm import KeycloakFake

__all__ = [
    "REALM_PATH",
    "KeycloakFake",
    "KeycloakSettings",
    "KeycloakUser",
    "OAuthError",
    "s256_challenge",
    "seed_users",
]
