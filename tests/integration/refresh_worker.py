"""A second app process for the cross-process refresh race (run by test_refresh_race).

Reads one line per round from stdin; on each it asks its own `TokenManager` (own engine, own
HTTP client, same database and sandbox Keycloak) for the link's access token and prints
`ok <sha256 of the token>` or `error <exception class>`. Ends on EOF.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys

import httpx

from bot.astravue.auth import KeycloakClient
from bot.db.session import create_engine, create_sessionmaker
from bot.security.crypto import Keyring
from bot.services.credentials import LinkCredentials
from bot.services.tokens import TokenManager


def fingerprint(token: str) -> str:
    """What crosses the pipe instead of the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


async def main() -> None:
    env = os.environ
    engine = create_engine(env["WORKER_DATABASE_URL"])
    link_id = int(env["WORKER_LINK_ID"])
    async with httpx.AsyncClient(timeout=10) as http:
        keycloak = KeycloakClient(
            http,
            auth_url=env["WORKER_AUTH_URL"],
            client_id=env["WORKER_CLIENT_ID"],
            client_secret=env["WORKER_CLIENT_SECRET"],
            scopes="openid offline_access",
        )
        manager = TokenManager(
            create_sessionmaker(engine),
            LinkCredentials(Keyring.from_spec(env["WORKER_KEYS"])),
            keycloak,
        )
        loop = asyncio.get_running_loop()
        while await loop.run_in_executor(None, sys.stdin.readline):
            try:
                line = f"ok {fingerprint(await manager.access_token_for(link_id))}"
            except Exception as exc:  # reported to the test, which fails on it
                line = f"error {type(exc).__name__}"
            print(line, flush=True)
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
