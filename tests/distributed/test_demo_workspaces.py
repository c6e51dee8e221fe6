"""`astravue-bot demo --workspaces 2` runs its walkthrough to the end."""

from __future__ import annotations

from rich.console import Console

from bot.cli import prepare_database
from bot.demo.workspaces import run_workspaces


async def test_two_workspace_walkthrough() -> None:
    console = Console(record=True, width=120, color_system=None)
    assert await run_workspaces(console, 2, 7, prepare_database) == 0
    out = console.export_text()
    assert "installed in the Slack workspace Acme" in out
    assert "installed in the Slack workspace Beta" in out
    assert "DM to D0MARIA, sent with T0ACME's bot token" in out
    assert "DM to D0DEVB, sent with T0BETA's bot token" in out
    assert "calls for Beta since: 0; tries with its old token: 0" in out
