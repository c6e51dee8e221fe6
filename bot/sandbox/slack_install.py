"""A browser installing the app into a sandbox workspace: /slack/install, Slack's authorize
page (the sandbox fake), then the app's /slack/oauth_redirect. Used by tests and the demo."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

_LINK = re.compile(r'href="([^"]+)"[^>]*><b>Add to Slack')


@dataclass
class InstallVisit:
    install_page: httpx.Response
    authorize: httpx.Response | None
    result: httpx.Response | None

    @property
    def authorize_url(self) -> str:
        found = _LINK.search(self.install_page.text)
        assert found, "no Add to Slack link on the install page"
        return found.group(1).replace("&amp;", "&")


async def install_workspace(
    app_url: str, team_id: str | None = None, *, browser: httpx.AsyncClient | None = None
) -> InstallVisit:
    """Follow the install as a browser does (one cookie jar); `team_id` picks the workspace
    at Slack's authorize step."""
    own = browser is None
    client = browser or httpx.AsyncClient(timeout=10)
    try:
        page = await client.get(f"{app_url}/slack/install")
        visit = InstallVisit(page, None, None)
        if page.status_code != 200:
            return visit
        url = visit.authorize_url + (f"&team={team_id}" if team_id else "")
        visit.authorize = await client.get(url)
        if visit.authorize.status_code == 302:
            visit.result = await client.get(visit.authorize.headers["location"])
        return visit
    finally:
        if own:
            await client.aclose()
