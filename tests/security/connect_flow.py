"""The browser's side of `/astravue connect`, step by step, for the connect-flow tests."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from sqlalchemy import select

from bot.db.models import AstravueLink
from bot.sandbox.stack import Stack
from tests.scenario.conftest import buttons, last_response, text_of

_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


async def start_url(stack: Stack, user_id: str) -> str:
    """The Connect button's URL that `/astravue connect` gives this Slack user."""
    before = len(stack.sandbox.slack.responses)
    await stack.user(user_id).command("connect")
    return str(buttons(await last_response(stack, user_id, before))["account.connect"]["url"])


async def authorize_url(browser: httpx.AsyncClient, start: str) -> str:
    response = await browser.get(start)
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def callback_url(browser: httpx.AsyncClient, start: str, login: str) -> str:
    """Sign in at Keycloak; the redirect back to the app (not followed)."""
    authorize = await authorize_url(browser, start)
    signed_in = await browser.get(authorize + "&" + urlencode({"login_hint": login}))
    assert signed_in.status_code == 302
    return signed_in.headers["location"]


async def sign_in(
    stack: Stack, browser: httpx.AsyncClient, user_id: str, login: str
) -> httpx.Response:
    """`user_id` runs /astravue connect; `browser` opens the link and signs in as `login`."""
    return await browser.get(await callback_url(browser, await start_url(stack, user_id), login))


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def confirmation_form(page: httpx.Response) -> dict[str, str]:
    """The hidden fields of a confirmation page's form."""
    fields = {name: html.unescape(value) for name, value in _HIDDEN.findall(page.text)}
    assert set(fields) == {"pending", "csrf"}, page.text
    return fields


async def post_confirmation(
    stack: Stack, browser: httpx.AsyncClient, page: httpx.Response, action: str = "link"
) -> httpx.Response:
    """Press a button of the confirmation page in `browser` (its cookies go along)."""
    return await browser.post(
        f"{stack.app_url}/oauth/astravue/confirm",
        data={**confirmation_form(page), "action": action},
    )


async def linked(stack: Stack) -> dict[str, int | None]:
    """Slack user -> Astravue user id of every stored link."""
    async with stack.runtime.sessions() as session:
        links = (await session.scalars(select(AstravueLink))).all()
    return {link.slack_user_id: link.astravue_user_id for link in links}


async def link_of(stack: Stack, user_id: str) -> AstravueLink:
    async with stack.runtime.sessions() as session:
        link = await session.scalar(
            select(AstravueLink).where(AstravueLink.slack_user_id == user_id)
        )
    assert link is not None, f"{user_id} is not linked"
    return link


def told_in_slack(stack: Stack, user_id: str) -> list[str]:
    """The text of every response_url post and DM this user got, oldest first."""
    fake = stack.sandbox.slack
    posts: list[dict[str, Any]] = [p.payload for p in fake.responses if p.user == user_id]
    posts += [{"text": m.text, "blocks": m.blocks} for m in fake.dm_messages(user_id)]
    return [text_of(post) for post in posts]
