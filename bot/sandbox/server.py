"""The whole sandbox on one loopback port: Astravue, Keycloak, Slack and an admin route.

/v1/...                 Astravue REST (bot.sandbox.astravue_api)
/realms/astravue/...    Keycloak (bot.sandbox.keycloak)
/slack/api/{method}     Slack Web API, /slack/respond/{id} response URLs (bot.sandbox.slack)
/_sandbox/...           faults, teammate activity and state, for demos and manual tests
"""

from __future__ import annotations

import asyncio
import random
import socket
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from bot.sandbox.astravue_api import create_astravue_app
from bot.sandbox.astravue_state import AstravueState
from bot.sandbox.dialect import Dialect
from bot.sandbox.faults import Faults
from bot.sandbox.keycloak import REALM_PATH, KeycloakFake, KeycloakSettings
from bot.sandbox.seed import build_seed_state
from bot.sandbox.slack import SlackFake
from bot.sandbox.slack.methods.unfurls import UnfurlLedger
from bot.sandbox.slack_oauth import AUTHORIZE_PATH, SlackOAuthFake
from bot.sandbox.slack_oauth import CLIENT_ID as SLACK_CLIENT_ID
from bot.sandbox.slack_oauth import CLIENT_SECRET as SLACK_CLIENT_SECRET

CLIENT_ID = "astravue-slack"
CLIENT_SECRET = "sandbox-secret"
SIGNING_SECRET = "sandbox-signing-secret"
BOT_TOKEN = "xoxb-sandbox-token"


@dataclass
class Sandbox:
    astravue: AstravueState
    keycloak: KeycloakFake
    slack: SlackFake
    astravue_faults: Faults = field(default_factory=Faults)
    dialect: Dialect = field(default_factory=Dialect.from_env)  # how its Astravue answers
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    base_url: str = ""
    unfurls: UnfurlLedger = field(init=False)  # shared links and chat.unfurl (issue 16)
    slack_oauth: SlackOAuthFake = field(init=False)  # installs into several workspaces

    def __post_init__(self) -> None:
        self.unfurls = UnfurlLedger.of(self.slack)
        self.slack_oauth = SlackOAuthFake(self.slack)

    @property
    def faults(self) -> dict[str, Faults]:
        return {
            "astravue": self.astravue_faults,
            "keycloak": self.keycloak.faults,
            "slack": self.slack.faults,
        }

    def env(self) -> dict[str, str]:
        """The app settings that point at this sandbox."""
        return {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"{self.base_url}/slack/api/",
            "SLACK_RESPONSE_URL_PREFIXES": f"{self.base_url}/slack/respond/",
            "ASTRAVUE_API_URL": self.base_url,
            "ASTRAVUE_AUTH_URL": f"{self.base_url}{REALM_PATH}",
            "ASTRAVUE_APP_URL": f"{self.base_url}/app",
            "ASTRAVUE_CLIENT_ID": CLIENT_ID,
            "ASTRAVUE_CLIENT_SECRET": CLIENT_SECRET,
        }

    def distributed_env(self) -> dict[str, str]:
        """The settings of distributed mode: workspaces install through the OAuth fake."""
        env = {key: value for key, value in self.env().items() if key != "SLACK_BOT_TOKEN"}
        return env | {
            "SLACK_CLIENT_ID": SLACK_CLIENT_ID,
            "SLACK_CLIENT_SECRET": SLACK_CLIENT_SECRET,
            "SLACK_OAUTH_AUTHORIZE_URL": f"{self.base_url}{AUTHORIZE_PATH}",
        }

    def set_base_url(self, base_url: str) -> None:
        self.base_url = base_url
        self.slack.public_base = f"{base_url}/slack"

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Mount(REALM_PATH, app=self.keycloak.app),
                *self.slack_oauth.routes(),  # before /slack: oauth.v2.access takes no bot token
                Mount("/slack", app=self.slack.app),
                Route("/_sandbox/faults/{target}", self._set_faults, methods=["GET", "POST"]),
                Route("/_sandbox/teammate", self._teammate, methods=["POST"]),
                Route("/_sandbox/end-sessions/{who}", self._end_sessions, methods=["POST"]),
                Route("/_sandbox/state", self._state, methods=["GET"]),
                # last: the Astravue app spells its own /v1/... paths
                Mount(
                    "",
                    app=create_astravue_app(
                        self.astravue,
                        authenticate=self.keycloak.authenticate,
                        faults=self.astravue_faults,
                        dialect=self.dialect,
                    ),
                ),
            ]
        )

    async def _set_faults(self, request: Request) -> Response:
        faults = self.faults.get(request.path_params["target"])
        if faults is None:
            return JSONResponse({"error": "target is astravue, keycloak or slack"}, 404)
        if request.method == "POST":
            body: dict[str, Any] = await request.json()
            try:
                faults.reset() if body.get("reset") else faults.update(body)
            except (ValueError, TypeError) as exc:
                return JSONResponse({"error": str(exc)}, 400)
        return JSONResponse(faults.as_dict())

    async def _teammate(self, request: Request) -> Response:
        body = await request.json()
        what = self.astravue.simulate_teammate_activity(int(body.get("user_id", 1)), self.rng)
        return JSONResponse({"did": what})

    async def _end_sessions(self, request: Request) -> Response:
        ended = self.keycloak.end_sessions(request.path_params["who"])
        return JSONResponse({"ended": ended})

    async def _state(self, _request: Request) -> Response:
        return JSONResponse(
            {"slack_calls": len(self.slack.calls), "astravue_requests": len(self.astravue.requests)}
        )


def build_sandbox(
    *, keycloak_settings: KeycloakSettings | None = None, dialect: Dialect | None = None
) -> Sandbox:
    """A fresh sandbox world. Each fake has its own `Faults`, so a test can break one alone;
    its Astravue speaks `dialect` (default: ASTRAVUE_SANDBOX_DIALECT)."""
    return Sandbox(
        astravue=build_seed_state(),
        keycloak=KeycloakFake(settings=keycloak_settings),
        slack=SlackFake(),
        dialect=Dialect.from_env() if dialect is None else dialect,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LoopbackServer:
    """A uvicorn server on 127.0.0.1 run as a task on the current event loop."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(
                app,
                host="127.0.0.1",
                port=self.port,
                log_config=None,
                access_log=False,
                lifespan="on",
            )
        )
        self.task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> str:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()  # raises why it could not start
            await asyncio.sleep(0.01)
        return self.url

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await self.task
