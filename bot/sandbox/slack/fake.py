"""The Slack fake served over HTTP: `/api/{method}` dispatches to the method registry,
`/respond/{opaque}` takes response_url POSTs. Every Web API call is recorded."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.sandbox.faults import FaultMiddleware
from bot.sandbox.slack import methods
from bot.sandbox.slack.args import basic_credentials, read_args
from bot.sandbox.slack.records import SlackCall, SlackRefusal
from bot.sandbox.slack.registry import lookup
from bot.sandbox.slack.response_urls import respond
from bot.sandbox.slack.state import SlackWorkspace

methods.load_all()


class SlackFake(SlackWorkspace):
    """The fake Slack workspace T0ACME: Web API, response_urls, users, channels and views."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        seed: int = 1234,
    ) -> None:
        super().__init__(clock=clock, wall_clock=wall_clock, seed=seed)
        routes = [
            Route("/api/{method}", self._api, methods=["GET", "POST"]),
            Route("/respond/{opaque}", self._respond, methods=["POST"]),
        ]
        self.app = FaultMiddleware(Starlette(routes=routes), self.faults)

    async def _respond(self, request: Request) -> Response:
        return await respond(self, request.path_params["opaque"], request)

    async def _api(self, request: Request) -> Response:
        name = request.path_params["method"]
        args: dict[str, Any] = {}
        try:
            args = await read_args(request)
            token = args.pop("token", None)
            authorization = request.headers.get("authorization", "")
            if authorization.startswith("Bearer "):
                token = authorization.removeprefix("Bearer ")
            method = lookup(name)
            team: str | None = None
            if method is not None and not method.needs_token:
                credentials = basic_credentials(authorization)
                if credentials is not None:
                    args["client_id"], args["client_secret"] = credentials
            elif not token:
                raise SlackRefusal("not_authed")
            elif (team := self.token_team(str(token))) is None:
                raise SlackRefusal("invalid_auth")
            if method is None:
                raise SlackRefusal("unknown_method")
            body = {"ok": True, **method.handler(self, args)}
        except SlackRefusal as refusal:
            return self._refuse(name, args, refusal)
        self.calls.append(
            SlackCall(name, _recorded(args), self.clock(), ok=True, error=None, team=team)
        )
        return JSONResponse(body)

    def _refuse(self, method: str, args: dict[str, Any], refusal: SlackRefusal) -> Response:
        self.calls.append(
            SlackCall(
                method,
                _recorded(args),
                self.clock(),
                ok=False,
                error=refusal.error,
                status=refusal.status,
                violations=refusal.violations,
            )
        )
        body: dict[str, Any] = {"ok": False, "error": refusal.error}
        headers: dict[str, str] = {}
        if refusal.violations:
            body["errors"] = refusal.violations
            body["response_metadata"] = {"messages": [f"[ERROR] {v}" for v in refusal.violations]}
        if refusal.retry_after is not None:
            self.rate_limited += 1
            headers["Retry-After"] = str(refusal.retry_after)
        return JSONResponse(body, status_code=refusal.status, headers=headers)


def _recorded(args: dict[str, Any]) -> dict[str, Any]:
    """The arguments as recorded: secrets (a client_secret) are never kept."""
    if "client_secret" not in args:
        return args
    return {**args, "client_secret": "***"}
