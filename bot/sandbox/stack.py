"""The sandbox and the real app running together on loopback: used by tests and `demo`."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.config import Settings, load_settings
from bot.sandbox.dialect import Dialect
from bot.sandbox.server import SIGNING_SECRET, LoopbackServer, Sandbox, build_sandbox, free_port
from bot.sandbox.slack_requests import SlackClientSim
from bot.web import create_app
from bot.wiring import Runtime, build_runtime

SLACK_USERNAMES = {
    "U0MARIA": "maria",
    "U0DEV": "dev",
    "U0SAM": "sam",
    "U0GINA": "gina",
    "U0NOBODY": "nobody",
}


def sandbox_key_spec() -> str:
    """A fresh TOKEN_ENCRYPTION_KEYS value (`kid:base64url(32 random bytes)`, see the README)."""
    return f"sandbox:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"


class ConnectFailed(Exception):
    pass


@dataclass
class Stack:
    sandbox: Sandbox
    settings: Settings
    runtime: Runtime
    sandbox_server: LoopbackServer
    app_server: LoopbackServer
    sims: dict[str, SlackClientSim] = field(default_factory=dict)

    @property
    def app_url(self) -> str:
        return self.app_server.url

    def user(self, user_id: str) -> SlackClientSim:
        if user_id not in self.sims:
            self.sims[user_id] = SlackClientSim(
                self.app_url, SIGNING_SECRET, self.sandbox.slack, user_id
            )
        return self.sims[user_id]

    async def follow_connect(self, start_url: str, login_hint: str) -> httpx.Response:
        """What the user's browser does after clicking Connect: start, sign in, callback."""
        async with httpx.AsyncClient(timeout=10) as browser:
            start = await browser.get(start_url)
            if start.status_code != 302:
                return start
            authorize = start.headers["location"] + "&" + urlencode({"login_hint": login_hint})
            signed_in = await browser.get(authorize)
            if signed_in.status_code != 302:
                raise ConnectFailed(f"Keycloak answered {signed_in.status_code}")
            return await browser.get(signed_in.headers["location"])

    async def stop(self) -> None:
        for sim in self.sims.values():
            await sim.aclose()
        await self.app_server.stop()
        await self.runtime.close()
        await self.sandbox_server.stop()


async def start_stack(
    database_url: str,
    *,
    dialect: Dialect | None = None,
    distributed: bool = False,
    prepare_database: Callable[[Settings], Awaitable[None]] | None = None,
    **overrides: Any,
) -> Stack:
    """Start the sandbox (speaking `dialect`, default: from the environment), then the app
    (HTTP mode) pointed at it. The database must be migrated, or `prepare_database` (what
    `astravue-bot serve` runs first) migrates it. `distributed`: the app runs in distributed
    mode (no bot token; workspaces install through the sandbox's Slack OAuth)."""
    sandbox = build_sandbox(dialect=dialect)
    sandbox_server = LoopbackServer(sandbox.app())
    sandbox.set_base_url(await sandbox_server.start())
    app_port = free_port()
    env = sandbox.distributed_env() if distributed else sandbox.env()
    values: dict[str, Any] = {key.lower(): value for key, value in env.items()}
    values.update(
        public_url=f"http://127.0.0.1:{app_port}",
        database_url=database_url,
        token_encryption_keys=sandbox_key_spec(),
        scheduler_enabled=False,
    )
    values.update(overrides)
    settings = load_settings(_env_file=None, **values)
    if prepare_database is not None:
        await prepare_database(settings)
    runtime = build_runtime(settings)
    app_server = LoopbackServer(create_app(settings, runtime=runtime), port=app_port)
    await app_server.start()
    return Stack(
        sandbox=sandbox,
        settings=settings,
        runtime=runtime,
        sandbox_server=sandbox_server,
        app_server=app_server,
    )
