"""Two installed workspaces end to end: each user's DMs go out with their own workspace's
token; an uninstalled workspace gets nothing more; a reinstall restores it."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import select, update

from bot.db.models import AstravueLink, LinkStatus, PollState
from bot.sandbox.stack import Stack
from tests.distributed.conftest import ACME, BETA, connect_in, deliver_event, install, until

MARIA, DEV = 1, 2  # Astravue user ids of the sandbox


async def _due_now(stack: Stack) -> None:
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(next_poll_at=datetime.now(UTC)))


async def _poll(stack: Stack) -> None:
    await _due_now(stack)
    await stack.runtime.services.poller.tick()


def posts_to(stack: Stack, channel: str) -> list[str | None]:
    """The team whose token made each chat.postMessage into `channel`."""
    return [
        call.team
        for call in stack.sandbox.slack.calls_to("chat.postMessage")
        if call.args.get("channel") == channel or call.args.get("channel") == "U" + channel[1:]
    ]


async def two_linked_workspaces(stack: Stack) -> None:
    stack.sandbox.slack.add_user(
        "U0DEVB", name="devb", real_name="Dev Patel", email="dev@acme.test", tz="UTC"
    )
    await install(stack, ACME)
    await install(stack, BETA)
    await connect_in(stack, "U0MARIA", "maria", team_id=ACME)
    await connect_in(stack, "U0DEVB", "dev", team_id=BETA)
    await _poll(stack)  # the first poll of each: at most a summary


async def test_each_user_gets_dms_with_their_own_workspace_token(dist: Stack) -> None:
    await two_linked_workspaces(dist)
    astravue = dist.sandbox.astravue
    before_maria, before_dev = len(posts_to(dist, "D0MARIA")), len(posts_to(dist, "D0DEVB"))
    astravue.simulate_teammate_activity(MARIA, random.Random(3))
    astravue.simulate_teammate_activity(DEV, random.Random(4))
    await _poll(dist)
    maria, dev = posts_to(dist, "D0MARIA"), posts_to(dist, "D0DEVB")
    assert len(maria) > before_maria and len(dev) > before_dev
    assert set(maria) == {ACME} and set(dev) == {BETA}
    # Every call the app made, listeners and poller alike, used an installed team's token.
    assert {call.team for call in dist.sandbox.slack.calls} <= {ACME, BETA}
    assert dist.sandbox.slack_oauth.stale_token_uses == {}


async def test_uninstalled_workspace_gets_no_call_and_a_reinstall_restores(dist: Stack) -> None:
    await two_linked_workspaces(dist)
    oauth, fake = dist.sandbox.slack_oauth, dist.sandbox.slack
    event = oauth.uninstall(BETA)
    assert (await deliver_event(dist, event, team_id=BETA)).status_code == 200

    async def beta_status() -> LinkStatus:
        async with dist.runtime.sessions() as session:
            link = await session.scalar(
                select(AstravueLink).where(AstravueLink.slack_user_id == "U0DEVB")
            )
            assert link is not None
            return link.status

    await until(lambda: beta_status(), LinkStatus.SUSPENDED)  # the lazy listener ran
    calls_before = len(fake.calls)
    dist.sandbox.astravue.simulate_teammate_activity(DEV, random.Random(5))
    dist.sandbox.astravue.simulate_teammate_activity(MARIA, random.Random(6))
    await _poll(dist)
    new_calls = fake.calls[calls_before:]
    assert new_calls and {call.team for call in new_calls} == {ACME}
    assert oauth.stale_token_uses == {}  # nothing was even tried with BETA's old token
    # A command from the uninstalled workspace is not authorized (Bolt answers for us).
    from tests.distributed.conftest import command

    answer, _ = await command(dist, "U0DEVB", "help", team_id=BETA)
    assert answer.status_code == 200 and oauth.stale_token_uses == {}

    await install(dist, BETA)  # reinstall: the link works again, with the new token
    assert await beta_status() == LinkStatus.ACTIVE
    dist.sandbox.astravue.simulate_teammate_activity(DEV, random.Random(7))
    before = len(posts_to(dist, "D0DEVB"))
    await _poll(dist)
    assert len(posts_to(dist, "D0DEVB")) > before
    new_token = oauth.tokens_of(BETA)[-1]
    assert (await dist.runtime.team_clients.for_team(BETA)).token == new_token
