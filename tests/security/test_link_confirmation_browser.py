"""Item 1 in a real browser: Chromium (through Playwright) opens Maria's connect link and
signs in to the sandbox Keycloak as Dev. The app shows the confirmation page and links nothing
until its "Link" button is pressed there; the same form posted from another browser, without
the page's cookie, links nothing."""

from __future__ import annotations

import html
import importlib.util
import shutil

import pytest

from bot.sandbox.stack import Stack
from tests.scenario import conftest as scenario
from tests.security.connect_flow import linked, start_url

stack = scenario.stack
no_secret_in_debug_logs = scenario.no_secret_in_debug_logs

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="Playwright is not installed: pip install -e '.[test]'",
    ),
    pytest.mark.skipif(
        CHROMIUM is None, reason="no `chromium` on PATH: apt-get install chromium (.ci/run does)"
    ),
]


async def test_chromium_links_a_foreign_sign_in_only_through_the_pages_button(stack: Stack) -> None:
    from playwright.async_api import async_playwright, expect

    start = await start_url(stack, "U0MARIA")
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM)
        try:
            dev = await (await browser.new_context()).new_page()
            await dev.goto(start)  # -> the sandbox Keycloak's sign-in page
            await dev.get_by_role("button", name="Sign in as Dev Patel").click()
            await expect(dev.locator("h1")).to_have_text("Confirm the connection")
            shown = await dev.inner_text("body")
            for named in ("Maria Lopez", "Acme", "Dev Patel", "dev@acme.test"):
                assert named in shown, named
            assert await linked(stack) == {}

            # Another browser posts the very same fields: it has no cookie of the page.
            fields = {
                name: await dev.input_value(f'input[name="{name}"]') for name in ("pending", "csrf")
            }
            forger = await (await browser.new_context()).new_page()
            inputs = "".join(
                f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
                for name, value in fields.items()
            )
            await forger.set_content(
                f'<form method="post" action="{stack.app_url}/oauth/astravue/confirm">{inputs}'
                '<button name="action" value="link">Win a prize</button></form>'
            )
            await forger.get_by_role("button", name="Win a prize").click()
            await expect(forger.locator("h1")).to_have_text("Not linked")
            assert "Nothing was linked" in await forger.inner_text("body")
            assert await linked(stack) == {}

            await dev.get_by_role("button", name="Link", exact=True).click()
            await expect(dev.locator("h1")).to_have_text("Connected")
            done = await dev.inner_text("body")
            assert "Maria Lopez" in done and "Dev Patel" in done
            assert await linked(stack) == {"U0MARIA": 2}
        finally:
            await browser.close()
