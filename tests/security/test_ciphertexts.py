"""S3: stored tokens fail closed when tampered with, and survive a key rotation under load.

Service level: real `TokenManager`, `LinkCredentials` and database, a sandbox Keycloak on
loopback for the refresh grants, and the `astravue-bot keys rotate` command itself.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import KeycloakClient, TokenSet
from bot.astravue.errors import ReauthorizationRequired
from bot.cli import main as cli_main
from bot.db.base import Base, utcnow
from bot.db.models import AstravueLink, LinkStatus
from bot.db.session import session_scope
from bot.sandbox.keycloak import REALM_PATH
from bot.sandbox.server import CLIENT_ID, CLIENT_SECRET, LoopbackServer, build_sandbox
from bot.security.crypto import DecryptionError, Keyring, TokenContext, generate_key_spec
from bot.services.credentials import ACCESS, REFRESH, LinkCredentials
from bot.services.tokens import TokenManager

TEAM = "T0ACME"
USERNAMES = ("maria", "dev", "sam", "gina", "olga")
K1 = generate_key_spec("k1")
K2 = generate_key_spec("k2")


@dataclass
class Realm:
    keycloak: KeycloakClient
    http: httpx.AsyncClient
    token_url: str


@pytest.fixture
async def realm() -> AsyncIterator[Realm]:
    sandbox = build_sandbox()
    server = LoopbackServer(sandbox.app())
    base = await server.start()
    auth_url = base + REALM_PATH
    async with httpx.AsyncClient(timeout=10) as http:
        yield Realm(
            KeycloakClient(
                http,
                auth_url=auth_url,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                scopes="openid offline_access",
            ),
            http,
            auth_url + "/protocol/openid-connect/token",
        )
    await server.stop()


async def _sign_in(realm: Realm, username: str) -> TokenSet:
    """A fresh Keycloak session (direct grant, a sandbox test hook) for one user."""
    response = await realm.http.post(
        realm.token_url,
        data={
            "grant_type": "password",
            "username": username,
            "password": "sandbox",
            "scope": "openid offline_access",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
    )
    response.raise_for_status()
    return TokenSet.from_response(response.json())


async def _make_links(
    sessions: async_sessionmaker[AsyncSession],
    realm: Realm,
    credentials: LinkCredentials,
    count: int,
) -> list[int]:
    """`count` active links, each with its own Keycloak session and sealed tokens."""
    tokens = await asyncio.gather(
        *[_sign_in(realm, USERNAMES[n % len(USERNAMES)]) for n in range(count)]
    )
    ids: list[int] = []
    async with session_scope(sessions) as session:
        for n, token_set in enumerate(tokens):
            link = AstravueLink(
                team_id=TEAM, slack_user_id=f"U0LINK{n:02d}", status=LinkStatus.ACTIVE
            )
            session.add(link)
            await session.flush()  # the id is part of the associated data
            assert token_set.refresh_token is not None
            link.refresh_token_ct = credentials.seal(link, REFRESH, token_set.refresh_token)
            link.access_token_ct = credentials.seal(link, ACCESS, token_set.access_token)
            link.access_expires_at = utcnow() + timedelta(seconds=token_set.expires_in)
            ids.append(link.id)
    return ids


def _manager(
    sessions: async_sessionmaker[AsyncSession],
    realm: Realm,
    spec: str,
    clock: Callable[[], datetime] = utcnow,
) -> TokenManager:
    return TokenManager(
        sessions, LinkCredentials(Keyring.from_spec(spec)), realm.keycloak, clock=clock
    )


async def _link(sessions: async_sessionmaker[AsyncSession], link_id: int) -> AstravueLink:
    async with sessions() as session:
        link = await session.get(AstravueLink, link_id)
        assert link is not None
        return link


async def _set_refresh_ct(
    sessions: async_sessionmaker[AsyncSession], link_id: int, ciphertext: str
) -> None:
    async with session_scope(sessions) as session:
        link = await session.get(AstravueLink, link_id)
        assert link is not None
        link.refresh_token_ct = ciphertext
        link.access_token_ct = None  # force the refresh path, which opens the refresh token


def _flip_one_byte(ciphertext: str) -> str:
    head, body = ciphertext.rsplit(".", 1)
    middle = len(body) // 2
    swapped = "A" if body[middle] != "A" else "B"
    return f"{head}.{body[:middle]}{swapped}{body[middle + 1 :]}"


# -- the key ring alone ------------------------------------------------------------------------


def test_wrong_key_moved_row_and_flipped_byte_raise_decryption_error() -> None:
    ring = Keyring.from_spec(K1)
    maria = TokenContext(team_id=TEAM, slack_user_id="U0MARIA", link_id=1)
    dev = TokenContext(team_id=TEAM, slack_user_id="U0DEV", link_id=2)
    sealed = ring.encrypt("eyJrefresh.token.value", aad=maria)
    assert ring.decrypt(sealed, aad=maria) == "eyJrefresh.token.value"
    other_key_same_kid = Keyring.from_spec(generate_key_spec("k1"))
    tampered = {
        "wrong key": (other_key_same_kid, sealed, maria),
        "moved to another user's row": (ring, sealed, dev),
        "moved to another link id": (ring, sealed, TokenContext(TEAM, "U0MARIA", 3)),
        "one byte flipped": (ring, _flip_one_byte(sealed), maria),
        "relabelled key id": (
            Keyring.from_spec(f"{K1},{generate_key_spec('k9')}"),
            sealed.replace(".k1.", ".k9."),
            maria,
        ),
    }
    for case, (keyring, ciphertext, context) in tampered.items():
        with pytest.raises(DecryptionError):
            keyring.decrypt(ciphertext, aad=context)
            pytest.fail(f"{case}: decrypted")


# -- through the token manager -----------------------------------------------------------------


async def test_tampered_ciphertexts_fail_closed_to_needs_relink(
    sessions: async_sessionmaker[AsyncSession], realm: Realm
) -> None:
    credentials = LinkCredentials(Keyring.from_spec(K1))
    wrong_key, moved, flipped, healthy = await _make_links(sessions, realm, credentials, 4)
    victim = await _link(sessions, healthy)
    assert victim.refresh_token_ct is not None
    await _set_refresh_ct(
        sessions,
        wrong_key,
        Keyring.from_spec(generate_key_spec("k1")).encrypt(
            "eyJforged", aad=TokenContext(TEAM, "U0LINK00", wrong_key)
        ),
    )
    await _set_refresh_ct(sessions, moved, victim.refresh_token_ct)  # A's token in B's row
    flipped_row = await _link(sessions, flipped)
    assert flipped_row.refresh_token_ct is not None
    await _set_refresh_ct(sessions, flipped, _flip_one_byte(flipped_row.refresh_token_ct))

    manager = _manager(sessions, realm, K1)
    for link_id in (wrong_key, moved, flipped):
        with pytest.raises(ReauthorizationRequired):
            await manager.access_token_for(link_id)
        link = await _link(sessions, link_id)
        assert link.status == LinkStatus.NEEDS_RELINK
        assert link.refresh_token_ct is None and link.access_token_ct is None
        assert link.relink_reason == "stored token could not be decrypted"
    # the owner of the copied ciphertext is untouched and still works
    assert (await manager.access_token_for(healthy)).startswith("eyJ")
    assert (await _link(sessions, healthy)).status == LinkStatus.ACTIVE


async def test_rotation_under_twenty_concurrent_refreshes(
    sessions: async_sessionmaker[AsyncSession],
    realm: Realm,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = await _make_links(sessions, realm, LinkCredentials(Keyring.from_spec(K1)), 20)
    # The deployment now runs with k2 first (primary) and k1 kept to decrypt old rows.
    rotated = f"{K2},{K1}"
    later = utcnow() + timedelta(hours=1)  # every access token looks expired: all refresh
    manager = _manager(sessions, realm, rotated, clock=lambda: later)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEYS", rotated)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")

    refreshed, exit_code = await asyncio.gather(
        asyncio.gather(*[manager.access_token_for(link_id) for link_id in ids]),
        asyncio.to_thread(cli_main, ["keys", "rotate", "--batch", "3"]),
    )
    assert exit_code == 0
    assert all(token.startswith("eyJ") for token in refreshed)

    async with sessions() as session:
        links = (await session.scalars(select(AstravueLink).order_by(AstravueLink.id))).all()
    new_ring = LinkCredentials(Keyring.from_spec(K2))  # k1 retired: k2 alone must open all
    for link in links:
        assert link.status == LinkStatus.ACTIVE
        for purpose, ciphertext in (
            (REFRESH, link.refresh_token_ct),
            (ACCESS, link.access_token_ct),
        ):
            assert ciphertext is not None and ciphertext.startswith("v1.k2.")
            assert new_ring.open(link, purpose, ciphertext).startswith("eyJ")
    # The stored refresh tokens are the newest ones: a second round refreshes cleanly (a
    # re-wrap that wrote back a spent token would meet Keycloak's reuse detection here).
    again = _manager(sessions, realm, K2, clock=lambda: later + timedelta(hours=1))
    assert len(await asyncio.gather(*[again.access_token_for(i) for i in ids])) == len(ids)


async def test_raw_database_dump_holds_no_jwt(
    sessions: async_sessionmaker[AsyncSession], realm: Realm
) -> None:
    ids = await _make_links(sessions, realm, LinkCredentials(Keyring.from_spec(K1)), 3)
    later = utcnow() + timedelta(hours=1)
    await asyncio.gather(
        *[_manager(sessions, realm, K1, clock=lambda: later).access_token_for(i) for i in ids]
    )
    dump: list[str] = []
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(text(f'SELECT * FROM "{table.name}"'))).all()  # noqa: S608
            dump.extend(str(value) for row in rows for value in row)
    assert any(value.startswith("v1.k1.") for value in dump)  # the tokens are in the dump
    # A JWT: "eyJ" and two dot-separated parts. Not a bare "eyJ": random base64url ciphertext
    # holds that by chance now and then, but never a dot.
    jwt = re.compile(r"eyJ[\w-]{10,}\.[\w-]{10,}\.")
    assert not [value for value in dump if jwt.search(value)]
