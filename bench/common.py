"""Shared benchmark helpers: percentiles, tables, machine facts, databases, sandboxes, links."""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import platform
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from bot.astravue.auth import TokenSet
from bot.config import Settings, load_settings
from bot.db.base import utcnow
from bot.db.models import AstravueLink, LinkStatus, PollState
from bot.db.session import session_scope, upgrade
from bot.logging import setup_logging
from bot.sandbox.server import (
    CLIENT_ID,
    CLIENT_SECRET,
    LoopbackServer,
    Sandbox,
    build_sandbox,
    free_port,
)
from bot.sandbox.slack import TEAM_ID
from bot.security.crypto import generate_key_spec
from bot.services.credentials import ACCESS, REFRESH, LinkCredentials
from bot.wiring import Runtime

# Astravue org 1 members the seeded links act as (Keycloak username, Astravue user id).
IDENTITIES = (("maria", 1), ("dev", 2), ("gina", 4))
ORG_ID = 1
GRANT_CONCURRENCY = 16
INSERT_BATCH = 1000


# ---- figures ------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted values."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil without floats drifting
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class Latency:
    """p50, p99 and max of samples in seconds."""

    p50: float
    p99: float
    max: float
    count: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Latency:
        return cls(percentile(samples, 50), percentile(samples, 99), max(samples), len(samples))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain-text table; the first column is left-aligned, the others right-aligned."""
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )

    print(f"\n{title}")
    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))


def machine_facts() -> str:
    model = "unknown CPU"
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                model = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def parser(description: str) -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(description=description)
    parse.add_argument(
        "--quick",
        action="store_true",
        help="a small smoke run (seconds), for tests; figures are not meaningful",
    )
    return parse


@contextmanager
def quiet_logging() -> Iterator[None]:
    """Warnings only while measuring (per-request INFO lines would be part of what is
    measured); the root level is restored afterwards, for callers such as tests."""
    root = logging.getLogger()
    saved = root.level
    setup_logging("WARNING")
    try:
        yield
    finally:
        root.setLevel(saved)


# ---- process figures ----------------------------------------------------------------------


def rss_mb() -> float:
    """Resident memory of this process in MiB (Linux /proc)."""
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024
    raise RuntimeError("VmRSS not found in /proc/self/status")


def open_sockets() -> int:
    """Sockets this process holds open (Linux /proc)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            continue  # closed between listdir and readlink
    return count


# ---- databases and settings ---------------------------------------------------------------


