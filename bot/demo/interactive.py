"""Interactive mode: the demo user types at the keyboard; a teammate acts now and then."""

from __future__ import annotations

import asyncio
import contextlib

from rich.console import Console
from rich.text import Text

from bot.demo.session import DemoSession
from bot.demo.stack import PrepareDatabase, StartScheduler, running_stack
from bot.demo.surfaces import INPUTS_HELP

TEAMMATE_EVERY = 45.0  # seconds between a sandbox teammate's changes in interactive mode


async def run_interactive(
    console: Console,
    *,
    prepare_database: PrepareDatabase,
    start_scheduler: StartScheduler,
    user_id: str = "U0MARIA",
    seed: int = 7,
) -> int:
    async with running_stack(
        prepare_database=prepare_database, start_scheduler=start_scheduler
    ) as stack:

        async def ask(label: str) -> str:
            return await asyncio.to_thread(console.input, f"  {label}: ")

        session = DemoSession(
            stack, console, user_id=user_id, seed=seed, tick_notifications=False, ask=ask
        )
        console.print(
            Text(
                f"Astravue demo: you are {user_id} in the sandbox Slack workspace; "
                "the app, Astravue and Keycloak run locally.",
                style="bold",
            )
        )
        console.print(Text(INPUTS_HELP, style="dim"))
        await _run(session, "/astravue connect")
        teammate = asyncio.create_task(_teammate_now_and_then(session))
        try:
            while True:
                try:
                    line = await asyncio.to_thread(console.input, f"[bold]{user_id} > [/]")
                except (EOFError, KeyboardInterrupt):
                    break
                if line.strip().lower() in ("quit", "exit"):
                    break
                await _run(session, line, echo=False)
        finally:
            teammate.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await teammate
    return 0


async def _run(session: DemoSession, line: str, *, echo: bool = True) -> None:
    """One input; `echo` shows inputs the demo types for the user (the terminal shows theirs)."""
    async with session.lock:
        if echo:
            session.console.print(Text(f"> {line}", style="dim"))
        await session.handle(line)


async def _teammate_now_and_then(session: DemoSession) -> None:
    while True:
        await asyncio.sleep(TEAMMATE_EVERY)
        await _run(session, "teammate")
