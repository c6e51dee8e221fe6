"""`serve` started by an operator in distributed mode (SLACK_CLIENT_ID + SLACK_CLIENT_SECRET,
no bot token): the install page sends the browser to Slack's authorize URL with the app's
client id, scopes, a state and the redirect URI, and the setup page links to it."""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.operations.serving import serving

AUTHORIZE = "https://slack.example.test/oauth/v2/authorize"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str) -> tuple[int, str, dict[str, str]]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as redirect:  # a 3xx is an "error" without redirects
        return redirect.code, redirect.read().decode(), dict(redirect.headers)


def test_serve_in_distributed_mode_offers_the_install(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LOG_LEVEL": "INFO",
        "SCHEDULER_ENABLED": "false",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/serve.db",
        "SLACK_CLIENT_ID": "1234.5678",
        "SLACK_CLIENT_SECRET": "c" * 32,
        "SLACK_SIGNING_SECRET": "s" * 32,
        "SLACK_OAUTH_AUTHORIZE_URL": AUTHORIZE,
        "PUBLIC_URL": "https://bot.example.test",
    }
    with serving(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, options=("--workers", "1")
    ) as served:
        setup_status, setup_page, _ = _get(f"{served.url}/")
        status, body, headers = _get(f"{served.url}/slack/install")
    assert served.ready_status == 200, served.output
    assert setup_status == 200 and 'href="/slack/install"' in setup_page
    location = headers.get("Location") or headers.get("location") or ""
    if not location:  # an "Add to Slack" page instead of a redirect
        assert status == 200, body
        location = next(
            part.split('"', 1)[0] for part in body.split('href="')[1:] if AUTHORIZE in part
        ).replace("&amp;", "&")
    target = urlsplit(location)
    assert f"{target.scheme}://{target.netloc}{target.path}" == AUTHORIZE
    query = parse_qs(target.query)
    assert query["client_id"] == ["1234.5678"]
    assert "chat:write" in query["scope"][0].split(",")
    assert query["redirect_uri"] == ["https://bot.example.test/slack/oauth_redirect"]
    assert query["state"][0]
    assert "c" * 32 not in served.output  # the client secret is never logged
