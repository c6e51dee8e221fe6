"""Scripted mode: run a file of demo inputs without a terminal and print the transcript."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.text import Text

from bot.demo.session import DemoSession
from bot.demo.stack import PrepareDatabase, running_stack


def script_lines(text: str) -> list[str]:
    """The inputs of a script: one per line; blank lines and `# comments` skipped."""
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


async def run_script(
    lines: Iterable[str],
    console: Console,
    *,
    prepare_database: PrepareDatabase,
    user_id: str = "U0MARIA",
    seed: int = 7,
) -> int:
    """Run each input as the demo user typed it; 0 when every step worked, else 1.

    `prepare_database` migrates the demo's database (the CLI passes what `serve` runs)."""
    async with running_stack(prepare_database=prepare_database) as stack:
        session = DemoSession(stack, console, user_id=user_id, seed=seed)
        for line in lines:
            console.print(Text(f"{user_id} > {line}", style="bold"))
            await session.handle(line)
        if session.problems:
            console.print(Text(f"{session.problems} step(s) did not work.", style="bold red"))
        return 1 if session.problems else 0
