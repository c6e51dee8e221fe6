"""KeycloakClient: PKCE, authorize URL, token grants, error classes, revoke, userinfo."""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from bot.astravue.auth import (
    ClientConfigurationError,
    KeycloakClient,
    OAuthError,
    TerminalGrantError,
    TokenSet,
    TransientAuthError,
    pkce_challenge,
)
from bot.astravue.retry import RetryPolicy

from .conftest import AUTH, FakeClock

OIDC = "/realms/astravue/protocol/openid-connect"
SECRET = "sandbox-secret"
REFRESH = "refresh-token-value"
VERIFIER = "verifier-value-verifier-value-verifier-value-0123"


def jwt(claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256'})}.{part(claims)}.signature"


ACCESS = jwt({"sub": "uuid-maria", "astravue_user_id": 1, "tenant_id": 1})
ID_TOKEN = jwt({"sub": "uuid-maria", "email": "maria@acme.test", "tenant_id": 99})
TOKENS = {
    "access_token": ACCESS,
    "expires_in": 300,
    "refresh_expires_in": 0,
    "refresh_token": REFRESH,
    "token_type": "Bearer",
    "id_token": ID_TOKEN,
    "not-before-policy": 0,
    "session_state": "s1",
    "scope": "openid offline_access",
}


@pytest.fixture
def kc_router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url="http://127.0.0.1:9999" + OIDC, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
async def keycloak(clock: FakeClock) -> AsyncIterator[KeycloakClient]:
    async with httpx.AsyncClient() as http:
        yield KeycloakClient(
            http,
            auth_url=AUTH,
            client_id="astravue-slack",
            client_secret=SECRET,
            scopes="openid offline_access",
            retry=RetryPolicy(sleep=clock.sleep, clock=clock, jitter=lambda: 0.0),
        )


def form_of(request: httpx.Request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.content.decode()).items()}


def test_pkce_matches_rfc7636_appendix_b() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_new_pkce_pairs_are_valid_and_fresh() -> None:
    verifier, challenge = KeycloakClient.new_pkce()
    assert re.fullmatch(r"[A-Za-z0-9\-._~]{43,128}", verifier)
    assert challenge == pkce_challenge(verifier)
    assert KeycloakClient.new_pkce()[0] != verifier


def test_authorize_url(keycloak: KeycloakClient) -> None:
    url = keycloak.authorize_url(
        redirect_uri="http://localhost:3000/oauth/astravue/callback",
        state="st&ate",
        code_challenge="challenge",
        login_hint="maria@acme.test",
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{AUTH}/protocol/openid-connect/auth"
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {
        "response_type": "code",
        "client_id": "astravue-slack",
        "redirect_uri": "http://localhost:3000/oauth/astravue/callback",
        "scope": "openid offline_access",
        "state": "st&ate",
        "code_challenge": "challenge",
        "code_challenge_method": "S256",
        "login_hint": "maria@acme.test",
    }


async def test_exchange_code(keycloak: KeycloakClient, kc_router: respx.MockRouter) -> None:
    route = kc_router.post("/token").respond(json=TOKENS)
    tokens = await keycloak.exchange_code(
        code="the-code", redirect_uri="http://cb", code_verifier=VERIFIER
    )
    assert form_of(route.calls.last.request) == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": "http://cb",
        "code_verifier": VERIFIER,
        "client_id": "astravue-slack",
        "client_secret": SECRET,
    }
    assert (tokens.access_token, tokens.refresh_token, tokens.id_token) == (
        ACCESS,
        REFRESH,
        ID_TOKEN,
    )
    assert tokens.expires_in == 300
    assert tokens.refresh_expires_in is None  # offline token: no fixed expiry
    assert tokens.scope == "openid offline_access"


def test_token_set_claims_and_repr() -> None:
    tokens = TokenSet.from_response(TOKENS)
    claims = tokens.claims()
    assert claims["astravue_user_id"] == 1
    assert claims["tenant_id"] == 1  # the access token wins over the id token
    assert claims["email"] == "maria@acme.test"
    text = repr(tokens)
    assert ACCESS not in text and REFRESH not in text and ID_TOKEN not in text
    assert "expires_in=300" in text
    assert TokenSet.from_response({"access_token": "opaque", "expires_in": 60}).claims() == {}


def test_token_response_without_access_token_is_an_error() -> None:
    with pytest.raises(OAuthError, match="access_token"):
        TokenSet.from_response({"expires_in": 60})


