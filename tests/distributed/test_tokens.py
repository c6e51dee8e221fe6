"""Bot tokens at rest and in rotation: sealed in the database, refreshed once under
concurrency, re-sealed by `keys rotate`; links purged 30 days after an uninstall."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from bot.cli import main as cli_main
from bot.db.base import Base, utcnow
from bot.db.models import AstravueLink, LinkStatus, SlackInstallation
from bot.sandbox.stack import Stack
from bot.scheduler import prune_expired
from bot.security.crypto import Keyring, generate_key_spec
from bot.slack.sealing import BOT, BOT_REFRESH, InstallationSeals
from tests.distributed.conftest import (
    ACME,
    BETA,
    command,
    connect_in,
    deliver_event,
    install,
    until,
)


async def _row(stack: Stack, team_id: str) -> SlackInstallation:
    async with stack.runtime.sessions() as session:
        row = await session.scalar(
            select(SlackInstallation).where(SlackInstallation.team_id == team_id)
        )
    assert row is not None
    return row


async def test_bot_token_refresh_under_twenty_concurrent_requests_happens_once(
    dist: Stack,
) -> None:
    oauth = dist.sandbox.slack_oauth
    oauth.rotate_tokens = True
    await install(dist, ACME)
    first = oauth.tokens_of(ACME)[0]
    assert first.startswith("xoxe.xoxb-") and (await _row(dist, ACME)).bot_refresh_token_ct
    # Twelve hours later: Slack no longer takes the token, and the app knows it expired.
    oauth.expire_tokens(ACME)
    async with dist.runtime.sessions() as session, session.begin():
        await session.execute(update(SlackInstallation).values(bot_token_expires_at=utcnow()))

    answers = await asyncio.gather(
        *[command(dist, "U0MARIA", "help", team_id=ACME) for _ in range(20)]
    )
    assert [answer.status_code for answer, _ in answers] == [200] * 20
    assert oauth.refresh_grants == 1
    tokens = oauth.tokens_of(ACME)
    assert len(tokens) == 2 and tokens[0] == first
    assert (await dist.runtime.team_clients.for_team(ACME)).token == tokens[1]
    assert oauth.stale_token_uses == {}  # nothing went out with the expired token
    row = await _row(dist, ACME)
    assert row.bot_token_expires_at is not None and row.bot_token_expires_at > utcnow()
    # The rotated refresh token was stored: the next refresh works too.
    oauth.expire_tokens(ACME)
    async with dist.runtime.sessions() as session, session.begin():
        await session.execute(update(SlackInstallation).values(bot_token_expires_at=utcnow()))
    await dist.runtime.team_clients.for_team(ACME)
    assert oauth.refresh_grants == 2


async def test_database_holds_no_plaintext_slack_token(dist: Stack, database_url: str) -> None:
    oauth = dist.sandbox.slack_oauth
    oauth.rotate_tokens = True
    await install(dist, ACME)
    await install(dist, BETA)
    oauth.expire_tokens(ACME)
    async with dist.runtime.sessions() as session, session.begin():
        await session.execute(update(SlackInstallation).values(bot_token_expires_at=utcnow()))
    await dist.runtime.team_clients.for_team(ACME)  # a refresh: more tokens to look for
    secrets = oauth.issued
    assert len(secrets) == 6
    dump: list[str] = []
    async with dist.runtime.sessions() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(text(f'SELECT * FROM "{table.name}"'))).all()  # noqa: S608
            dump.extend(str(value) for row in rows for value in row)
    assert sum(value.startswith("v1.") for value in dump) >= 4  # the sealed tokens are there
    for secret in secrets:
        assert not any(secret in value for value in dump)
        assert not any(secret.split("-")[-1] in value for value in dump)  # not even the tail
    if database_url.startswith("sqlite"):
        path = Path(database_url.split(":///", 1)[1])
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())
        for secret in secrets:
            assert secret.encode() not in raw


async def test_keys_rotate_reseals_bot_tokens(
    dist: Stack, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    oauth = dist.sandbox.slack_oauth
    oauth.rotate_tokens = True
    await install(dist, ACME)
    old_spec = dist.settings.token_encryption_keys
    assert old_spec is not None
    new_spec = generate_key_spec("k2")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEYS", f"{new_spec},{old_spec}")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    assert await asyncio.to_thread(cli_main, ["keys", "rotate"]) == 0
    row = await _row(dist, ACME)
    assert row.bot_token_ct and row.bot_token_ct.startswith("v1.k2.")
    assert row.bot_refresh_token_ct and row.bot_refresh_token_ct.startswith("v1.k2.")
    seals = InstallationSeals(Keyring.from_spec(new_spec))  # the old key retired
    assert seals.open(row, BOT, row.bot_token_ct) == oauth.tokens_of(ACME)[0]
    assert seals.open(row, BOT_REFRESH, row.bot_refresh_token_ct).startswith("xoxe-1-")


async def test_ciphertext_moved_to_another_installation_does_not_open(dist: Stack) -> None:
    await install(dist, ACME)
    await install(dist, BETA)
    acme = await _row(dist, ACME)
    async with dist.runtime.sessions() as session, session.begin():
        await session.execute(
            update(SlackInstallation)
            .where(SlackInstallation.team_id == BETA)
            .values(bot_token_ct=acme.bot_token_ct)
        )
    from bot.slack.clients import TeamNotInstalled

    with pytest.raises(TeamNotInstalled):  # fails closed: never ACME's token for BETA
        await dist.runtime.team_clients.for_team(BETA)
    assert (await dist.runtime.team_clients.for_team(ACME)).token == (
        dist.sandbox.slack_oauth.tokens_of(ACME)[0]
    )


async def _uninstall_beta_with_a_link(dist: Stack) -> None:
    dist.sandbox.slack.add_user(
        "U0DEVB", name="devb", real_name="Dev Patel", email="dev@acme.test", tz="UTC"
    )
    await install(dist, ACME)
    await install(dist, BETA)
    await connect_in(dist, "U0MARIA", "maria", team_id=ACME)
    await connect_in(dist, "U0DEVB", "dev", team_id=BETA)
    event = dist.sandbox.slack_oauth.uninstall(BETA)
    assert (await deliver_event(dist, event, team_id=BETA)).status_code == 200
    await until(lambda: _links(dist), {"U0MARIA": "active", "U0DEVB": "suspended"})


async def _links(dist: Stack) -> dict[str, str]:
    async with dist.runtime.sessions() as session:
        links = (await session.scalars(select(AstravueLink))).all()
    return {link.slack_user_id: link.status.value for link in links}


async def _uninstalled_days_ago(dist: Stack, days: int) -> None:
    async with dist.runtime.sessions() as session, session.begin():
        await session.execute(
            update(SlackInstallation)
            .where(SlackInstallation.team_id == BETA)
            .values(uninstalled_at=utcnow() - timedelta(days=days))
        )


async def test_links_of_a_workspace_uninstalled_30_days_are_deleted(dist: Stack) -> None:
    await _uninstall_beta_with_a_link(dist)
    beta = await _row(dist, BETA)
    assert beta.bot_token_ct is None and beta.bot_refresh_token_ct is None
    await _uninstalled_days_ago(dist, 29)
    await prune_expired(dist.runtime.sessions)
    assert await _links(dist) == {"U0MARIA": "active", "U0DEVB": "suspended"}
    await _uninstalled_days_ago(dist, 31)
    await prune_expired(dist.runtime.sessions)
    assert await _links(dist) == {"U0MARIA": "active"}
    # A later reinstall starts clean: the user connects again.
    await install(dist, BETA)
    assert await _links(dist) == {"U0MARIA": "active"}


async def test_tokens_revoked_for_the_bot_ends_the_installation(dist: Stack) -> None:
    await install(dist, ACME)
    event = {"type": "tokens_revoked", "tokens": {"bot": ["U0BOTACME"]}}
    assert (await deliver_event(dist, event, team_id=ACME)).status_code == 200

    async def ended() -> bool:
        return (await _row(dist, ACME)).uninstalled_at is not None

    await until(ended, True)
    assert (await _row(dist, ACME)).bot_token_ct is None
    assert LinkStatus.SUSPENDED.value == "suspended"
