"""`GET /` on a fresh deployment: what is configured, then the next steps in the order that
works (the Slack app, its secrets, a restart, then the URL check; the Astravue client; the
demo meanwhile)."""

from __future__ import annotations

from typing import Any

import httpx

from bot.config import load_settings
from bot.security.crypto import generate_key_spec
from bot.web import create_app


async def _setup_page(database_url: str, **settings: Any) -> str:
    app = create_app(
        load_settings(
            _env_file=None,
            database_url=database_url,
            token_encryption_keys=generate_key_spec(),
            **settings,
        )
    )
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client,
    ):
        page = await client.get("/")
    assert page.status_code == 200
    return page.text.split("What to do next", 1)[1]  # the steps, after the configuration list


def _in_order(text: str, *markers: str) -> bool:
    positions = [text.find(marker) for marker in markers]
    return -1 not in positions and positions == sorted(positions)


async def test_with_an_https_public_url_the_steps_use_the_events_url(database_url: str) -> None:
    page = await _setup_page(database_url, public_url="https://bot.example.com")
    assert _in_order(
        page,
        "astravue-bot manifest",
        "SLACK_SIGNING_SECRET",
        "Restart",
        "Verify the events URL",
        "https://bot.example.com/slack/events</code>; click",
        "https://bot.example.com/oauth/astravue/callback",
        "ASTRAVUE_CLIENT_ID",
        "make demo",
    )
    assert "--socket-mode" not in page


async def test_without_https_the_steps_offer_socket_mode(database_url: str) -> None:
    page = await _setup_page(database_url)  # the embedded default: http://localhost:3000
    assert _in_order(
        page,
        "manifest --socket-mode",
        "connections:write",
        "SLACK_APP_TOKEN",
        "serve --socket-mode",
        "/astravue help",
        "ASTRAVUE_CLIENT_ID",
        "make demo",
    )
