"""The `astravue-bot` command: serve, migrate, keys, manifest, api-probe, sandbox, demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from bot.config import ConfigError, Settings, load_settings
from bot.serving import prepare_database
from bot.workers import WORKERS_HELP, Entry, default_workers, serve_workers, worker_count

if TYPE_CHECKING:
    from bot.astravue.probe import ProbeReport
    from bot.demo.stack import Scheduler  # what serve and the demo do with the jobs: shut down
    from bot.listeners.ack_gate import AckBoard
    from bot.wiring import Runtime

log = logging.getLogger("bot.cli")


def _settings(**overrides: object) -> Settings:
    settings = load_settings(**overrides)
    from bot.logging import setup_logging

    setup_logging(settings.log_level, settings.log_format)
    from bot.logging import RedactionFilter

    for secret in (
        settings.slack_signing_secret,
        settings.astravue_client_secret,
        settings.slack_bot_token,
        settings.slack_client_secret,
        settings.slack_app_token,
        settings.metrics_token,
    ):
        if secret:
            RedactionFilter.register_secret(secret)
    return settings


# serve -----------------------------------------------------------------------------------------


async def _serve(
    settings: Settings,
    *,
    socket_mode: bool,
    listener: socket.socket | None = None,
    worker: int | None = None,
    ack_board: AckBoard | None = None,
) -> None:
    """One serving process, or worker `worker` of `serve --workers N` on the parent's socket."""
    import uvicorn

    from bot.startup_checks import bind_port, warn_at_start
    from bot.web import build_bolt, create_app
    from bot.wiring import build_runtime

    if listener is None:
        listener = bind_port(settings.port)  # first: a taken port is one line, before any work
        await prepare_database(settings)
    runtime = build_runtime(settings, ack_board)
    bolt = build_bolt(runtime)
    app = create_app(settings, runtime=runtime, bolt=bolt)
    config = uvicorn.Config(app, log_config=None, lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    scheduler = None
    tasks = [asyncio.create_task(server.serve(sockets=[listener]))]
    warn = warn_at_start(settings, socket_mode=socket_mode) if not worker else asyncio.sleep(0)
    checks = asyncio.create_task(warn)
    try:
        if settings.scheduler_enabled:
            scheduler = start_scheduler(runtime)
        if socket_mode and bolt is not None:
            from bot.socket import run_socket_mode

            tasks.append(asyncio.create_task(run_socket_mode(bolt, settings)))
        role = "" if worker is None else f" (worker {worker + 1}{', poller' if scheduler else ''})"
        log.info("serving on port %s%s%s", settings.port, " with Socket Mode" * socket_mode, role)
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        for task in [*tasks, checks]:
            task.cancel()
        await runtime.close()


def cmd_serve(args: argparse.Namespace) -> int:
    overrides: dict[str, object] = {}
    if args.port:
        overrides["port"] = args.port
    settings = _settings(**overrides)
    if args.socket_mode and not settings.slack_app_token:
        raise ConfigError(
            "--socket-mode needs SLACK_APP_TOKEN (an xapp- token with connections:write)."
        )
    if (workers := args.workers or default_workers()) > 1:
        entry = Entry(_settings, _serve, prepare_database)
        return serve_workers(entry, workers, settings, overrides, args.socket_mode)
    asyncio.run(_serve(settings, socket_mode=args.socket_mode))
    return 0


# migrate ---------------------------------------------------------------------------------------


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.db.session import database_revision, upgrade

    settings = _settings()
    upgrade(settings.database_url, args.revision)
    # What the database now records, not the target asked for: `migrate base` on a database
    # at head changes nothing (upgrade never goes down).
    print(f"database is at {database_revision(settings.database_url) or 'base (no schema)'}")
    return 0


# keys ------------------------------------------------------------------------------------------


def cmd_keys_new(args: argparse.Namespace) -> int:
    from bot.security.crypto import KeyringConfigError, generate_key_spec

    try:
        print(generate_key_spec(args.kid))
    except KeyringConfigError as exc:
        raise ConfigError(f"--kid: {exc}".replace("entry 1: ", "")) from None
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from bot.db.session import create_engine, create_sessionmaker
    from bot.services.credentials import LinkCredentials
    from bot.services.keys import rewrap_all
    from bot.slack.rekey import rewrap_installations
    from bot.slack.sealing import InstallationSeals
    from bot.wiring import resolve_keyring

    settings = _settings()

    async def run() -> tuple[int, int]:
        engine = create_engine(settings.database_url)
        try:
            keyring, sessions = resolve_keyring(settings), create_sessionmaker(engine)
            links = await rewrap_all(sessions, LinkCredentials(keyring), batch=args.batch)
            bots = await rewrap_installations(
                sessions, InstallationSeals(keyring), batch=args.batch
            )  # Slack installations' bot tokens (distributed mode)
            return links[0] + bots[0], links[1] + bots[1]
        finally:
            await engine.dispose()

    changed, failed = asyncio.run(run())
    print(
        f"re-encrypted {changed} row(s) under the primary key"
        + (f"; {failed} row(s) could not be decrypted with any configured key" if failed else "")
    )
    return 1 if failed else 0


# manifest --------------------------------------------------------------------------------------


def render_manifest(
    public_url: str, *, socket_mode: bool = False, app_url: str = "https://app.astravue.com"
) -> str:
    """The manifest for HTTP mode, or for Socket Mode: no request URLs, socket_mode_enabled.
    `app_url`'s host is the domain whose links the app unfurls."""
    from bot.domain.app_urls import app_host
    from bot.resources import manifest_template

    template = manifest_template().replace("{APP_DOMAIN}", app_host(app_url))
    if not socket_mode:
        return template.replace("{PUBLIC_URL}", public_url)
    lines = [
        line.replace("socket_mode_enabled: false", "socket_mode_enabled: true")
        for line in template.splitlines(keepends=True)
        if "{PUBLIC_URL}" not in line
    ]
    return "".join(lines)


def cmd_manifest(args: argparse.Namespace) -> int:
    settings = _settings()
    if not args.socket_mode and not settings.public_url.startswith("https://"):
        print(
            f"astravue-bot: warning: PUBLIC_URL is {settings.public_url}, but Slack only "
            "sends requests to https:// addresses: set PUBLIC_URL to this app's public HTTPS "
            "address, or use `manifest --socket-mode` and `serve --socket-mode`.",
            file=sys.stderr,
        )
    manifest = render_manifest(
        settings.public_url, socket_mode=args.socket_mode, app_url=settings.astravue_app_url
    )
    print(manifest, end="")
    return 0


# api-probe -------------------------------------------------------------------------------------


async def _probe_as_linked_user(
    settings: Settings, slack_user: str | None, write: bool
) -> ProbeReport:
    from sqlalchemy import select

    from bot.astravue.probe import run_probe
    from bot.db.models import AstravueLink, LinkStatus
    from bot.wiring import build_runtime

    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session:
            query = (
                select(AstravueLink)
                .where(AstravueLink.status == LinkStatus.ACTIVE, AstravueLink.org_id.is_not(None))
                .order_by(AstravueLink.updated_at.desc())
                .limit(1)
            )
            if slack_user:
                query = query.where(AstravueLink.slack_user_id == slack_user)
            link = await session.scalar(query)
        if link is None:
            who = f"Slack user {slack_user}" if slack_user else "any Slack user"
            raise ConfigError(
                f"no connected Astravue account (with an organisation) for {who}; "
                "connect one with /astravue connect, or pass --token and --org-id."
            )
        assert link.org_id is not None  # the query asked for one
        print(
            f"probing {settings.astravue_api_url} as the Astravue account linked to "
            f"{link.slack_user_id} (organisation {link.org_id})"
        )
        return await run_probe(
            base_url=settings.astravue_api_url,
            org_id=link.org_id,
            token=runtime.services.tokens.provider(link.id),
            write=write,
        )
    finally:
        await runtime.close()


READ_STDIN = "-"


def cmd_api_probe(args: argparse.Namespace) -> int:
    from bot.astravue.probe import run_probe

    settings = _settings()
    if args.token is not None:
        if args.org_id is None:
            raise ConfigError("--token needs --org-id (the X-Org-Id to send).")
        token = sys.stdin.readline().strip() if args.token == READ_STDIN else args.token
        print(
            f"probing {settings.astravue_api_url} with the given token (organisation {args.org_id})"
        )
        report = asyncio.run(
            run_probe(
                base_url=settings.astravue_api_url,
                org_id=args.org_id,
                token=token,
                write=args.write,
            )
        )
    else:
        report = asyncio.run(_probe_as_linked_user(settings, args.slack_user, args.write))
    print(report.table())
    return 0 if report.ok else 1


# parser ----------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="astravue-bot",
        description="Astravue for Slack: tasks, timers and notifications from Astravue in Slack.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser(
        "serve",
        help="run the web server (and the notification poller)",
        description="Serve /slack/events, the OAuth routes and health checks. "
        "With the embedded SQLite default the schema is migrated first.",
    )
    serve.add_argument(
        "--socket-mode",
        action="store_true",
        help="receive Slack requests over Socket Mode (needs SLACK_APP_TOKEN)",
    )
    serve.add_argument("--port", type=int, help="HTTP port (default: PORT or 3000)")
    serve.add_argument("--workers", type=worker_count, metavar="N", help=WORKERS_HELP)
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser(
        "migrate",
        help="upgrade the database schema (Alembic)",
        description="Upgrade DATABASE_URL's schema to the latest revision.",
    )
    migrate.add_argument("revision", nargs="?", default="head", help="target (default: head)")
    migrate.set_defaults(func=cmd_migrate)

    keys = sub.add_parser(
        "keys",
        help="token encryption keys",
        description="Make a key, or re-encrypt stored tokens after a rotation.",
    )
    keys_sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    keys_new = keys_sub.add_parser(
        "new",
        help="print a fresh key for TOKEN_ENCRYPTION_KEYS",
        description="Print kid:base64key. To rotate, put it FIRST in TOKEN_ENCRYPTION_KEYS, "
        "keep the old key after it, then run `keys rotate`.",
    )
    keys_new.add_argument(
        "--kid", help="the key id (default: today's date and a random suffix, unique every time)"
    )
    keys_new.set_defaults(func=cmd_keys_new)
    keys_rotate = keys_sub.add_parser(
        "rotate",
        help="re-encrypt every stored token under the primary (first) key",
        description="Re-encrypt stored tokens under the first key of TOKEN_ENCRYPTION_KEYS and "
        "report how many rows changed. Afterwards the old key can be removed.",
    )
    keys_rotate.add_argument("--batch", type=int, default=200, help="rows per transaction")
    keys_rotate.set_defaults(func=cmd_keys_rotate)

    manifest = sub.add_parser(
        "manifest",
        help="print the Slack app manifest for PUBLIC_URL",
        description="Print manifest.yml with PUBLIC_URL filled in.",
    )
    manifest.add_argument(
        "--socket-mode",
        action="store_true",
        help="the Socket Mode variant: no request URLs (needs SLACK_APP_TOKEN)",
    )
    manifest.set_defaults(func=cmd_manifest)

    probe = sub.add_parser(
        "api-probe",
        help="check the client's assumptions against the live Astravue API",
        description="Call every read-only Astravue operation (and with --write a create-update-"
        "delete round trip on a scratch personal task and a 1-minute time entry, both removed) "
        "as one user, and print each operation's status, the shape it saw and which "
        "assumption held or broke. Exit status 0 only when every assumption held. Tokens are "
        "never printed.",
    )
    probe.add_argument(
        "--slack-user",
        metavar="U...",
        help="probe as this Slack user's linked account (default: the most recently active link)",
    )
    probe.add_argument(
        "--token",
        metavar="TOKEN",
        help="an Astravue access token instead of a linked user's ('-' reads it "
        "from standard input, keeping it out of the process list)",
    )
    probe.add_argument("--org-id", type=int, help="the organisation id to send with --token")
    probe.add_argument(
        "--write",
        action="store_true",
        help="also create, update and delete a scratch task and a time entry",
    )
    probe.set_defaults(func=cmd_api_probe)

    from bot.demo.cli import add_demo_command  # the CLI alone imports the fakes and the demo
    from bot.sandbox.cli import add_sandbox_commands

    add_sandbox_commands(sub)
    add_demo_command(sub, prepare_database, start_scheduler)
    return parser


def start_scheduler(runtime: Runtime) -> Scheduler:  # the jobs of serve and the demo
    from bot.scheduler import start_scheduler as start  # on use: it loads apscheduler

    return cast("Scheduler", start(runtime))  # apscheduler is untyped


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"astravue-bot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
