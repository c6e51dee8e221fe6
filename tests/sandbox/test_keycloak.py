"""The sandbox Keycloak behaves like Keycloak where our app depends on it."""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bot.sandbox.keycloak import REALM_PATH, KeycloakFake, KeycloakSettings, s256_challenge

BASE = "http://testserver"
OIDC = f"{REALM_PATH}/protocol/openid-connect"
CLIENT = {"client_id": "astravue-slack", "client_secret": "sandbox-secret"}
REDIRECT_URI = "http://127.0.0.1:3000/oauth/astravue/callback"
START = 1_800_000_000.0


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings() -> KeycloakSettings:
    return KeycloakSettings()


@pytest.fixture
def kc(settings: KeycloakSettings, clock: FakeClock) -> KeycloakFake:
    return KeycloakFake(settings=settings, clock=clock)


@pytest.fixture
async def client(kc: KeycloakFake) -> AsyncIterator[httpx.AsyncClient]:
    # Mounted as the combined sandbox server mounts it, so URLs must carry the realm path.
    outer = Starlette(routes=[Mount(REALM_PATH, app=kc.app)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=outer), base_url=BASE) as c:
        yield c


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def auth_params(verifier: str, **overrides: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": "astravue-slack",
        "redirect_uri": REDIRECT_URI,
        "state": "st-123",
        "scope": "openid offline_access",
        "code_challenge": s256_challenge(verifier),
        "code_challenge_method": "S256",
        "nonce": "n-1",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v != ""}


async def authorize(
    client: httpx.AsyncClient, user: str = "maria", **overrides: str
) -> tuple[str, str]:
    """Sign a user in through login_hint; returns (code, verifier)."""
    verifier = secrets.token_urlsafe(48)
    response = await client.get(
        f"{OIDC}/auth", params=auth_params(verifier, login_hint=user, **overrides)
    )
    assert response.status_code == 302, response.text
    return query_of(response.headers["location"])["code"], verifier


async def exchange(
    client: httpx.AsyncClient, code: str, verifier: str | None, redirect_uri: str = REDIRECT_URI
) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        **CLIENT,
    }
    if verifier is not None:
        form["code_verifier"] = verifier
    return await client.post(f"{OIDC}/token", data=form)


