"""The floors the benchmarks compare with, and the processes both sides are served by.

- `bare_bolt`: Bolt with a signing secret and a token, and one `/astravue` listener that only
  acks: what any Bolt app pays to receive a command.
- `served`: an ASGI app (ours, as `serve` builds it, or bare Bolt) served by uvicorn in N
  worker processes sharing one listening socket, as `serve --workers N` does, so both sides
  of a comparison run on the same server in the same way.
- `bare_notifications_get`: the poll's floor, a plain httpx GET of the notifications page.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableSequence, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.listeners.ack_gate import shared_slots
from bot.sandbox.server import BOT_TOKEN, SIGNING_SECRET


def verdict(what: str, ratio: float, target: float, *, also: tuple[str, bool] | None = None) -> str:
    """The last line of a benchmark: its main figure, the target, met or missed. `also`: a
    further condition of the target (its words, whether it held)."""
    condition, held = also or ("", True)
    outcome = "met" if ratio <= target and held else "missed"
    target_words = f"{target:.2f}x or less" + (f"; {condition}" if condition else "")
    return f"{what}: ratio {ratio:.2f}x (target {target_words}) {outcome}"


# ---- bare Bolt ----------------------------------------------------------------------------


def bare_bolt(slack_api_url: str) -> AsyncApp:
    app = AsyncApp(
        signing_secret=SIGNING_SECRET,
        client=AsyncWebClient(token=BOT_TOKEN, base_url=slack_api_url),
        process_before_response=False,
        raise_error_for_unhandled_request=False,
    )

    @app.command("/astravue")
    async def ack_only(ack: Callable[[], Awaitable[None]]) -> None:
        await ack()

    return app


def bare_bolt_asgi(slack_api_url: str) -> Starlette:
    """Bare Bolt on `/slack/events` through Bolt's own Starlette adapter, plus `/healthz`."""
    handler = AsyncSlackRequestHandler(bare_bolt(slack_api_url))

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/slack/events", events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


# ---- served in worker processes -----------------------------------------------------------


def _serve_worker(
    kind: str,
    values: dict[str, Any],
    listener: socket.socket,
    index: int,
    ack_slots: MutableSequence[float],
) -> None:
    """Child process body: uvicorn on the shared socket until terminated; ours as worker
    `index` of `serve --workers N`, its lazy work waiting for the acks of all (`ack_slots`)."""
    import uvicorn

    logging.disable(logging.WARNING)
    app: Any
    if kind == "ours":
        from bot.config import load_settings
        from bot.listeners.ack_gate import AckBoard
        from bot.web import build_bolt, create_app
        from bot.wiring import build_runtime

        runtime = build_runtime(load_settings(_env_file=None, **values), AckBoard(ack_slots, index))
        app = create_app(runtime=runtime, bolt=build_bolt(runtime))
    else:
        app = bare_bolt_asgi(values["slack_api_url"])
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="on"))
    asyncio.run(server.serve(sockets=[listener]))


@asynccontextmanager
async def served(kind: str, values: dict[str, Any], workers: int) -> AsyncIterator[str]:
    """`kind` ("ours" or "bare") served by `workers` processes on one loopback port; yields
    its base URL once every worker has started (each answered `/healthz`)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(2048)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    context = multiprocessing.get_context("spawn")
    ack_slots = shared_slots(context, workers)
    children = [
        context.Process(
            target=_serve_worker, args=(kind, values, listener, index, ack_slots), daemon=True
        )
        for index in range(workers)
    ]
    for child in children:
        child.start()
    try:
        await _wait_healthy(url, children)
        yield url
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.join(10)
        listener.close()


async def _wait_healthy(url: str, children: Sequence[Any]) -> None:
    """Until /healthz answers on fresh connections often enough that every worker has
    started (a worker accepts only once its app is up)."""
    deadline = time.perf_counter() + 60
    healthy = 0
    async with httpx.AsyncClient(timeout=2) as http:
        while healthy < 10 * len(children):
            if not all(child.is_alive() for child in children):
                raise RuntimeError("a served process exited during start-up")
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{url} did not answer /healthz within 60 s")
            try:
                response = await http.get(f"{url}/healthz", headers={"Connection": "close"})
                healthy += response.status_code == 200
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # every worker's lifespan start-up is over


# ---- the poll's floor ---------------------------------------------------------------------


async def bare_notifications_get(
    api_url: str, tokens: Sequence[tuple[str, int]], requests: int, concurrency: int
) -> float:
    """CPU seconds of this process for `requests` plain GETs of the first notifications page
    (the poll's one request in steady state), body read and JSON-decoded, `concurrency` in
    flight, on an httpx client pooled as the app's is. `tokens`: (access token, org id)."""
    from bot.wiring import ASTRAVUE_LIMITS, ASTRAVUE_TIMEOUT

    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=ASTRAVUE_TIMEOUT, limits=ASTRAVUE_LIMITS) as http:

        async def one(index: int) -> None:
            token, org = tokens[index % len(tokens)]
            async with limit:
                response = await http.get(
                    f"{api_url}/v1/notifications",
                    params={"page": 0, "size": 50},
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Accept": "application/json",
                        "X-Org-Id": str(org),
                    },
                )
                response.raise_for_status()
                response.json()

        await asyncio.gather(*(one(i) for i in range(min(requests, concurrency))))  # warm pool
        started = time.process_time()
        await asyncio.gather(*(one(i) for i in range(requests)))
        return time.process_time() - started
