"""Fault knobs shared by the sandbox fakes (Astravue, Keycloak, Slack).

Each fake owns one `Faults`; tests set it directly, `demo` and manual runs set it through the
sandbox admin route. A Starlette middleware applies it before the fake's own handler runs.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send


@dataclass
class Faults:
    """What a fake should do wrong. All off by default."""

    latency: float = 0.0  # seconds added before every answer
    error_rate: float = 0.0  # share of requests answered with `error_status`
    error_status: int = 500
    rate_limit_rate: float = 0.0  # share of requests answered 429
    retry_after: int = 1  # seconds, sent with each injected 429
    down: bool = False  # every request answered 503, as a dead upstream behind a proxy
    hang: bool = False  # every request waits forever (the client's timeout must fire)
    path_prefix: str = ""  # faults apply only to paths starting with this ("" = all)
    rng: random.Random = field(default_factory=lambda: random.Random(1234))

    def reset(self) -> None:
        fresh = Faults()
        for name in (
            "latency",
            "error_rate",
            "error_status",
            "rate_limit_rate",
            "retry_after",
            "down",
            "hang",
            "path_prefix",
        ):
            setattr(self, name, getattr(fresh, name))

    def update(self, values: dict[str, object]) -> None:
        """Set knobs from a JSON object (the admin route); unknown names raise ValueError."""
        for name, value in values.items():
            if name == "rng" or not hasattr(self, name):
                raise ValueError(f"unknown fault knob: {name}")
            setattr(self, name, type(getattr(self, name))(value))

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "rng"}

    async def injected_response(self, path: str) -> Response | None:
        """The response a fault dictates for this request, or None to answer normally."""
        if self.path_prefix and not path.startswith(self.path_prefix):
            return None
        if self.hang:
            await asyncio.Event().wait()
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.down:
            return JSONResponse({"error": "upstream unavailable (sandbox fault)"}, status_code=503)
        if self.rate_limit_rate and self.rng.random() < self.rate_limit_rate:
            return JSONResponse(
                {"success": False, "message": "Too many requests (sandbox fault)", "code": 429},
                status_code=429,
                headers={"Retry-After": str(self.retry_after)},
            )
        if self.error_rate and self.rng.random() < self.error_rate:
            return JSONResponse(
                {
                    "success": False,
                    "message": "Injected failure (sandbox fault)",
                    "code": self.error_status,
                },
                status_code=self.error_status,
            )
        return None


class FaultMiddleware:
    """ASGI middleware applying a `Faults` to every HTTP request of the wrapped app."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            response = await self.faults.injected_response(Request(scope).url.path)
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