async def password_login(
    client: httpx.AsyncClient, username: str = "maria", scope: str = "openid"
) -> dict[str, Any]:
    response = await client.post(
        f"{OIDC}/token",
        data={
            "grant_type": "password",
            "username": username,
            "password": "sandbox",
            "scope": scope,
            **CLIENT,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post(
        f"{OIDC}/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token, **CLIENT},
    )


def assert_invalid_grant(response: httpx.Response, description: str) -> None:
    assert response.status_code == 400, response.text
    assert response.json() == {"error": "invalid_grant", "error_description": description}


# -- discovery and login ---------------------------------------------------------------------


async def test_discovery_uses_the_mount_point(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{REALM_PATH}/.well-known/openid-configuration")
    doc = response.json()
    issuer = f"{BASE}{REALM_PATH}"
    assert doc["issuer"] == issuer
    assert doc["authorization_endpoint"] == f"{issuer}/protocol/openid-connect/auth"
    assert doc["token_endpoint"] == f"{issuer}/protocol/openid-connect/token"
    assert doc["revocation_endpoint"] == f"{issuer}/protocol/openid-connect/revoke"
    assert doc["userinfo_endpoint"] == f"{issuer}/protocol/openid-connect/userinfo"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert {"authorization_code", "refresh_token"} <= set(doc["grant_types_supported"])


async def test_login_page_lists_every_user_and_escapes_params(client: httpx.AsyncClient) -> None:
    params = auth_params("v" * 43, state='"><script>x</script>')
    response = await client.get(f"{OIDC}/auth", params=params)
    assert response.status_code == 200
    page = response.text
    assert page.count("<form") == 5
    for name in ("Maria Lopez", "Dev Patel", "Sam Kim", "Gina Guest", "Olga Outsider"):
        assert name in page
    assert f'action="{OIDC}/auth"' in page
    assert "<script>x</script>" not in page


async def test_login_hint_signs_in_at_once_and_keeps_redirect_query(
    client: httpx.AsyncClient,
) -> None:
    verifier = "v" * 43
    response = await client.get(
        f"{OIDC}/auth",
        params=auth_params(
            verifier, login_hint="dev@acme.test", redirect_uri=f"{REDIRECT_URI}?keep=1"
        ),
    )
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(f"{REDIRECT_URI}?")
    query = query_of(location)
    assert query["keep"] == "1"
    assert query["state"] == "st-123"
    assert query["iss"] == f"{BASE}{REALM_PATH}"
    assert query["session_state"] and query["code"]


async def test_login_form_post_redirects_with_a_code(
    client: httpx.AsyncClient, kc: KeycloakFake
) -> None:
    verifier = secrets.token_urlsafe(48)
    response = await client.post(f"{OIDC}/auth", data={**auth_params(verifier), "username": "sam"})
    assert response.status_code == 302
    tokens = (
        await exchange(client, query_of(response.headers["location"])["code"], verifier)
    ).json()
    assert kc.authenticate(tokens["access_token"]) == 3


async def test_login_of_a_disabled_user_shows_keycloaks_notice(
    client: httpx.AsyncClient, kc: KeycloakFake
) -> None:
    kc.disable_user("gina")
    response = await client.get(f"{OIDC}/auth", params=auth_params("v" * 43, login_hint="gina"))
    assert response.status_code == 200
    assert "Account is disabled, contact your administrator." in response.text


@pytest.mark.parametrize(
    ("overrides", "error", "description"),
    [
        (
            {"code_challenge_method": "plain"},
            "invalid_request",
            "Invalid parameter: code challenge method is not configured one",
        ),
        (
            {"code_challenge_method": ""},
            "invalid_request",
            "Missing parameter: code_challenge_method",
        ),
        ({"code_challenge": ""}, "invalid_request", "Missing parameter: code_challenge"),
        ({"state": ""}, "invalid_request", "Missing parameter: state"),
        (
            {"response_type": "token"},
            "unsupported_response_type",
            "Client is not allowed to initiate browser login with given response_type.",
        ),
        ({"scope": "openid admin"}, "invalid_scope", "Invalid scopes: admin"),
    ],
)
async def test_bad_authorization_requests_redirect_with_an_error(
    client: httpx.AsyncClient, overrides: dict[str, str], error: str, description: str
) -> None:
    params = auth_params("v" * 43, login_hint="maria", **overrides)
    response = await client.get(f"{OIDC}/auth", params=params)
    assert response.status_code == 302
    query = query_of(response.headers["location"])
    assert (query["error"], query["error_description"]) == (error, description)
    assert "code" not in query


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"client_id": "someone-else"}, "Client not found."),
        ({"redirect_uri": "javascript:alert(1)"}, "Invalid parameter: redirect_uri"),
    ],
)
async def test_untrusted_client_or_redirect_gets_an_error_page(
    client: httpx.AsyncClient, overrides: dict[str, str], message: str
) -> None:
    response = await client.get(
        f"{OIDC}/auth", params=auth_params("v" * 43, login_hint="maria", **overrides)
    )
    assert response.status_code == 400
    assert message in response.text
    assert "location" not in response.headers


# -- authorization code + PKCE ---------------------------------------------------------------


async def test_code_flow_returns_keycloak_shaped_tokens(
    client: httpx.AsyncClient, kc: KeycloakFake
) -> None:
    code, verifier = await authorize(client, scope="openid")
    response = await exchange(client, code, verifier)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {
        "access_token",
        "expires_in",
        "refresh_expires_in",
        "refresh_token",
        "token_type",
        "id_token",
        "not-before-policy",
        "session_state",
        "scope",
    }
    assert body["token_type"] == "Bearer"
    assert (body["expires_in"], body["refresh_expires_in"]) == (300, 1800)
    assert body["scope"].split() == ["openid", "profile", "email"]
    access = claims_of(body["access_token"])
    assert access["typ"] == "Bearer"
    assert access["iss"] == f"{BASE}{REALM_PATH}"
    assert access["sid"] == body["session_state"]
    assert (access["astravue_user_id"], access["tenant_id"]) == (1, 1)
    assert (access["email"], access["name"]) == ("maria@acme.test", "Maria Lopez")
    assert claims_of(body["refresh_token"])["typ"] == "Refresh"
    id_token = claims_of(body["id_token"])
    assert (id_token["typ"], id_token["nonce"], id_token["aud"]) == ("ID", "n-1", "astravue-slack")
    assert body["access_token"].startswith("eyJ")
    assert kc.authenticate(body["access_token"]) == 1
    assert kc.token_requests == ["authorization_code"]


async def test_sam_has_no_tenant_claim(client: httpx.AsyncClient) -> None:
    tokens = await password_login(client, "sam")
    assert "tenant_id" not in claims_of(tokens["access_token"])
    assert claims_of(tokens["access_token"])["astravue_user_id"] == 3


