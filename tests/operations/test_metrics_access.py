"""`GET /metrics` is not public: with METRICS_TOKEN it needs that bearer token; without one
it answers only requests from this machine."""

from __future__ import annotations

import httpx

from bot.config import load_settings
from bot.sandbox.stack import start_stack
from bot.security.crypto import generate_key_spec
from bot.web import create_app

TOKEN = "metrics-token-for-tests"


async def test_with_metrics_token_the_bearer_token_is_required(database_url: str) -> None:
    stack = await start_stack(database_url, metrics_token=TOKEN)
    try:
        async with httpx.AsyncClient(base_url=stack.app_url, timeout=10) as client:
            missing = await client.get("/metrics")
            wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
            right = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    finally:
        await stack.stop()
    assert missing.status_code == wrong.status_code == 401  # loopback is not enough then
    assert "METRICS_TOKEN" in missing.text
    assert right.status_code == 200 and "astravue_links" in right.text


async def test_without_a_token_another_machine_is_refused(database_url: str) -> None:
    app = create_app(
        load_settings(
            _env_file=None, database_url=database_url, token_encryption_keys=generate_key_spec()
        )
    )

    async def scrape(client_address: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(client_address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
            return await client.get("/metrics")

    async with app.router.lifespan_context(app):
        refused, allowed = await scrape("203.0.113.7"), await scrape("127.0.0.1")
    assert refused.status_code == 403 and "set METRICS_TOKEN" in refused.text
    assert "astravue_" not in refused.text
    assert allowed.status_code == 200 and "astravue_installations" in allowed.text
