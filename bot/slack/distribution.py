"""Distributed mode's parts, built once by `bot.wiring` when SLACK_CLIENT_ID and
SLACK_CLIENT_SECRET are set: installation and state stores, token rotation, the per-team
clients (Bolt's authorize and the background senders' `TeamClients`) and the install flow."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.security.crypto import Keyring
from bot.slack.installations import SqlInstallationStore
from bot.slack.oauth_flow import InstallFlow, build_install_flow
from bot.slack.oauth_state import SqlOAuthStateStore
from bot.slack.rotation import BotTokens
from bot.slack.sealing import InstallationSeals
from bot.slack.team_clients import InstallationClients, TeamRoutedClient


@dataclass
class Distribution:
    store: SqlInstallationStore
    states: SqlOAuthStateStore
    tokens: BotTokens
    clients: InstallationClients
    flow: InstallFlow
    routed: TeamRoutedClient  # one client for every team: profiles and the directory
    paced_clients: InstallationClients  # no rate-limit retries: the Messenger paces itself


def build_distribution(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], keyring: Keyring
) -> Distribution:
    assert settings.slack_client_id and settings.slack_client_secret
    store = SqlInstallationStore(sessions, InstallationSeals(keyring))
    states = SqlOAuthStateStore(sessions)
    oauth_client = AsyncWebClient(base_url=settings.slack_api_url, timeout=10)
    tokens = BotTokens(
        store,
        oauth_client,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
    )
    clients = InstallationClients(store, tokens, base_url=settings.slack_api_url)
    routed = TeamRoutedClient(clients, base_url=settings.slack_api_url, timeout=10)
    routed.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return Distribution(
        store=store,
        states=states,
        tokens=tokens,
        clients=clients,
        flow=build_install_flow(settings, store, states, oauth_client),
        routed=routed,
        paced_clients=InstallationClients(
            store, tokens, base_url=settings.slack_api_url, retry_rate_limits=False
        ),
    )
