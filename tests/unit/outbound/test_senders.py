"""The outbound senders: what they post, with which team's client, and that a team without
an installation gets nothing (its user is skipped, nothing raised at the relink)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.astravue.models import NotificationDto, TimerData
from bot.domain.notifications import NotificationCard
from bot.outbound.messenger import Messenger
from bot.outbound.notifications import NotificationOutbox
from bot.outbound.relink import RelinkSender
from bot.outbound.rescue import RescueSender
from bot.slack.clients import TeamNotInstalled
from bot.ui.notifications import EVENT_TYPE
from tests.unit.services.fakes import LINK


class RecordingClient:
    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []

    async def chat_postMessage(self, **message: Any) -> dict[str, Any]:
        self.posts.append(message)
        return {"ok": True, "ts": f"{len(self.posts)}.000100"}


class Clients:
    """TeamClients over one recording client, for the installed teams only."""

    def __init__(self, *installed: str) -> None:
        self.client = RecordingClient()
        self.installed = set(installed)
        self.asked: list[str] = []

    async def for_team(self, team_id: str, enterprise_id: str | None = None) -> Any:
        self.asked.append(team_id)
        if team_id not in self.installed:
            raise TeamNotInstalled(team_id, enterprise_id)
        return self.client


async def _no_wait(seconds: float) -> None:
    return None


async def test_a_notification_card_is_posted_with_metadata_naming_it() -> None:
    clients = Clients("T1")
    outbox = NotificationOutbox(clients, Messenger(sleep=_no_wait))
    checked: list[bool] = []

    async def before_send() -> None:
        checked.append(True)

    card = NotificationCard(NotificationDto(notification_id=77, message="Maria commented"))
    ts = await outbox.send_card("T1", "D1", card, link_id=5, before_send=before_send)
    assert ts == "1.000100" and checked == [True] and clients.asked == ["T1"]
    (post,) = clients.client.posts
    assert post["channel"] == "D1" and post["blocks"]
    assert post["metadata"] == {
        "event_type": EVENT_TYPE,
        "event_payload": {"notification_id": 77, "link_id": 5},
    }


async def test_a_team_without_installation_gets_no_relink_dm_and_no_error() -> None:
    clients = Clients()
    await RelinkSender(clients).send("T1", "U1", "https://bot.test/oauth/astravue/start?t=x")
    assert clients.asked == ["T1"] and clients.client.posts == []


async def test_the_relink_dm_goes_to_the_user_with_a_reconnect_button() -> None:
    clients = Clients("T1")
    await RelinkSender(clients).send("T1", "U1", "https://bot.test/oauth/astravue/start?t=x")
    (post,) = clients.client.posts
    assert post["channel"] == "U1"
    assert "https://bot.test/oauth/astravue/start?t=x" in str(post["blocks"])


async def test_a_rescue_dm_is_not_sent_to_a_team_without_installation() -> None:
    timer = TimerData(time_tracker_id=3, task_id=5, task_title="Write the brief")
    now = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    assert await RescueSender(Clients()).send(LINK, timer, UTC, now, "it ran long") is None
    installed = Clients("T1")
    posted = await RescueSender(installed).send(LINK, timer, UTC, now, "it ran long")
    assert posted == ("U1", "1.000100")  # where the reminder is, to rewrite it on a stop
    assert installed.client.posts[0]["channel"] == "U1"
