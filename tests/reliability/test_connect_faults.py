"""Item 9 of the security review: the connect callback never answers 500. A connect in flight
across a key change gets the "expired link" page; a Keycloak name or email longer than its
column is fitted (names cut, an address that does not fit dropped, never cut)."""

from __future__ import annotations

import httpx

from bot.db.models import AstravueLink
from bot.sandbox.server import LoopbackServer
from bot.sandbox.stack import Stack
from bot.security.crypto import generate_key_spec
from bot.web import create_app
from bot.wiring import build_runtime
from tests.scenario import conftest as scenario
from tests.scenario.conftest import connect
from tests.security.connect_flow import (
    callback_url,
    link_of,
    linked,
    post_confirmation,
    sign_in,
    start_url,
)

stack = scenario.stack
no_secret_in_debug_logs = scenario.no_secret_in_debug_logs

NAME_CHARS = AstravueLink.__table__.c.astravue_name.type.length
EMAIL_CHARS = AstravueLink.__table__.c.astravue_email.type.length


async def _restart_with_a_new_key(stack: Stack) -> None:
    """The deployment restarts on the same address with a new key ring (the old key gone)."""
    port = stack.app_server.port
    await stack.app_server.stop()
    await stack.runtime.close()
    stack.settings = stack.settings.model_copy(
        update={"token_encryption_keys": generate_key_spec()}
    )
    stack.runtime = build_runtime(stack.settings)
    stack.app_server = LoopbackServer(create_app(stack.settings, runtime=stack.runtime), port=port)
    await stack.app_server.start()


async def test_a_connect_in_flight_across_a_key_change_gets_the_expired_page(stack: Stack) -> None:
    async with httpx.AsyncClient() as browser:
        callback = await callback_url(browser, await start_url(stack, "U0MARIA"), "maria")
        await _restart_with_a_new_key(stack)
        late = await browser.get(callback)
    assert late.status_code == 400 and "Link expired" in late.text
    assert await linked(stack) == {}
    await connect(stack, "U0MARIA")  # a new link works under the new key
    assert await linked(stack) == {"U0MARIA": 1}


async def test_names_and_emails_longer_than_their_columns_are_fitted(stack: Stack) -> None:
    maria = stack.sandbox.keycloak.users["maria"]
    maria.given_name = "M" * 300
    async with httpx.AsyncClient() as browser:
        page = await sign_in(stack, browser, "U0MARIA", "maria")
    assert page.status_code == 200 and "Connected" in page.text
    link = await link_of(stack, "U0MARIA")
    assert link.astravue_name is not None and len(link.astravue_name) == NAME_CHARS
    assert link.astravue_name.startswith("M" * 100) and link.astravue_email == maria.email

    # An address too long to store is dropped, so it cannot match Slack's: confirm first.
    long_email = "m" * EMAIL_CHARS + "@acme.test"
    maria.email = long_email
    stack.sandbox.slack.users["U0MARIA"].email = long_email
    async with httpx.AsyncClient() as browser:
        page = await sign_in(stack, browser, "U0MARIA", "maria")
        assert page.status_code == 200 and "Confirm the connection" in page.text
        assert "no email" in page.text
        done = await post_confirmation(stack, browser, page)
    assert done.status_code == 200 and "Connected" in done.text
    link = await link_of(stack, "U0MARIA")
    assert link.astravue_email is None and link.astravue_user_id == 1
