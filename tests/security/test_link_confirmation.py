"""Item 1 of the security review: a connect link opened by someone else (the Astravue account
signed in has another email than the Slack user's, or Slack has none) links nothing on the
GET; it waits for a POST from that browser carrying the page's CSRF token (form and cookie),
once, before expiry. The Slack user is told in Slack either way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import time_machine

from bot.sandbox.stack import Stack
from tests.scenario import conftest as scenario
from tests.scenario.conftest import eventually
from tests.security.connect_flow import (
    confirmation_form,
    linked,
    post_confirmation,
    sign_in,
    told_in_slack,
)

stack = scenario.stack
no_secret_in_debug_logs = scenario.no_secret_in_debug_logs

CONFIRM = "/oauth/astravue/confirm"


async def test_someone_elses_sign_in_waits_for_a_csrf_checked_confirmation(stack: Stack) -> None:
    async with httpx.AsyncClient() as dev_browser:
        page = await sign_in(stack, dev_browser, "U0MARIA", "dev")
        assert page.status_code == 200 and "Confirm the connection" in page.text
        for named in ("Maria Lopez", "U0MARIA", "Acme", "Dev Patel", "dev@acme.test"):
            assert named in page.text, named
        assert page.headers["x-frame-options"] == "DENY"
        assert await linked(stack) == {}  # the GET linked nothing
        waiting = await eventually(
            lambda: [
                t
                for t in told_in_slack(stack, "U0MARIA")
                if "Someone opened your connect link" in t
            ]
        )
        assert "Dev Patel" in waiting[-1] and "waits for a confirmation" in waiting[-1]

        form = confirmation_form(page)
        async with httpx.AsyncClient() as forger:  # no cookie: a cross-site or foreign POST
            forged = await forger.post(f"{stack.app_url}{CONFIRM}", data={**form, "action": "link"})
        wrong_token = await dev_browser.post(
            f"{stack.app_url}{CONFIRM}", data={**form, "csrf": form["csrf"][::-1], "action": "link"}
        )
        for refused in (forged, wrong_token):
            assert refused.status_code == 400 and "could not be checked" in refused.text
        assert await linked(stack) == {}

        done = await post_confirmation(stack, dev_browser, page)
        assert done.status_code == 200 and "Connected" in done.text
        for named in ("Maria Lopez", "Acme", "Dev Patel", "dev@acme.test"):
            assert named in done.text, named
        assert await linked(stack) == {"U0MARIA": 2}
        await eventually(
            lambda: any("Connected as *Dev Patel*" in t for t in told_in_slack(stack, "U0MARIA"))
        )

        replay = await post_confirmation(stack, dev_browser, page)
        assert replay.status_code == 400 and "already used" in replay.text


async def test_a_slack_user_without_an_email_must_confirm(stack: Stack) -> None:
    stack.sandbox.slack.users["U0MARIA"].email = None
    async with httpx.AsyncClient() as browser:
        page = await sign_in(stack, browser, "U0MARIA", "maria")
        assert "Confirm the connection" in page.text
        assert await linked(stack) == {}
        cancelled = await post_confirmation(stack, browser, page, action="cancel")
    assert cancelled.status_code == 200 and "nothing was linked" in cancelled.text
    assert await linked(stack) == {}
    assert stack.sandbox.keycloak.revoke_requests == 1  # the held grant is given back
    await eventually(lambda: any("was cancelled" in t for t in told_in_slack(stack, "U0MARIA")))


async def test_the_same_email_in_another_case_links_at_once_and_names_both(stack: Stack) -> None:
    stack.sandbox.slack.users["U0MARIA"].email = "  Maria@ACME.test "
    async with httpx.AsyncClient() as browser:
        page = await sign_in(stack, browser, "U0MARIA", "maria")
    assert page.status_code == 200 and "Connected" in page.text
    for named in ("Maria Lopez", "U0MARIA", "Acme", "maria@acme.test"):
        assert named in page.text, named
    assert await linked(stack) == {"U0MARIA": 1}


async def test_a_confirmation_after_expiry_links_nothing(stack: Stack) -> None:
    async with httpx.AsyncClient() as browser:
        page = await sign_in(stack, browser, "U0MARIA", "dev")
        with time_machine.travel(datetime.now(UTC) + timedelta(minutes=10, seconds=5)):
            late = await post_confirmation(stack, browser, page)
    assert late.status_code == 400 and "expired" in late.text
    assert await linked(stack) == {}


async def test_the_confirmation_page_escapes_what_it_echoes(stack: Stack) -> None:
    dev = stack.sandbox.keycloak.users["dev"]
    dev.given_name, dev.family_name = "<script>alert(1)</script>", '"><img src=x>'
    async with httpx.AsyncClient() as browser:
        page = await sign_in(stack, browser, "U0MARIA", "dev")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<script>" not in page.text and "<img" not in page.text
        done = await post_confirmation(stack, browser, page)
    assert "&lt;script&gt;" in done.text and "<script>" not in done.text
