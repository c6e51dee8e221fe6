"""`astravue-bot demo`: the terminal Slack simulator over the sandbox and the real app."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the demo's modules load the whole app: only `demo` itself imports them
    from bot.demo.stack import PrepareDatabase, StartScheduler


def add_demo_command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    prepare_database: PrepareDatabase,
    start_scheduler: StartScheduler,
) -> None:
    """The `demo` sub-command. `prepare_database` and `start_scheduler` are what `serve` runs
    (the CLI passes them: the demo stands outside the product and reaches neither itself)."""
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
    demo.set_defaults(
        func=cmd_demo, prepare_database=prepare_database, start_scheduler=start_scheduler
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from rich.console import Console

    from bot.logging import setup_logging

    setup_logging("WARNING")  # the app's info logs would bury the simulated Slack screen
    if args.workspaces:
        from bot.demo.workspaces import run_workspaces

        return asyncio.run(
            run_workspaces(Console(), args.workspaces, args.seed, args.prepare_database)
        )
    if args.script is None:
        from bot.demo.interactive import run_interactive

        return asyncio.run(
            run_interactive(
                Console(),
                prepare_database=args.prepare_database,
                start_scheduler=args.start_scheduler,
                user_id=args.user,
                seed=args.seed,
            )
        )
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
    return asyncio.run(
        run_script(
            lines,
            console,
            prepare_database=args.prepare_database,
            user_id=args.user,
            seed=args.seed,
        )
    )