async def test_refresh_sends_the_refresh_grant(
    keycloak: KeycloakClient, kc_router: respx.MockRouter
) -> None:
    route = kc_router.post("/token").respond(json={**TOKENS, "refresh_token": "rotated"})
    tokens = await keycloak.refresh(REFRESH)
    assert form_of(route.calls.last.request) == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH,
        "client_id": "astravue-slack",
        "client_secret": SECRET,
    }
    assert tokens.refresh_token == "rotated"


@pytest.mark.parametrize(
    ("status", "error", "error_class"),
    [
        (400, "invalid_grant", TerminalGrantError),
        (400, "invalid_scope", TerminalGrantError),
        (401, "invalid_client", ClientConfigurationError),
        (400, "unauthorized_client", ClientConfigurationError),
        (400, "unsupported_grant_type", OAuthError),
    ],
)
async def test_oauth_errors_are_classified(
    status: int,
    error: str,
    error_class: type[OAuthError],
    keycloak: KeycloakClient,
    kc_router: respx.MockRouter,
) -> None:
    route = kc_router.post("/token").respond(
        status, json={"error": error, "error_description": "Token is not active"}
    )
    with pytest.raises(error_class) as caught:
        await keycloak.refresh(REFRESH)
    assert type(caught.value) is error_class
    assert (caught.value.error, caught.value.description, caught.value.status) == (
        error,
        "Token is not active",
        status,
    )
    assert route.call_count == 1
    assert REFRESH not in str(caught.value)


@pytest.mark.parametrize(
    ("failure", "attempts"),
    [
        (httpx.ConnectError("refused"), 3),  # never arrived: resending is safe
        (httpx.Response(503), 3),  # a proxy with no upstream
        (httpx.Response(503, json={"error": "temporarily_unavailable"}), 1),
        (httpx.Response(500, json={"error": "unknown_error"}), 1),  # may have rotated
        (httpx.ReadTimeout("slow"), 1),
    ],
)
async def test_refresh_is_resent_only_when_it_surely_did_not_arrive(
    failure: Exception | httpx.Response,
    attempts: int,
    keycloak: KeycloakClient,
    kc_router: respx.MockRouter,
) -> None:
    route = kc_router.post("/token")
    if isinstance(failure, httpx.Response):
        route.mock(return_value=failure)
    else:
        route.mock(side_effect=failure)
    with pytest.raises(TransientAuthError):
        await keycloak.refresh(REFRESH)
    assert route.call_count == attempts


async def test_revoke(keycloak: KeycloakClient, kc_router: respx.MockRouter) -> None:
    route = kc_router.post("/revoke").mock(side_effect=[httpx.Response(500), httpx.Response(200)])
    await keycloak.revoke(REFRESH)
    assert route.call_count == 2  # revoking is idempotent, so a 500 is retried
    assert form_of(route.calls.last.request) == {
        "token": REFRESH,
        "token_type_hint": "refresh_token",
        "client_id": "astravue-slack",
        "client_secret": SECRET,
    }


async def test_public_client_sends_no_secret(kc_router: respx.MockRouter) -> None:
    route = kc_router.post("/token").respond(json=TOKENS)
    async with httpx.AsyncClient() as http:
        public = KeycloakClient(
            http, auth_url=AUTH, client_id="astravue-slack", client_secret=None, scopes="openid"
        )
        await public.refresh(REFRESH)
    assert "client_secret" not in form_of(route.calls.last.request)


async def test_userinfo(keycloak: KeycloakClient, kc_router: respx.MockRouter) -> None:
    route = kc_router.get("/userinfo").respond(json={"sub": "uuid-maria", "tenant_id": 1})
    assert await keycloak.userinfo(ACCESS) == {"sub": "uuid-maria", "tenant_id": 1}
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {ACCESS}"

    kc_router.get("/userinfo").respond(401, json={"error": "invalid_token"})
    with pytest.raises(OAuthError, match="invalid_token"):
        await keycloak.userinfo(ACCESS)


async def test_logs_never_contain_secrets(
    keycloak: KeycloakClient, kc_router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    kc_router.post("/token").respond(json=TOKENS)
    kc_router.post("/revoke").respond(200)
    await keycloak.exchange_code(code="the-code", redirect_uri="http://cb", code_verifier=VERIFIER)
    await keycloak.revoke(REFRESH)
    lines = [record.getMessage() for record in caplog.records]
    assert any("getAccessAndRefreshToken -> 200" in line for line in lines)
    for secret in (ACCESS, REFRESH, SECRET, VERIFIER, "the-code"):
        assert not any(secret in line for line in lines)
    assert SECRET not in repr(keycloak)
