"""Linking when Keycloak refuses `offline_access`: link with the other scopes, and say so.

Without an offline token the refresh token belongs to the user's Keycloak (SSO) session, so
the link ends when that session does (idle or max lifetime, logout). The connect flow asks
for `offline_access`; if Keycloak refuses it (`invalid_scope` when authorizing or at the
code exchange, or `not_allowed` "Offline tokens not allowed"), the callback sends the
browser straight back to Keycloak without it. That second attempt's state value carries
`REDUCED_PREFIX`, so it is never retried again.
"""

from __future__ import annotations

OFFLINE = "offline_access"
REDUCED_PREFIX = "session-"  # within the state alphabet (link_rules.well_formed_token)


class ScopeRetry(Exception):
    """The callback must send the browser to `url`: the authorization without offline_access."""

    def __init__(self, url: str) -> None:
        super().__init__("retrying the authorization without offline_access")
        self.url = url


def offline_refused(error: str | None, description: str | None = None) -> bool:
    if error == "invalid_scope":
        return True
    return error == "not_allowed" and "offline" in (description or "").lower()


def may_retry(scopes: str, state_value: str) -> bool:
    """Whether dropping offline_access is still a way forward for this attempt."""
    return OFFLINE in scopes.split() and not state_value.startswith(REDUCED_PREFIX)


def without_offline(scopes: str) -> str:
    return " ".join(s for s in scopes.split() if s != OFFLINE) or "openid"


def session_only(scopes: str, granted: str | None, state_value: str) -> bool:
    """Whether the link has no offline token although the configuration asks for one."""
    if OFFLINE not in scopes.split():
        return False
    refused = granted is not None and OFFLINE not in granted.split()
    return state_value.startswith(REDUCED_PREFIX) or refused
