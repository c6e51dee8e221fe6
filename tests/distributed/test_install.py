"""GET /slack/install and /slack/oauth_redirect through the real app and the OAuth fake."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import func, select

from bot.db.models import SlackInstallation
from bot.sandbox.slack_install import InstallVisit, install_workspace
from bot.sandbox.stack import Stack
from tests.distributed.conftest import ACME, BETA, install


async def installations(stack: Stack) -> int:
    async with stack.runtime.sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(SlackInstallation)
            .where(SlackInstallation.uninstalled_at.is_(None))
        )
    return int(count or 0)


async def test_install_page_links_to_slack_with_scopes_state_and_redirect(dist: Stack) -> None:
    visit = await install_workspace(dist.app_url, ACME)
    assert visit.install_page.status_code == 200
    assert "slack-app-oauth-state=" in visit.install_page.headers["set-cookie"]
    url = urlsplit(visit.authorize_url)
    query = parse_qs(url.query)
    assert url.path == "/slack/oauth/v2/authorize"
    assert query["client_id"] == ["sandbox-slack-client"]
    assert query["redirect_uri"] == [f"{dist.app_url}/slack/oauth_redirect"]
    assert set(query["scope"][0].split(",")) >= {"commands", "chat:write", "users:read"}
    assert len(query["state"][0]) >= 32
    assert visit.result is not None and visit.result.status_code == 200
    assert "Acme" in visit.result.text and "/astravue connect" in visit.result.text


async def test_two_workspaces_install_with_their_own_tokens(dist: Stack) -> None:
    await install(dist, ACME)
    await install(dist, BETA)
    assert await installations(dist) == 2
    oauth = dist.sandbox.slack_oauth
    acme = await dist.runtime.team_clients.for_team(ACME)
    beta = await dist.runtime.team_clients.for_team(BETA)
    assert acme.token in oauth.tokens_of(ACME) and beta.token in oauth.tokens_of(BETA)
    async with httpx.AsyncClient() as browser:
        page = await browser.get(dist.app_url + "/")
    assert "/slack/install" in page.text and "<b>2</b> workspaces" in page.text


async def test_forged_state_installs_nothing(dist: Stack) -> None:
    async with httpx.AsyncClient(timeout=10) as browser:
        await browser.get(f"{dist.app_url}/slack/install")  # a real cookie, another state
        dist.sandbox.slack_oauth.choose(ACME)
        forged = await browser.get(
            f"{dist.app_url}/slack/oauth_redirect", params={"code": "x", "state": "forged"}
        )
    assert forged.status_code == 400 and "Nothing was installed" in forged.text
    assert await installations(dist) == 0


async def test_replayed_state_installs_nothing(dist: Stack) -> None:
    async with httpx.AsyncClient(timeout=10) as browser:
        visit = await install_workspace(dist.app_url, ACME, browser=browser)
        assert visit.result is not None and visit.result.status_code == 200
        assert visit.authorize is not None
        first_redirect = visit.authorize.headers["location"]
        # The same state again, with the cookie it was bound to set once more by hand.
        state = parse_qs(urlsplit(first_redirect).query)["state"][0]
        browser.cookies.set("slack-app-oauth-state", state)
        replay = await browser.get(first_redirect.replace("code=", "code=other"))
    assert replay.status_code in (400, 401) and "already used" in replay.text
    assert await installations(dist) == 1


async def test_state_from_another_browser_installs_nothing(dist: Stack) -> None:
    async with httpx.AsyncClient(timeout=10) as mine, httpx.AsyncClient(timeout=10) as other:
        page = await mine.get(f"{dist.app_url}/slack/install")
        visit = InstallVisit(page, None, None)
        back = (await mine.get(visit.authorize_url + f"&team={ACME}")).headers["location"]
        stolen = await other.get(back)  # the redirect replayed in a browser without the cookie
        assert stolen.status_code == 400 and "browser that started it" in stolen.text
        assert await installations(dist) == 0
        finished = await mine.get(back)  # the state was not spent: its own browser finishes
    assert finished.status_code == 200 and await installations(dist) == 1


async def test_denied_install_installs_nothing(dist: Stack) -> None:
    dist.sandbox.slack_oauth.deny_next = True
    result = await install(dist, ACME)
    assert result.status_code == 200 and "cancelled" in result.text
    assert await installations(dist) == 0


async def test_failing_exchange_installs_nothing(dist: Stack) -> None:
    dist.sandbox.slack_oauth.exchange_error = "invalid_code"
    result = await install(dist, ACME)
    assert result.status_code == 400 and "nothing was installed" in result.text.lower()
    assert await installations(dist) == 0


async def test_unreachable_slack_installs_nothing(dist: Stack) -> None:
    dist.sandbox.slack_oauth.exchange_down = True
    result = await install(dist, ACME)
    assert result.status_code == 400 and "nothing was installed" in result.text.lower()
    assert await installations(dist) == 0
