"""InstallationClients: one cached client per installation, bounded; uninstalled teams and
teams never installed raise TeamNotInstalled."""

from __future__ import annotations

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.security.crypto import Keyring, generate_key_spec
from bot.slack.clients import TeamNotInstalled
from bot.slack.installations import SqlInstallationStore
from bot.slack.lifecycle import end_installation
from bot.slack.rotation import BotTokens
from bot.slack.sealing import InstallationSeals
from bot.slack.team_clients import InstallationClients


def _clients(sessions: async_sessionmaker[AsyncSession], size: int) -> InstallationClients:
    store = SqlInstallationStore(
        sessions, InstallationSeals(Keyring.from_spec(generate_key_spec()))
    )
    tokens = BotTokens(store, AsyncWebClient(), client_id="c", client_secret="s")
    return InstallationClients(store, tokens, base_url="http://127.0.0.1:9/", max_clients=size)


async def _install(clients: InstallationClients, team: str) -> None:
    await clients.store.save(
        Installation(user_id="U0ADMIN", team_id=team, team_name=team, bot_token=f"xoxb-{team}")
    )


async def test_one_client_per_team_in_a_bounded_cache(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clients = _clients(sessions, 2)
    for team in ("T1", "T2", "T3"):
        await _install(clients, team)
    first = await clients.for_team("T1")
    assert first.token == "xoxb-T1" and await clients.for_team("T1") is first
    assert (await clients.for_team("T2")).token == "xoxb-T2"
    assert (await clients.for_team("T3")).token == "xoxb-T3"
    assert len(clients._clients) == 2  # T1, least recently used, was dropped
    assert await clients.for_team("T1") is not first


async def test_not_installed_and_uninstalled_teams_raise(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clients = _clients(sessions, 10)
    with pytest.raises(TeamNotInstalled):
        await clients.for_team("T9")
    await _install(clients, "T1")
    assert await end_installation(sessions, team_id="T1", enterprise_id=None)
    with pytest.raises(TeamNotInstalled):
        await clients.for_team("T1")
