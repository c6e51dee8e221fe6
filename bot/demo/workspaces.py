"""`astravue-bot demo --workspaces N`: the app in distributed mode over the sandbox, walked
through for N workspaces: each installs the app with "Add to Slack" (the browser's OAuth
steps shown like the Astravue connect), one person in each connects, a teammate changes
something in Astravue, and each person's DM arrives sent with their own workspace's token.
Finally the last workspace uninstalls the app and nothing more is sent to it."""

from __future__ import annotations

import asyncio
import html
import random
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.text import Text

from bot.demo.render import render_surface
from bot.demo.stack import NOTIFY_POLL_SECONDS, PrepareDatabase
from bot.sandbox.slack_install import install_workspace
from bot.sandbox.slack_requests import SIGNING_SECRET, SlackClientSim, event_callback, slash_command
from bot.sandbox.stack import Stack, start_stack
from bot.slack.clients import TeamNotInstalled


@dataclass(frozen=True)
class Seat:
    """A workspace and the one person in it the demo follows."""

    team_id: str
    name: str
    user_id: str  # their Slack user
    person: str
    login: str  # their Astravue sign-in (the sandbox's Keycloak)
    astravue_id: int


WORKSPACES = (
    Seat("T0ACME", "Acme", "U0MARIA", "Maria Lopez", "maria", 1),
    Seat("T0BETA", "Beta", "U0DEVB", "Dev Patel", "dev", 2),
)


def _page_text(body: str) -> str:
    text = re.sub(r"<h1>(.*?)</h1>", r"\1: ", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<title>.*?</title>", "", text)))


def _say(console: Console, text: str, style: str = "") -> None:
    console.print(Text(text, style=style))


async def run_workspaces(
    console: Console, count: int, seed: int, prepare_database: PrepareDatabase
) -> int:
    chosen = WORKSPACES[: max(1, min(count, len(WORKSPACES)))]
    with tempfile.TemporaryDirectory(prefix="astravue-demo-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        stack = await start_stack(
            url,
            distributed=True,
            prepare_database=prepare_database,
            notify_poll_seconds=NOTIFY_POLL_SECONDS,
        )
        try:
            fake = stack.sandbox.slack
            for seat in chosen:
                stack.sandbox.slack_oauth.add_workspace(seat.team_id, seat.name)
                if seat.user_id not in fake.users:
                    email = f"{seat.login}@acme.test"  # the same person as in Astravue
                    fake.add_user(seat.user_id, name=seat.login, real_name=seat.person, email=email)
            _say(
                console,
                f"Astravue for Slack in distributed mode, {len(chosen)} workspaces.",
                "bold",
            )
            for seat in chosen:
                await _install(console, stack, seat.team_id, seat.name)
                await _connect(console, stack, seat.team_id, seat.user_id, seat.login)
            await _notify(console, stack, chosen, random.Random(seed))
            if len(chosen) > 1:
                await _uninstall(console, stack, chosen[-1], random.Random(seed + 1))
        finally:
            await stack.stop()
    return 0


async def _install(console: Console, stack: Stack, team_id: str, name: str) -> None:
    _say(console, f"\n[{name}] an admin opens {stack.app_url}/slack/install", "bold cyan")
    visit = await install_workspace(stack.app_url, team_id)
    authorize = urlsplit(visit.authorize_url)
    _say(console, f"  Add to Slack -> {authorize.scheme}://{authorize.netloc}{authorize.path}")
    _say(console, f"  approves in Slack -> {stack.app_url}/slack/oauth_redirect?code=...&state=...")
    if visit.result is not None:
        _say(console, "  " + " ".join(_page_text(visit.result.text).split()), "green")


async def _connect(console: Console, stack: Stack, team_id: str, user_id: str, login: str) -> None:
    fake = stack.sandbox.slack
    _say(console, f"[{team_id}] {user_id} types /astravue connect", "bold cyan")
    before = len(fake.responses)
    async with SlackClientSim(stack.app_url, SIGNING_SECRET, fake, user_id) as sim:
        await sim.post(
            slash_command(
                "connect",
                user_id=user_id,
                team_id=team_id,
                trigger_id=fake.new_trigger_id(user_id),
                response_url=fake.new_response_url("C0GENERAL", user_id),
            )
        )
    for _ in range(250):
        posts = [p for p in fake.responses[before:] if p.user == user_id]
        if posts:
            break
        await asyncio.sleep(0.02)
    url = next(
        element["url"]
        for block in posts[-1].payload.get("blocks") or []
        for element in block.get("elements") or []
        if element.get("action_id") == "account.connect"
    )
    page = await stack.follow_connect(url, login)
    _say(console, "  " + " ".join(_page_text(page.text).split())[:160], "green")


async def _poll(stack: Stack) -> None:
    """One poll of every link, as the scheduler runs it once they are due again."""
    for _ in range(4 * NOTIFY_POLL_SECONDS):
        if await stack.runtime.services.poller.tick():
            return
        await asyncio.sleep(0.5)


async def _notify(
    console: Console, stack: Stack, chosen: tuple[Seat, ...], rng: random.Random
) -> None:
    fake = stack.sandbox.slack
    await _poll(stack)  # first polls: what is there already counts as seen
    _say(console, "\nTeammates change things in Astravue; the poller runs once.", "bold")
    seen = len(fake.calls)
    for seat in chosen:
        stack.sandbox.astravue.simulate_teammate_activity(seat.astravue_id, rng)
    await _poll(stack)
    for call in fake.calls[seen:]:
        if call.method != "chat.postMessage":
            continue
        channel = str(call.args.get("channel"))
        payload = {"text": call.args.get("text"), "blocks": call.args.get("blocks")}
        title = f"DM to {channel}, sent with {call.team}'s bot token"
        console.print(render_surface(title, payload, border="magenta").renderable)


async def _uninstall(console: Console, stack: Stack, last: Seat, rng: random.Random) -> None:
    team_id, name, user_id, astravue_id = last.team_id, last.name, last.user_id, last.astravue_id
    oauth, fake = stack.sandbox.slack_oauth, stack.sandbox.slack
    _say(console, f"\n[{name}] uninstalls the app; Slack sends app_uninstalled.", "bold cyan")
    async with SlackClientSim(stack.app_url, SIGNING_SECRET, fake, user_id) as sim:
        await sim.post(event_callback(oauth.uninstall(team_id), team_id=team_id))
    for _ in range(250):  # until the lazy listener has ended the installation
        try:
            await stack.runtime.team_clients.for_team(team_id)
        except TeamNotInstalled:
            break
        await asyncio.sleep(0.02)
    seen = len(fake.calls)
    stack.sandbox.astravue.simulate_teammate_activity(astravue_id, rng)
    await _poll(stack)
    sent_there = [c for c in fake.calls[seen:] if c.team == team_id]
    tried = oauth.stale_token_uses.get(team_id, 0)
    _say(
        console,
        f"  calls for {name} since: {len(sent_there)}; tries with its old token: {tried}. "
        f"{user_id}'s Astravue link is kept, disabled, for 30 days: a reinstall restores it.",
        "green",
    )
