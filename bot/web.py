"""The ASGI app: /slack/events, the Astravue OAuth routes, health checks and a setup page."""

from __future__ import annotations

import gc
import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from slack_bolt.adapter.starlette.async_handler import to_starlette_response
from slack_bolt.async_app import AsyncApp
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot import log_context, metrics, metrics_gauges
from bot.config import Settings, load_settings
from bot.listeners import oauth
from bot.listeners.bolt_requests import parsed_request
from bot.listeners.request_body import read_slack_body
from bot.slack.web_routes import install_routes
from bot.wiring import Runtime, build_runtime

log = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None,
    *,
    runtime: Runtime | None = None,
    bolt: AsyncApp | None = None,
) -> Starlette:
    """The Starlette app. Shared objects are built at start-up (lifespan), not at import;
    pass `runtime` and `bolt` to share them with another runner (Socket Mode)."""
    state: dict[str, object] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        rt = runtime or build_runtime(settings or load_settings())
        state["runtime"] = rt
        state["bolt"] = bolt or build_bolt(rt)
        # What start-up built lives as long as the process: out of the collector's scans, so
        # the garbage collections a burst of requests triggers do not walk it each time.
        gc.freeze()
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
        body = await read_slack_body(request, rt().settings.slack_signing_secret or "")
        if isinstance(body, Response):  # refused: forged, stale, too large or malformed
            return body
        bolt_request = parsed_request(
            body.raw.decode(), body.payload, query=request.query_params, headers=request.headers
        )
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
            return JSONResponse(
                {"status": "database unreachable", "error": type(exc).__name__}, status_code=503
            )
        if not current:
            return JSONResponse(
                {"status": "schema out of date: run `astravue-bot migrate`"}, status_code=503
            )
        return JSONResponse({"status": "ready"})

    async def setup_page(_request: Request) -> Response:
        distribution = rt().distribution
        installed = await distribution.store.count_active() if distribution else None
        return HTMLResponse(render_setup_page(rt().settings, installed=installed))

    async def metrics_endpoint(request: Request) -> Response:
        return await metrics_gauges.metrics_response(
            request, token=rt().settings.metrics_token, sessions=rt().sessions
        )

    async def oauth_start(request: Request) -> Response:
        return await oauth.start(request, rt().services)

    async def oauth_callback(request: Request) -> Response:
        return await oauth.callback(request, rt().services)

    async def oauth_confirm(request: Request) -> Response:
        return await oauth.confirm(request, rt().services)

    routes = [
        Route("/", setup_page, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/slack/events", slack_events, methods=["POST"]),
        Route("/oauth/astravue/start", oauth_start, methods=["GET"]),
        Route("/oauth/astravue/callback", oauth_callback, methods=["GET"]),
        Route(oauth.CONFIRM_PATH, oauth_confirm, methods=["POST"]),
        *install_routes(lambda: rt().distribution),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.app_state = state
    return app


def build_bolt(runtime: Runtime) -> AsyncApp | None:
    if not runtime.settings.slack_configured:
        log.warning(
            "Slack is not configured (%s): /slack/events answers 503",
            ", ".join(runtime.settings.missing_slack_settings()),
        )
        return None
    from bot.app import build_app

    return build_app(runtime)


def render_setup_page(settings: Settings, *, installed: int | None = None) -> str:
    """A page telling whoever deploys this what is configured and what to do next;
    `installed`: the installed workspaces' count (distributed mode)."""
    rows = [
        (
            "Slack credentials",
            settings.slack_configured,
            "set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (one workspace) or "
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (distributed) from your Slack app",
        ),
        (
            "Astravue OAuth client",
            settings.astravue_oauth_configured,
            "set ASTRAVUE_CLIENT_ID (and ASTRAVUE_CLIENT_SECRET) from Astravue Settings",
        ),
        (
            "Token encryption keys",
            bool(settings.token_encryption_keys) or settings.is_sqlite,
            "set TOKEN_ENCRYPTION_KEYS (make one with `astravue-bot keys new`)",
        ),
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
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Astravue for Slack: setup</title></head>
<body style="font-family: sans-serif; max-width: 46rem; margin: 2rem auto">
<h1>Astravue for Slack</h1>
<p>This deployment's configuration:</p>
<ul>{"".join(items)}</ul>
{distribution_section(settings, installed)}
<h2>What to do next, in this order</h2>
<ol>{"".join(f"<li>{step}</li>" for step in setup_steps(settings))}</ol>
<p>Health: <a href="/healthz">/healthz</a> &middot; readiness: <a href="/readyz">/readyz</a></p>
</body></html>"""


def distribution_section(settings: Settings, installed: int | None) -> str:
    if not settings.distributed:
        return ""
    count = installed or 0
    return (
        "<h2>Distributed mode</h2><p>Workspaces install the app themselves: "
        '<a href="/slack/install"><b>Add to Slack</b></a> '
        f"(<code>{html.escape(settings.public_url)}/slack/install</code>). Installed in "
        f"<b>{count}</b> workspace{'' if count == 1 else 's'} (or organisations).</p>"
    )


def setup_steps(settings: Settings) -> list[str]:
    """The first-run steps (HTML), in the order that works: Slack verifies the events URL
    only once this app, restarted with the signing secret, can answer it."""
    public = settings.public_url.startswith("https://")
    events_url = html.escape(f"{settings.public_url}/slack/events")
    if public:
        make_app = (
            "Make the Slack app: run <code>astravue-bot manifest</code> (every request "
            f"URL is <code>{events_url}</code>), then at api.slack.com/apps choose "
            "<i>Create New App</i> &gt; <i>From an app manifest</i> and paste it."
        )
    else:
        make_app = (
            "Make the Slack app. <code>PUBLIC_URL</code> is not an HTTPS address, so "
            "either set it to this app's public HTTPS address and run "
            "<code>astravue-bot manifest</code>, or use Socket Mode: run "
            "<code>astravue-bot manifest --socket-mode</code>. At api.slack.com/apps "
            "choose <i>Create New App</i> &gt; <i>From an app manifest</i> and paste it; "
            "for Socket Mode also create an app-level token with "
            "<code>connections:write</code>."
        )
    secrets = (
        "Install the app to your workspace and set the secrets: the Bot User OAuth "
        "Token (xoxb-) in <code>SLACK_BOT_TOKEN</code>, the Signing Secret in "
        "<code>SLACK_SIGNING_SECRET</code>"
        + (
            ""
            if public
            else ", and for Socket Mode the xapp- token in <code>SLACK_APP_TOKEN</code>"
        )
        + "."
    )
    restart = (
        "Restart the app"
        + (
            ""
            if public
            else " (with <code>astravue-bot serve --socket-mode</code> for Socket Mode)"
        )
        + "."
    )
    verify = (
        f"Verify the events URL: in the Slack app's <i>Event Subscriptions</i> page, "
        f"Slack checks <code>{events_url}</code>; click <i>Retry</i> if it was pasted "
        "before the restart."
        if public
        else "Check the app answers: type <code>/astravue help</code> in Slack."
    )
    oauth = (
        "Register the Astravue OAuth client: add "
        f"<code>{html.escape(settings.oauth_redirect_uri)}</code> as a redirect URI and "
        "set <code>ASTRAVUE_CLIENT_ID</code> and <code>ASTRAVUE_CLIENT_SECRET</code>, "
        "then restart."
    )
    demo = (
        "Meanwhile, try everything without Slack: <code>make demo</code> runs the app "
        "against local fakes in a terminal Slack simulator."
    )
    return [make_app, secrets, restart, verify, oauth, demo]
