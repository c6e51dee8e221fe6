"""The ASGI app: /slack/events, the Astravue OAuth routes, health checks and a setup page."""

from __future__ import annotations

import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from slack_bolt.adapter.starlette.async_handler import to_async_bolt_request, to_starlette_response
from slack_bolt.async_app import AsyncApp
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot import log_context, metrics
from bot.config import Settings, load_settings
from bot.listeners import oauth
from bot.listeners.verification import verify_slack_request
from bot.wiring import Runtime, build_runtime

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None,
               bolt: AsyncApp | None = None) -> Starlette:
    """The Starlette app. Shared objects are built at start-up (lifespan), not at import;
    pass `runtime` and `bolt` to share them with another runner (Socket Mode)."""
    state: dict[str, object] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        rt = runtime or build_runtime(settings or load_settings())
        state["runtime"] = rt
        state["bolt"] = bolt or build_bolt(rt)
        try:
            yield
        finally:
            if runtime is None:
                await rt.close()

    def rt() -> Runtime:
        return state["runtime"]  # type: ignore[return-value]

    async def slack_events(request: Request) -> Response:
        bolt = state.get("bolt")
        if not isinstance(bolt, AsyncApp):
            missing = ", ".join(rt().settings.missing_slack_settings())
            return PlainTextResponse(
                f"Slack is not configured on this deployment: set {missing}.", status_code=503
            )
        body = await request.body()
        rejection = verify_slack_request(
            body, request.headers, rt().settings.slack_signing_secret or ""
        )
        if rejection:
            log.warning("rejected Slack request: %s", rejection)
            return JSONResponse({"error": "invalid request"}, status_code=401)
        bolt_request = to_async_bolt_request(request, body)
        log_context.bind_slack_request(bolt_request.body)
        with rt().ack_gate.acking(), metrics.time_ack(bolt_request.body):
            bolt_response = await bolt.async_dispatch(bolt_request)
        return to_starlette_response(bolt_response)

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_request: Request) -> Response:
        from bot.db.session import schema_is_current

        try:
            async with rt().engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            current = await schema_is_current(rt().engine)
        except Exception as exc:  # any database failure means "not ready", with its cause
            return JSONResponse({"status": "database unreachable", "error": type(exc).__name__},
                                status_code=503)
        if not current:
            return JSONResponse({"status": "schema out of date: run `astravue-bot migrate`"},
                                status_code=503)
        return JSONResponse({"status": "ready"})

    async def setup_page(_request: Request) -> Response:
        return HTMLResponse(render_setup_page(rt().settings))

    async def metrics_endpoint(request: Request) -> Response:
        return await metrics.metrics_response(request, token=rt().settings.metrics_token,
                                              sessions=rt().sessions)

    async def oauth_start(request: Request) -> Response:
        return await oauth.start(request, rt().services)

    async def oauth_callback(request: Request) -> Response:
        return await oauth.callback(request, rt().services)

    routes = [
        Route("/", setup_page, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/slack/events", slack_events, methods=["POST"]),
        Route("/oauth/astravue/start", oauth_start, methods=["GET"]),
        Route("/oauth/astravue/callback", oauth_callback, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.app_state = state
    return app


def build_bolt(runtime: Runtime) -> AsyncApp | None:
    if not runtime.settings.slack_configured:
        log.warning("Slack is not configured (%s): /slack/events answers 503",
                    ", ".join(runtime.settings.missing_slack_settings()))
        return None
    from bot.app import build_app

    return build_app(runtime)


def render_setup_page(settings: Settings) -> str:
    """A page telling whoever deploys this what is configured and what to do next."""
    rows = [
        ("Slack credentials", settings.slack_configured,
         "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET from your Slack app"),
        ("Astravue OAuth client", settings.astravue_oauth_configured,
         "set ASTRAVUE_CLIENT_ID (and ASTRAVUE_CLIENT_SECRET) from Astravue Settings"),
        ("Token encryption keys", bool(settings.token_encryption_keys) or settings.is_sqlite,
         "set TOKEN_ENCRYPTION_KEYS (make one with `astravue-bot keys new`)"),
        ("Database", True, ""),
    ]
    items = []
    for name, ok, fix in rows:
        detail = "configured" if ok else f"missing: {fix}"
        if name == "Database":
            detail = "embedded SQLite" if settings.is_sqlite else "PostgreSQL"
        elif name == "Token encryption keys" and ok and not settings.token_encryption_keys:
            detail = "generated key file next to the SQLite database (development only)"
        mark = "&#10003;" if ok else "&#10007;"
        items.append(f"<li>{mark} <b>{html.escape(name)}</b>: {html.escape(detail)}</li>")
    events_url = html.escape(f"{settings.public_url}/slack/events")
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Astravue for Slack: setup</title></head>
<body style="font-family: sans-serif; max-width: 46rem; margin: 2rem auto">
<h1>Astravue for Slack</h1>
<p>This deployment's configuration:</p>
<ul>{"".join(items)}</ul>
<h2>Create the Slack app</h2>
<ol>
<li>Run <code>astravue-bot manifest</code>: it prints <code>manifest.yml</code> with every request
URL set to <code>{events_url}</code>.</li>
<li>At api.slack.com/apps choose <i>Create New App</i>, then <i>From an app manifest</i>,
and paste it.</li>
<li>Install the app to your workspace; copy the Bot User OAuth Token (xoxb-) and the Signing
Secret into <code>SLACK_BOT_TOKEN</code> and <code>SLACK_SIGNING_SECRET</code>, then restart.</li>
<li>Register <code>{html.escape(settings.oauth_redirect_uri)}</code> as a redirect URI of your
Astravue OAuth client.</li>
</ol>
<p>Health: <a href="/healthz">/healthz</a> &middot; readiness: <a href="/readyz">/readyz</a></p>
</body></html>"""