async def test_no_id_token_without_openid_scope(client: httpx.AsyncClient) -> None:
    tokens = await password_login(client, scope="")
    assert "id_token" not in tokens
    assert tokens["scope"] == "profile email"


@pytest.mark.parametrize(
    ("verifier", "redirect_uri", "description"),
    [
        ("w" * 43, REDIRECT_URI, "PKCE verification failed: Code mismatch"),
        ("short", REDIRECT_URI, "PKCE verification failed: Invalid code verifier"),
        (None, REDIRECT_URI, "PKCE code verifier not specified"),
        ("GOOD", "http://127.0.0.1:3000/elsewhere", "Incorrect redirect_uri"),
    ],
)
async def test_code_exchange_failures_burn_the_code(
    client: httpx.AsyncClient, verifier: str | None, redirect_uri: str, description: str
) -> None:
    code, good = await authorize(client)
    sent = good if verifier == "GOOD" else verifier
    assert_invalid_grant(await exchange(client, code, sent, redirect_uri), description)
    assert_invalid_grant(await exchange(client, code, good), "Code not valid")


async def test_code_expires_after_60_seconds(client: httpx.AsyncClient, clock: FakeClock) -> None:
    code, verifier = await authorize(client)
    clock.advance(61)
    assert_invalid_grant(await exchange(client, code, verifier), "Code not valid")


async def test_replayed_code_kills_the_first_exchange(client: httpx.AsyncClient) -> None:
    code, verifier = await authorize(client, scope="openid")
    first = (await exchange(client, code, verifier)).json()
    assert_invalid_grant(await exchange(client, code, verifier), "Code not valid")
    assert_invalid_grant(
        await refresh(client, first["refresh_token"]), "Session doesn't have required client"
    )


# -- refresh, rotation and reuse -------------------------------------------------------------


async def test_rotation_on_reuse_detaches_the_session(
    client: httpx.AsyncClient, kc: KeycloakFake
) -> None:
    first = await password_login(client)
    second = (await refresh(client, first["refresh_token"])).json()
    third = (await refresh(client, second["refresh_token"])).json()
    tokens = {first["refresh_token"], second["refresh_token"], third["refresh_token"]}
    assert len(tokens) == 3
    assert_invalid_grant(
        await refresh(client, second["refresh_token"]),
        "Maximum allowed refresh token reuse exceeded",
    )
    assert_invalid_grant(
        await refresh(client, third["refresh_token"]), "Session doesn't have required client"
    )
    assert kc.token_requests == ["password"] + ["refresh_token"] * 4
    assert kc.last_error == {
        "error": "invalid_grant",
        "error_description": "Session doesn't have required client",
    }


async def test_rotation_on_older_token_is_stale(client: httpx.AsyncClient) -> None:
    first = await password_login(client)
    second = (await refresh(client, first["refresh_token"])).json()
    third = (await refresh(client, second["refresh_token"])).json()
    assert_invalid_grant(await refresh(client, first["refresh_token"]), "Stale token")
    assert_invalid_grant(
        await refresh(client, third["refresh_token"]), "Session doesn't have required client"
    )


@pytest.mark.parametrize("settings", [KeycloakSettings(refresh_token_max_reuse=1)])
async def test_max_reuse_allows_that_many_replays(client: httpx.AsyncClient) -> None:
    first = await password_login(client)
    assert (await refresh(client, first["refresh_token"])).status_code == 200
    assert (await refresh(client, first["refresh_token"])).status_code == 200
    assert_invalid_grant(
        await refresh(client, first["refresh_token"]),
        "Maximum allowed refresh token reuse exceeded",
    )


async def test_concurrent_refreshes_with_rotation_on_log_the_user_out(
    client: httpx.AsyncClient,
) -> None:
    token = (await password_login(client))["refresh_token"]
    results = await asyncio.gather(*(refresh(client, token) for _ in range(3)))
    outcomes = sorted(r.json().get("error_description", "ok") for r in results)
    assert outcomes == [
        "Maximum allowed refresh token reuse exceeded",
        "Session doesn't have required client",
        "ok",
    ]


