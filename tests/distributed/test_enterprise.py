"""Enterprise Grid: an org-wide install serves every workspace of the org, and a user's
link follows them into each of its workspaces."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import select, update

from bot.db.models import AstravueLink, PollState, SlackInstallation
from bot.sandbox.stack import Stack
from tests.distributed.conftest import command, connect_in, install
from tests.scenario.conftest import eventually, text_of

ORG = "E0GRID"
DEV = 2  # Dev's Astravue user id in the sandbox


async def test_org_wide_install_and_a_link_valid_in_every_workspace_of_the_org(
    dist: Stack,
) -> None:
    oauth, fake = dist.sandbox.slack_oauth, dist.sandbox.slack
    oauth.add_workspace(
        ORG, "Grid Org", enterprise_id=ORG, enterprise_name="Grid Org", org_wide=True
    )
    fake.add_user("W0ZOE", name="zoe", real_name="Dev Patel", email="dev@acme.test", tz="UTC")
    page = await install(dist, ORG)
    assert page.status_code == 200 and "organisation <b>Grid Org</b>" in page.text
    async with dist.runtime.sessions() as session:
        row = await session.scalar(select(SlackInstallation))
    assert row is not None and row.is_enterprise_install
    assert (row.enterprise_id, row.team_id) == (ORG, "")

    await connect_in(dist, "W0ZOE", "dev", team_id="T0GRIDA", enterprise_id=ORG)
    async with dist.runtime.sessions() as session:
        link = await session.scalar(select(AstravueLink))
    assert link is not None and (link.team_id, link.slack_user_id) == (ORG, "W0ZOE")

    # In another workspace of the org the same person is already connected.
    before = len(fake.responses)
    answer, _ = await command(dist, "W0ZOE", "whoami", team_id="T0GRIDB", enterprise_id=ORG)
    assert answer.status_code == 200
    reply = await eventually(lambda: [p for p in fake.responses[before:] if p.user == "W0ZOE"])
    assert "dev@acme.test" in text_of(reply[-1].payload), text_of(reply[-1].payload)

    # Background DMs go out with the org's token.
    poller = dist.runtime.services.poller
    await poller.tick()
    dist.sandbox.astravue.simulate_teammate_activity(DEV, random.Random(2))
    async with dist.runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(next_poll_at=datetime.now(UTC)))
    await poller.tick()
    posts = [c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == "D0ZOE"]
    assert posts and {c.team for c in posts} == {ORG}
    assert {c.team for c in fake.calls} == {ORG}
