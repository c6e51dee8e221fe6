"""Identity sources at link time, and linking without offline_access (pure parts)."""

from __future__ import annotations

import base64
import json
from typing import Any

from bot.astravue.auth import OAuthError, TokenSet
from bot.services.identity import Identity, IdentityResolver, identity_from_claims
from bot.services.session_scopes import (
    REDUCED_PREFIX,
    may_retry,
    offline_refused,
    session_only,
    without_offline,
)


class FakeKeycloak:
    def __init__(self, userinfo: dict[str, Any] | None) -> None:
        self.answer = userinfo
        self.calls = 0

    async def userinfo(self, access_token: str) -> dict[str, Any]:
        self.calls += 1
        if self.answer is None:
            raise OAuthError("invalid_token", "gone", 401)
        return self.answer


def tokens(claims: dict[str, Any]) -> TokenSet:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return TokenSet(access_token=f"e30.{payload}.sig", expires_in=300)


def test_claims_are_read_with_their_source() -> None:
    found = identity_from_claims(
        {"sub": "abc", "email": "m@x", "astravue_user_id": "7"}, "userinfo"
    )
    assert found == Identity(7, "m@x", None, None, "abc", "userinfo", None)


def test_filling_keeps_what_is_known_and_its_source() -> None:
    token = Identity(7, None, "Maria", None, user_source="token")
    merged = token.filled_from(Identity(9, "m@x", "Other", 3, "s", "userinfo", "userinfo"))
    assert merged == Identity(7, "m@x", "Maria", 3, "s", "token", "userinfo")


async def test_userinfo_is_asked_only_when_the_token_leaves_gaps() -> None:
    full = {"email": "m@x", "astravue_user_id": 7, "tenant_id": 1}
    keycloak = FakeKeycloak({"email": "m@x"})
    assert (await IdentityResolver(keycloak).resolve(tokens(full))).user_source == "token"  # type: ignore[arg-type]
    assert keycloak.calls == 0

    keycloak = FakeKeycloak({"sub": "s", "email": "m@x", "astravue_user_id": 7, "tenant_id": 1})
    found = await IdentityResolver(keycloak).resolve(tokens({"sub": "s"}))  # type: ignore[arg-type]
    assert (found.astravue_user_id, found.org_id, found.user_source) == (7, 1, "userinfo")


async def test_a_failing_userinfo_leaves_what_the_token_said() -> None:
    found = await IdentityResolver(FakeKeycloak(None)).resolve(  # type: ignore[arg-type]
        tokens({"email": "m@x"})
    )
    assert (found.email, found.astravue_user_id, found.user_source) == ("m@x", None, None)


def test_offline_refusals_are_recognised() -> None:
    assert offline_refused("invalid_scope")
    assert offline_refused("not_allowed", "Offline tokens not allowed for the user or client")
    assert not offline_refused("access_denied") and not offline_refused(None)


def test_the_retry_happens_once_and_only_when_offline_was_asked() -> None:
    assert may_retry("openid offline_access", "abc")
    assert not may_retry("openid offline_access", REDUCED_PREFIX + "abc")
    assert not may_retry("openid", "abc")
    assert without_offline("openid offline_access email") == "openid email"
    assert without_offline("offline_access") == "openid"


def test_a_link_is_session_only_when_offline_was_asked_and_not_granted() -> None:
    assert session_only("openid offline_access", None, REDUCED_PREFIX + "x")
    assert session_only("openid offline_access", "openid email", "x")
    assert not session_only("openid offline_access", "openid offline_access", "x")
    assert not session_only("openid offline_access", None, "x")
    assert not session_only("openid", "openid", "x")


def test_the_organisation_name_claim_is_read_only_with_its_id() -> None:
    named = identity_from_claims({"tenant_id": "7", "tenant_name": " Acme "})
    assert (named.org_id, named.org_name) == (7, "Acme")
    assert identity_from_claims({"tenant_name": "Acme"}).org_name is None  # no id: no name
    assert identity_from_claims({"tenant_id": 7, "tenant_name": ["x"]}).org_name is None