@contextmanager
def temp_database(postgres: str | None = None) -> Iterator[str]:
    """A migrated SQLite database in a temporary directory, removed afterwards; with
    `postgres` (a server URL, `postgresql+asyncpg://user@host:5432/postgres`), a new
    PostgreSQL database on that server instead, dropped afterwards."""
    if postgres:
        name = f"astravue_bench_{uuid.uuid4().hex[:10]}"
        asyncio.run(_postgres_admin(postgres, f'CREATE DATABASE "{name}"'))
        try:
            url = postgres.rsplit("/", 1)[0] + "/" + name
            upgrade(url)
            yield url
        finally:
            asyncio.run(_postgres_admin(postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    with tempfile.TemporaryDirectory(prefix="astravue-bench-") as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        upgrade(url)
        yield url


async def _postgres_admin(server_url: str, sql: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(sql)
    finally:
        await engine.dispose()


def app_values(sandbox_env: dict[str, str], database_url: str, **overrides: Any) -> dict[str, Any]:
    """Settings values pointing the app at a sandbox (plain values: they cross processes)."""
    values: dict[str, Any] = {key.lower(): value for key, value in sandbox_env.items()}
    values.update(
        database_url=database_url,
        token_encryption_keys=generate_key_spec(),
        scheduler_enabled=False,
        log_level="WARNING",
    )
    values.update(overrides)
    return values


def app_settings(sandbox_env: dict[str, str], database_url: str, **overrides: Any) -> Settings:
    return load_settings(_env_file=None, **app_values(sandbox_env, database_url, **overrides))


# ---- sandboxes ----------------------------------------------------------------------------


def bench_user_ids(count: int) -> list[str]:
    """Slack user ids of the benchmark's extra users: U0B00000, U0B00001, ..."""
    return [f"U0B{i:05d}" for i in range(count)]


def add_slack_users(sandbox: Sandbox, user_ids: Sequence[str]) -> None:
    for user_id in user_ids:
        name = user_id.lower()
        sandbox.slack.add_user(user_id, name=name, real_name=name, email=f"{name}@bench.test")


@asynccontextmanager
async def running_sandbox(slack_users: Sequence[str] = ()) -> AsyncIterator[Sandbox]:
    """The sandbox served on loopback in this process (for figures not about CPU or memory)."""
    sandbox = build_sandbox()
    add_slack_users(sandbox, slack_users)
    server = LoopbackServer(sandbox.app())
    sandbox.set_base_url(await server.start())
    try:
        yield sandbox
    finally:
        await server.stop()


def bench_team_ids(count: int) -> list[str]:
    """Team ids of the benchmark's installed workspaces (distributed mode): T0W0000, ..."""
    return [f"T0W{i:04d}" for i in range(count)]


def bench_bot_token(team_id: str) -> str:
    return f"xoxb-bench-{team_id}"


def _serve_sandbox(
    slack_users: int,
    astravue_latency: float,
    env_out: multiprocessing.Queue[dict[str, str]],
    workspaces: int = 0,
    token_lifespan: int | None = None,
) -> None:
    """Child process body: serve a sandbox until terminated."""
    logging.disable(logging.WARNING)

    async def serve() -> None:
        sandbox = build_sandbox()
        add_slack_users(sandbox, bench_user_ids(slack_users))
        for team_id in bench_team_ids(workspaces):
            sandbox.slack_oauth.add_static_token(bench_bot_token(team_id), team_id)
        sandbox.astravue_faults.latency = astravue_latency
        if token_lifespan is not None:
            sandbox.keycloak.settings.access_token_lifespan = token_lifespan
        server = LoopbackServer(sandbox.app())
        sandbox.set_base_url(await server.start())
        env_out.put(sandbox.env())
        assert server.task is not None
        await server.task

    asyncio.run(serve())


@contextmanager
def sandbox_process(
    slack_users: int,
    astravue_latency: float = 0.0,
    *,
    workspaces: int = 0,
    token_lifespan: int | None = None,
) -> Iterator[dict[str, str]]:
    """A sandbox in a child process, so this process's CPU time and memory are the app's alone.
    Yields the settings pointing at it. `workspaces`: that many installed teams whose bot
    tokens (`bench_bot_token`) its Slack fake accepts; `token_lifespan`: Keycloak's access
    token lifetime in seconds (its default, 300, when None)."""
    context = multiprocessing.get_context("spawn")
    env_out: multiprocessing.Queue[dict[str, str]] = context.Queue()
    child = context.Process(
        target=_serve_sandbox,
        args=(slack_users, astravue_latency, env_out, workspaces, token_lifespan),
        daemon=True,
    )
    child.start()
    try:
        yield env_out.get(timeout=60)
    finally:
        child.terminate()
        child.join(10)


def _serve_app(values: dict[str, Any], port: int) -> None:
    """Child process body: the app over HTTP, as `serve` runs it, until terminated."""
    logging.disable(logging.WARNING)
    from bot.web import create_app

    async def serve() -> None:
        server = LoopbackServer(create_app(load_settings(_env_file=None, **values)), port=port)
        await server.start()
        assert server.task is not None
        await server.task

    asyncio.run(serve())


@asynccontextmanager
async def app_process(values: dict[str, Any]) -> AsyncIterator[str]:
    """The app served by a child process, so load generated here does not share its CPU or
    event loop. Yields its base URL once `/healthz` answers."""
    port = free_port()
    child = multiprocessing.get_context("spawn").Process(
        target=_serve_app, args=(values, port), daemon=True
    )
    child.start()
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=1) as http:
            for _ in range(600):
                try:
                    if (await http.get(f"{url}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if not child.is_alive():
                    raise RuntimeError("the app process exited during start-up")
                await asyncio.sleep(0.05)
            else:
                raise RuntimeError("the app process did not answer /healthz within 30 s")
        yield url
    finally:
        child.terminate()
        child.join(10)


# ---- linked users -------------------------------------------------------------------------


async def password_grant(http: httpx.AsyncClient, auth_url: str, username: str) -> TokenSet:
    """Tokens for a sandbox Keycloak user, each call a new Keycloak session (own refresh
    chain), so links that share an Astravue user never spend each other's refresh tokens."""
    response = await http.post(
        f"{auth_url}/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "username": username,
            "password": "sandbox",
            "scope": "openid",
        },
    )
    response.raise_for_status()
    return TokenSet.from_response(response.json())


async def seed_links(
    runtime: Runtime,
    slack_user_ids: Sequence[str],
    *,
    last_seen_id: int | None = None,
    team_ids: Sequence[str] = (TEAM_ID,),
) -> list[int]:
    """Insert active links (with PollState due now) for these Slack users, as if each had
    connected: real sandbox tokens, sealed as the app seals them. Astravue identities cycle
    through `IDENTITIES`, Slack teams through `team_ids`. Returns the link ids."""
    auth_url = runtime.settings.astravue_auth_url
    limit = asyncio.Semaphore(GRANT_CONCURRENCY)
    async with httpx.AsyncClient(timeout=30) as http:

        async def grant(index: int) -> TokenSet:
            async with limit:
                return await password_grant(http, auth_url, IDENTITIES[index % len(IDENTITIES)][0])

        tokens = await asyncio.gather(*(grant(i) for i in range(len(slack_user_ids))))
    credentials = LinkCredentials(runtime.keyring)
    ids: list[int] = []
    for start in range(0, len(slack_user_ids), INSERT_BATCH):
        chunk = range(start, min(start + INSERT_BATCH, len(slack_user_ids)))
        async with session_scope(runtime.sessions) as session:
            now = utcnow()
            links = [
                AstravueLink(
                    team_id=team_ids[i % len(team_ids)],
                    slack_user_id=slack_user_ids[i],
                    status=LinkStatus.ACTIVE,
                    org_id=ORG_ID,
                    astravue_user_id=IDENTITIES[i % len(IDENTITIES)][1],
                    dm_channel_id="D" + slack_user_ids[i][1:],
                )
                for i in chunk
            ]
            session.add_all(links)
            await session.flush()  # ids are part of the ciphertexts' associated data
            for i, link in zip(chunk, links, strict=True):
                token = tokens[i]
                assert token.refresh_token is not None
                link.refresh_token_ct = credentials.seal(link, REFRESH, token.refresh_token)
                link.access_token_ct = credentials.seal(link, ACCESS, token.access_token)
                link.access_expires_at = now + timedelta(seconds=token.expires_in)
                link.refreshed_at = now
                session.add(
                    PollState(
                        link_id=link.id,
                        next_poll_at=now,
                        initialized=True,
                        last_seen_id=last_seen_id,
                    )
                )
            ids += [link.id for link in links]
    return ids


async def refreshed_since(runtime: Runtime, moment: Any) -> int:
    """Links whose tokens were refreshed at or after `moment` (Keycloak refresh grants)."""
    async with runtime.sessions() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(AstravueLink)
                .where(AstravueLink.refreshed_at >= moment)
            )
            or 0
        )


async def failed_polls(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(PollState).where(PollState.last_error.is_not(None))
            )
            or 0
        )
