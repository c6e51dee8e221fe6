"""S4 for the Astravue layer: linking, refreshes, API calls and failures at DEBUG, through the
app's real logging set-up, leave no token, code, PKCE verifier or secret in the output."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import KeycloakClient
from bot.astravue.errors import ReauthorizationRequired, ServerError
from bot.db.repositories import DatabaseNonceStore
from bot.logging import install_redaction, setup_logging
from bot.sandbox.server import BOT_TOKEN, CLIENT_SECRET, Sandbox
from bot.security.crypto import Keyring
from bot.security.signing import LinkSigner
from bot.services.credentials import LinkCredentials
from bot.services.identity import IdentityResolver
from bot.services.link_store import LinkStore
from bot.services.linking import LinkingService
from bot.services.oauth_states import OAuthStates
from bot.services.pending_links import PendingLinks
from bot.slack.directory import SlackDirectory
from bot.slack.profiles import Profiles
from tests.integration.conftest import (
    REDIRECT_URI,
    Clock,
    astravue_client,
    token_manager,
)


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The app's logging at DEBUG plus a capturing handler; the previous set-up is restored
    after (handlers, levels), so later tests see the logging they expect."""
    root = logging.getLogger()
    saved_handlers = list(root.handlers)
    saved_levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    saved_levels[""] = root.level
    setup_logging("DEBUG")
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    install_redaction(handler)
    root.addHandler(handler)
    try:
        yield output
    finally:
        for added in [h for h in root.handlers if h not in saved_handlers]:
            root.removeHandler(added)
        for name, level in saved_levels.items():
            logging.getLogger(name or None).setLevel(level)


class PkceRecorder:
    """Wraps `KeycloakClient.new_pkce` to learn the verifiers the app generated."""

    def __init__(self) -> None:
        self.verifiers: list[str] = []
        self._original = KeycloakClient.new_pkce

    def __call__(self) -> tuple[str, str]:
        verifier, challenge = self._original()
        self.verifiers.append(verifier)
        return verifier, challenge


async def test_no_secret_reaches_the_logs(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    keycloak: KeycloakClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    key_spec: str,
    clock: Clock,
    captured: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pkce = PkceRecorder()
    monkeypatch.setattr(KeycloakClient, "new_pkce", staticmethod(pkce))
    keyring = Keyring.from_spec(key_spec)
    slack = AsyncWebClient(token=BOT_TOKEN, base_url=sandbox.env()["SLACK_API_URL"])
    linking = LinkingService(
        keycloak,
        LinkSigner.from_keyring(keyring),
        DatabaseNonceStore(sessions),
        public_url="http://127.0.0.1:9",
        redirect_uri=REDIRECT_URI,
        directory=SlackDirectory(slack, Profiles(slack)),
        identities=IdentityResolver(keycloak),
        states=OAuthStates(sessions, keyring),
        pending=PendingLinks(sessions, keyring),
        store=LinkStore(sessions, LinkCredentials(keyring)),
    )
    response_url = f"{sandbox.base_url}/slack/respond/opaque-capability-123"

    # Linking, as the browser and the callback route drive it.
    start_url = await linking.begin(
        team_id="T0ACME", slack_user_id="U0MARIA", channel_id="C1", response_url=response_url
    )
    start_token = parse_qs(urlsplit(start_url).query)["t"][0]
    authorize = await linking.authorization_redirect(start_token)
    signed_in = await http.get(f"{authorize}&{urlencode({'login_hint': 'maria'})}")
    callback = parse_qs(urlsplit(signed_in.headers["location"]).query)
    code = callback["code"][0]
    outcome = await linking.complete(state_value=callback["state"][0], code=code, error=None)
    assert outcome.email == "maria@acme.test" and outcome.response_url == response_url
    logging.getLogger("tests.integration").info("linked: %r", outcome)

    # API calls, a refresh on expiry, then a server error and a terminal refusal.
    manager = token_manager(sessions, credentials, keycloak, clock)
    client = astravue_client(sandbox, http, manager.provider(outcome.link_id))
    await client.spaces.list()
    await client.tasks.list()
    clock.advance(301)
    await client.notifications.list()
    sandbox.astravue_faults.update({"error_rate": 1.0, "error_status": 500})
    with pytest.raises(ServerError):
        await client.spaces.list()
    sandbox.astravue_faults.reset()
    clock.advance(301)
    sandbox.keycloak.fail_next_token_request("invalid_grant", "Stale token")
    with pytest.raises(ReauthorizationRequired) as ended:
        await client.spaces.list()
    logging.getLogger("tests.integration").exception("link ended", exc_info=ended.value)
    await linking.disconnect(team_id="T0ACME", slack_user_id="U0MARIA")

    text = captured.getvalue()
    assert "keycloak getAccessAndRefreshToken -> 200" in text
    assert "keycloak refreshAccessToken -> 200" in text and "astravue GET /v1/spaces" in text
    assert "needs relink" in text  # the failure paths were logged too
    issued = sandbox.keycloak.issued_tokens
    assert len(issued) == 6  # code exchange and one refresh: access, refresh and ID tokens
    secrets = {
        "issued token": issued,
        "authorization code": [code],
        "PKCE verifier": pkce.verifiers,
        "key spec": [key_spec],
        "start link": [start_token],
        "response_url": [response_url],
    }
    assert pkce.verifiers
    for kind, values in secrets.items():
        for value in values:
            assert value not in text, f"a {kind} reached the logs"
    assert re.search(r"(?<![\w-])" + re.escape(CLIENT_SECRET), text) is None
    assert re.search(r"eyJ[\w-]{8,}\.[\w-]{8,}", text) is None
    assert sandbox.keycloak.token_requests.count("refresh_token") == 2
