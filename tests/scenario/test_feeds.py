"""Project feeds end to end: signed `/astravue feed|feeds|unfeed` requests through the real
app, the feed job reading the sandbox Astravue over HTTP and posting to the sandbox Slack."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.db.feed_models import FeedSubscription
from bot.db.models import AstravueLink, LinkStatus
from bot.sandbox.stack import Stack
from tests.scenario.conftest import buttons, connect, eventually, last_response, text_of
from tests.scenario.feeds_helpers import (
    DEV,
    SAM,
    command,
    fast_poller,
    feed_posts,
    post_counts,
    project_id,
    subscriptions,
    task_id,
    tick,
)


async def test_subscribe_list_and_remove_by_command_and_button(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    said = await command(stack, "U0MARIA", "feed Website")
    assert "now follows *Website*" in said and "09:00" in said
    announced = stack.sandbox.slack.messages_in("C0GENERAL")
    assert any("subscribed this channel to *Website*" in text_of(m.as_slack()) for m in announced)

    said = await command(stack, "U0MARIA", "feed Launch <#C0LAUNCH|launch> --no-digest")
    assert "<#C0LAUNCH> now follows *Launch*" in said and "no daily digest" in said
    [launch] = [s for s in await subscriptions(stack) if s.channel_id == "C0LAUNCH"]
    assert launch.project_id == project_id(stack, "Launch") and launch.digest_time is None

    listing = await command(stack, "U0DEV", "feeds")  # anyone in the channel may list
    assert "*Website*" in listing and "Launch" not in listing
    assert await command(stack, "U0DEV", "unfeed Website") == "Feed of Website removed\n" + (
        "<#C0GENERAL> no longer follows *Website*."
    )
    assert "follows no project" in await command(stack, "U0DEV", "feeds")
    assert "doesn't follow a project called “Website”" in await command(
        stack, "U0DEV", "unfeed Website"
    )

    await command(stack, "U0MARIA", "feed Website --digest 8:30")
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").command("feeds")
    listing_payload = await last_response(stack, "U0MARIA", before)
    remove = buttons(listing_payload)["feeds.remove"]
    assert "digest at 08:30" in text_of(listing_payload)
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").click("feeds.remove", remove["value"], message=listing_payload)
    assert "no longer follows *Website*" in text_of(await last_response(stack, "U0MARIA", before))
    assert [s.channel_id for s in await subscriptions(stack)] == ["C0LAUNCH"]


async def test_bad_arguments_get_usage_not_an_error(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    assert "needs a time like 09:00" in await command(
        stack, "U0MARIA", "feed Website --digest 25:00"
    )
    assert "Which project?" in await command(stack, "U0MARIA", "feed --no-digest")
    assert "Run the command in that channel" in await command(
        stack, "U0MARIA", "feed Website #random"
    )
    assert await subscriptions(stack) == []


async def test_only_someone_who_can_see_the_project_can_subscribe(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    onboarding = project_id(stack, "Onboarding")  # Other Co's project: Maria can't see it
    assert "No project matches “Onboarding”" in await command(stack, "U0MARIA", "feed Onboarding")
    assert f"No project matches “{onboarding}”" in await command(
        stack, "U0MARIA", f"feed {onboarding}"
    )
    assert await subscriptions(stack) == []
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0SAM").command("feed Website")  # not connected: the connect prompt
    assert "account.connect" in buttons(await last_response(stack, "U0SAM", before))
    assert await subscriptions(stack) == []


async def test_bot_not_in_the_channel_says_how_to_add_it(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    stack.sandbox.slack.bot_channels = {"C0GENERAL"}
    said = await command(stack, "U0MARIA", "feed Website", channel="C0RANDOM")
    assert "not a member" in said and "/invite @Astravue" in said
    assert await subscriptions(stack) == []
    assert "/invite @Astravue" in await command(stack, "U0MARIA", "feed Website <#C0SECRET|secret>")
    assert "now follows" in await command(stack, "U0MARIA", "feed Website")  # a member here


async def test_first_read_posts_nothing_then_each_change_once(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    await command(stack, "U0MARIA", "feed Website --no-digest")
    poller = fast_poller(stack)
    assert await tick(stack, poller) == 1
    assert feed_posts(stack, "C0GENERAL") == []  # the first read only records the snapshot

    state, website = stack.sandbox.astravue, project_id(stack, "Website")
    made = state.create_task(DEV, "Write the feed docs", project_id=website, owners=[DEV])
    state.update_task(DEV, task_id(stack, "Fix login redirect loop"), status="Done")
    state.update_task(SAM, task_id(stack, "Migrate blog to new CMS"), status="To Do")
    state.update_task(SAM, task_id(stack, "Update pricing page copy"), owners=[1, SAM])
    cookie = task_id(stack, "Add cookie consent banner")
    old_due = state.tasks[cookie].due_date
    assert old_due is not None
    state.update_task(SAM, cookie, due_date=old_due + timedelta(days=2))
    await tick(stack, poller)
    keys = [body["change_key"] for body in feed_posts(stack, "C0GENERAL")]
    assert sorted(k.split(":")[0] for k in keys) == [
        "assigned",
        "completed",
        "created",
        "due_changed",
        "reopened",
    ]
    assert f"created:{made.task_id}:1" in keys
    texts = [text_of(m.as_slack()) for m in stack.sandbox.slack.messages_in("C0GENERAL")]
    assert any("Write the feed docs" in t and "was created by Dev Patel" in t for t in texts)
    assert any("assigned to Sam Kim" in t for t in texts)

    await tick(stack, poller)
    await tick(stack, poller)
    counts = post_counts(stack, "C0GENERAL")
    assert len(counts) == 5 and set(counts.values()) == {1}

    state.update_task(DEV, task_id(stack, "Fix login redirect loop"), status="To Do")
    await tick(stack, poller)
    assert len(post_counts(stack, "C0GENERAL")) == 6  # reopened again: a new change


async def test_daily_digest_of_due_and_overdue_tasks_is_posted_once(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    await command(stack, "U0MARIA", "feed Website --digest 00:00")
    poller = fast_poller(stack)
    await tick(stack, poller)  # first read: today's 00:00 digest counts as done
    assert feed_posts(stack, "C0GENERAL") == []
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(FeedSubscription).values(last_digest_day="2000-01-01"))
    await tick(stack, poller)
    await tick(stack, poller)
    [digest] = feed_posts(stack, "C0GENERAL")
    assert digest["change_key"].startswith("digest:")
    [message] = [m for m in stack.sandbox.slack.messages_in("C0GENERAL") if m.metadata]
    text = text_of(message.as_slack())
    assert "Website: due today and overdue" in text and "Fix login redirect loop" in text
    assert "Migrate blog to new CMS" not in text  # done


async def test_a_broken_link_pauses_the_feeds_with_one_dm_and_reconnecting_resumes(
    stack: Stack,
) -> None:
    await connect(stack, "U0MARIA")
    await command(stack, "U0MARIA", "feed Website --no-digest")
    await command(stack, "U0MARIA", "feed Launch <#C0LAUNCH|launch> --no-digest")
    poller = fast_poller(stack)
    await tick(stack, poller)
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(
            update(AstravueLink).values(status=LinkStatus.NEEDS_RELINK, relink_reason="test")
        )
    website = project_id(stack, "Website")
    stack.sandbox.astravue.create_task(DEV, "Made while paused", project_id=website)
    for _ in range(3):
        await tick(stack, poller)
    dms = [m for m in stack.sandbox.slack.dm_messages("U0MARIA") if "feeds are paused" in m.text]
    assert len(dms) == 1, "one DM for the subscriber, whatever the number of feeds"
    dm = text_of(dms[0].as_slack())
    assert "*Website* in <#C0GENERAL>" in dm and "*Launch* in <#C0LAUNCH>" in dm
    assert "/astravue connect" in dm
    assert feed_posts(stack, "C0GENERAL") == []
    assert all(s.paused_at is not None for s in await subscriptions(stack))
    listing = await command(stack, "U0DEV", "feeds")
    assert "paused" in listing

    await connect(stack, "U0MARIA")  # reconnect
    await tick(stack, poller)
    assert all(s.paused_at is None for s in await subscriptions(stack))
    await eventually(lambda: feed_posts(stack, "C0GENERAL"))
    texts = [text_of(m.as_slack()) for m in stack.sandbox.slack.messages_in("C0GENERAL")]
    assert any("Made while paused" in t for t in texts)  # nothing is lost while paused
    await tick(stack, poller)
    assert (
        len([m for m in stack.sandbox.slack.dm_messages("U0MARIA") if "feeds are paused" in m.text])
        == 1
    )


async def test_help_lists_the_feed_commands(stack: Stack) -> None:
    # The short help names ten top commands; the projects area lists the feed commands.
    said = text_of((await stack.user("U0MARIA").command("help projects")).json())
    assert "feed &lt;project&gt; [#channel] [--digest 09:00|--no-digest]" in said
    assert "`/astravue feeds`" in said and "unfeed &lt;project&gt;" in said
