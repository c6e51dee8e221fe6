"""`astravue-bot sandbox` (and `demo`): local fakes of Astravue, Keycloak and Slack."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path


def add_sandbox_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sandbox = sub.add_parser(
        "sandbox",
        help="serve local fakes of Astravue, Keycloak and the Slack Web API",
        description="Serve the sandbox (in-memory Astravue with seed data, Keycloak, Slack Web "
        "API) on one loopback port, and print the settings that point the app at it.",
    )
    sandbox.add_argument("--port", type=int, default=4000, help="port (default 4000)")
    sandbox.set_defaults(func=cmd_sandbox)

    demo = sub.add_parser(
        "demo",
        help="try the app in a terminal Slack simulator (no Slack needed)",
        description="Start the sandbox and the real app on loopback ports with a temporary "
        "database, and act as one sandbox Slack user: type slash commands, click buttons by "
        "number, fill modals, open the App Home. With --script, run a file of inputs and print "
        "the transcript.",
    )
    demo.add_argument(
        "--user",
        default="U0MARIA",
        choices=["U0MARIA", "U0DEV", "U0SAM", "U0GINA", "U0NOBODY"],
        help="the Slack user you play (default U0MARIA)",
    )
    demo.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        help="run these inputs (one per line) instead of reading the keyboard",
    )
    demo.add_argument("--seed", type=int, default=7, help="seed of the teammate's changes")
    demo.add_argument(
        "--workspaces",
        type=int,
        choices=[1, 2],
        help="walk through distributed mode: this many workspaces install the app with Add "
        "to Slack, a person in each connects and gets a DM with their workspace's token",
    )
    demo.set_defaults(func=cmd_demo)


def cmd_sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox.server import LoopbackServer, build_sandbox

    async def run() -> None:
        sandbox = build_sandbox()
        server = LoopbackServer(sandbox.app(), port=args.port)
        sandbox.set_base_url(server.url)
        await server.start()
        print(f"sandbox serving on {server.url}; to point the app at it:")
        for key, value in sandbox.env().items():
            print(f"  export {key}={value}")
        print("Sandbox users sign in as maria, dev, sam, gina (password: sandbox). Ctrl-C stops.")
        assert server.task is not None
        await server.task

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from rich.console import Console

    from bot.logging import setup_logging

    setup_logging("WARNING")  # the app's info logs would bury the simulated Slack screen
    if args.workspaces:
        from bot.demo.workspaces import run_workspaces

        return asyncio.run(run_workspaces(Console(), args.workspaces, args.seed))
    if args.script is None:
        from bot.demo import run_interactive

        return asyncio.run(run_interactive(Console(), user_id=args.user, seed=args.seed))
    from bot.demo.script import run_script, script_lines

    try:
        lines = script_lines(args.script.read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"astravue-bot demo: cannot read {args.script}: {exc.strerror}", file=sys.stderr)
        return 2
    console = (
        Console(width=100)
        if sys.stdout.isatty()
        else Console(width=100, no_color=True, highlight=False)
    )
    return asyncio.run(run_script(lines, console, user_id=args.user, seed=args.seed))