@pytest.mark.parametrize("settings", [KeycloakSettings(revoke_refresh_token=False)])
async def test_rotation_off_returns_new_tokens_and_old_ones_keep_working(
    client: httpx.AsyncClient,
) -> None:
    first = await password_login(client)
    second = (await refresh(client, first["refresh_token"])).json()
    again = await refresh(client, first["refresh_token"])
    assert again.status_code == 200
    third = (await refresh(client, second["refresh_token"])).json()
    tokens = [first, second, again.json(), third]
    assert len({t["refresh_token"] for t in tokens}) == 4
    results = await asyncio.gather(*(refresh(client, first["refresh_token"]) for _ in range(3)))
    assert [r.status_code for r in results] == [200, 200, 200]


@pytest.mark.parametrize(
    "settings",
    [KeycloakSettings(revoke_refresh_token=True), KeycloakSettings(revoke_refresh_token=False)],
)
async def test_idle_timeout_and_refresh_resetting_it(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    token = (await password_login(client))["refresh_token"]
    clock.advance(1700)
    token = (await refresh(client, token)).json()["refresh_token"]
    clock.advance(1700)  # 3400 s after login, 1700 s after the last refresh: still alive
    fresh = await refresh(client, token)
    assert fresh.status_code == 200
    clock.advance(1801)
    assert_invalid_grant(
        await refresh(client, fresh.json()["refresh_token"]), "Token is not active"
    )


async def test_online_session_dies_at_sso_max_but_offline_survives(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    online = await password_login(client, "maria", scope="openid")
    offline = await password_login(client, "dev", scope="openid offline_access")
    assert offline["refresh_expires_in"] == 0
    assert claims_of(offline["refresh_token"])["typ"] == "Offline"
    tokens = {"online": online["refresh_token"], "offline": offline["refresh_token"]}
    last: dict[str, int] = {}
    for _ in range(21):  # 21 x 1700 s = 35700 s, just short of the 10 h maximum
        clock.advance(1700)
        for kind, token in tokens.items():
            body = (await refresh(client, token)).json()
            tokens[kind], last[kind] = body["refresh_token"], body["refresh_expires_in"]
    assert last["online"] == 36000 - 35700  # capped by SSO Session Max, not idle
    clock.advance(301)
    assert_invalid_grant(await refresh(client, tokens["online"]), "Token is not active")
    assert (await refresh(client, tokens["offline"])).status_code == 200


async def test_offline_token_dies_after_offline_idle(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    token = (await password_login(client, scope="offline_access"))["refresh_token"]
    clock.advance(2592000 + 1)
    assert_invalid_grant(await refresh(client, token), "Token is not active")


async def test_access_token_expires_but_survives_logout(
    client: httpx.AsyncClient, kc: KeycloakFake, clock: FakeClock
) -> None:
    tokens = await password_login(client)
    assert kc.end_sessions("maria") == 1
    assert kc.authenticate(tokens["access_token"]) == 1  # B6: runs out on its own
    clock.advance(301)
    assert kc.authenticate(tokens["access_token"]) is None
    assert kc.authenticate(tokens["refresh_token"]) is None
    assert kc.authenticate("eyJhbGciOiJIUzI1NiJ9.e30.forged") is None


# -- sessions, users, clients ----------------------------------------------------------------


async def test_end_sessions(client: httpx.AsyncClient, kc: KeycloakFake) -> None:
    online = await password_login(client, scope="openid")
    offline = await password_login(client, scope="openid offline_access")
    other = await password_login(client, "dev")
    assert kc.end_sessions(1) == 2
    assert_invalid_grant(await refresh(client, online["refresh_token"]), "Session not active")
    assert_invalid_grant(
        await refresh(client, offline["refresh_token"]), "Offline user session not found"
    )
    assert (await refresh(client, other["refresh_token"])).status_code == 200


async def test_disabled_user(client: httpx.AsyncClient, kc: KeycloakFake) -> None:
    tokens = await password_login(client, "dev")
    kc.disable_user("dev@acme.test")
    assert_invalid_grant(await refresh(client, tokens["refresh_token"]), "User disabled")
    response = await client.post(
        f"{OIDC}/token",
        data={"grant_type": "password", "username": "dev", "password": "sandbox", **CLIENT},
    )
    assert_invalid_grant(response, "Account disabled")


async def test_wrong_password(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{OIDC}/token",
        data={"grant_type": "password", "username": "dev", "password": "nope", **CLIENT},
    )
    assert_invalid_grant(response, "Invalid user credentials")


@pytest.mark.parametrize(
    ("credentials", "error"),
    [
        ({"client_id": "astravue-slack", "client_secret": "wrong"}, "unauthorized_client"),
        ({"client_id": "astravue-slack"}, "unauthorized_client"),
        ({"client_id": "other", "client_secret": "sandbox-secret"}, "invalid_client"),
        ({}, "invalid_client"),
    ],
)
async def test_client_authentication_failures(
    client: httpx.AsyncClient, kc: KeycloakFake, credentials: dict[str, str], error: str
) -> None:
    tokens = await password_login(client)
    response = await client.post(
        f"{OIDC}/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            **credentials,
        },
    )
    assert response.status_code == 401
    body = {"error": error, "error_description": "Invalid client or Invalid client credentials"}
    assert response.json() == body
    assert kc.last_error == body
    assert (await refresh(client, tokens["refresh_token"])).status_code == 200


async def test_http_basic_client_authentication(client: httpx.AsyncClient) -> None:
    tokens = await password_login(client)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    good = await client.post(f"{OIDC}/token", data=form, auth=("astravue-slack", "sandbox-secret"))
    assert good.status_code == 200
    bad = await client.post(f"{OIDC}/token", data=form, auth=("astravue-slack", "nope"))
    assert bad.status_code == 401


@pytest.mark.parametrize(
    ("form", "error", "description"),
    [
        ({"grant_type": "client_credentials"}, "unsupported_grant_type", "Unsupported grant_type"),
        ({}, "invalid_request", "Missing form parameter: grant_type"),
        ({"grant_type": "refresh_token"}, "invalid_request", "Missing parameter: refresh_token"),
        (
            {"grant_type": "refresh_token", "refresh_token": "garbage"},
            "invalid_grant",
            "Invalid refresh token",
        ),
    ],
)
async def test_malformed_token_requests(
    client: httpx.AsyncClient, form: dict[str, str], error: str, description: str
) -> None:
    response = await client.post(f"{OIDC}/token", data={**form, **CLIENT})
    assert response.status_code == 400
    assert response.json() == {"error": error, "error_description": description}


async def test_access_token_is_not_a_refresh_token(client: httpx.AsyncClient) -> None:
    tokens = await password_login(client)
    assert_invalid_grant(await refresh(client, tokens["access_token"]), "Invalid refresh token")


async def test_injected_token_error_fires_once(client: httpx.AsyncClient, kc: KeycloakFake) -> None:
    tokens = await password_login(client)
    kc.fail_next_token_request("invalid_scope", "Client no longer has requested consent from user")
    first = await refresh(client, tokens["refresh_token"])
    assert first.json()["error"] == "invalid_scope"
    assert (await refresh(client, tokens["refresh_token"])).status_code == 200


async def test_faults_apply(client: httpx.AsyncClient, kc: KeycloakFake) -> None:
    kc.faults.down = True
    response = await client.post(f"{OIDC}/token", data={"grant_type": "password"})
    assert response.status_code == 503
    assert kc.token_requests == []


# -- revocation and userinfo -----------------------------------------------------------------


async def test_revoke(client: httpx.AsyncClient, kc: KeycloakFake) -> None:
    online = await password_login(client, scope="openid")
    offline = await password_login(client, scope="openid offline_access")
    unauthenticated = await client.post(f"{OIDC}/revoke", data={"token": online["refresh_token"]})
    assert unauthenticated.status_code == 401
    assert (
        await client.post(f"{OIDC}/revoke", data={"token": "unknown", **CLIENT})
    ).status_code == 200
    for tokens in (online, offline):
        response = await client.post(
            f"{OIDC}/revoke", data={"token": tokens["refresh_token"], **CLIENT}
        )
        assert response.status_code == 200
    assert_invalid_grant(await refresh(client, online["refresh_token"]), "Session not active")
    assert_invalid_grant(
        await refresh(client, offline["refresh_token"]), "Offline user session not found"
    )
    assert kc.authenticate(online["access_token"]) == 1
    assert kc.revoke_requests == 4


async def test_userinfo(client: httpx.AsyncClient, kc: KeycloakFake) -> None:
    tokens = await password_login(client, "olga")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    info = (await client.get(f"{OIDC}/userinfo", headers=headers)).json()
    assert info["sub"] == claims_of(tokens["access_token"])["sub"]
    assert (info["preferred_username"], info["email"]) == ("olga", "olga@other.test")
    assert (info["astravue_user_id"], info["tenant_id"]) == (5, 2)
    assert (info["given_name"], info["family_name"]) == ("Olga", "Outsider")
    refused = await client.get(
        f"{OIDC}/userinfo", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}
    )
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    kc.end_sessions("olga")
    assert (await client.get(f"{OIDC}/userinfo", headers=headers)).status_code == 401
