"""The poller's Slack pacing: per-channel spacing, the workspace budget and Retry-After."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.outbound.messenger import Messenger, RateLimitExhausted


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _response(status: int, data: dict[str, Any], headers: dict[str, str]) -> AsyncSlackResponse:
    return AsyncSlackResponse(
        client=None,
        http_verb="POST",
        api_url="chat.postMessage",
        req_args={},
        data=data,
        headers=headers,
        status_code=status,
    )


class FakeClient:
    """Records when each post happened; answers 429 with Retry-After for the first `fails`."""

    def __init__(self, clock: FakeClock, fails: int = 0, retry_after: str = "3") -> None:
        self.clock = clock
        self.fails = fails
        self.retry_after = retry_after
        self.posts: list[tuple[str, float]] = []

    async def chat_postMessage(self, *, channel: str, **_: Any) -> AsyncSlackResponse:
        self.posts.append((channel, self.clock.now))
        if self.fails:
            self.fails -= 1
            raise SlackApiError(
                "ratelimited",
                _response(
                    429, {"ok": False, "error": "ratelimited"}, {"Retry-After": self.retry_after}
                ),
            )
        return _response(200, {"ok": True, "ts": f"{len(self.posts)}.0"}, {})


def _messenger(client: FakeClient, clock: FakeClock) -> Messenger:
    return Messenger(client, clock=clock, sleep=clock.sleep)  # type: ignore[arg-type]


async def test_one_post_per_second_per_channel() -> None:
    clock = FakeClock()
    client = FakeClient(clock)
    messenger = _messenger(client, clock)
    for _ in range(3):
        await messenger.post("D1", {"text": "hi"})
    assert [at for _, at in client.posts] == [0.0, 1.0, 2.0]


async def test_workspace_budget_spaces_posts_across_channels() -> None:
    clock = FakeClock()
    client = FakeClient(clock)
    messenger = _messenger(client, clock)
    for index in range(8):
        await messenger.post(f"D{index}", {"text": "hi"})
    times = [at for _, at in client.posts]
    assert times == pytest.approx([i * 0.25 for i in range(8)])


async def test_retry_after_is_honoured_before_the_next_try() -> None:
    clock = FakeClock()
    client = FakeClient(clock, fails=2, retry_after="3")
    messenger = _messenger(client, clock)
    ts = await messenger.post("D1", {"text": "hi"})
    assert ts == "3.0"
    times = [at for _, at in client.posts]
    assert times[1] - times[0] >= 3 and times[2] - times[1] >= 3


async def test_gives_up_after_too_many_429s() -> None:
    clock = FakeClock()
    messenger = _messenger(FakeClient(clock, fails=100, retry_after="1"), clock)
    with pytest.raises(RateLimitExhausted):
        await messenger.post("D1", {"text": "hi"})


async def test_other_errors_are_raised_at_once() -> None:
    clock = FakeClock()

    class Broken(FakeClient):
        async def chat_postMessage(self, *, channel: str, **_: Any) -> AsyncSlackResponse:
            raise SlackApiError(
                "nope", _response(200, {"ok": False, "error": "channel_not_found"}, {})
            )

    with pytest.raises(SlackApiError):
        await _messenger(Broken(clock), clock).post("D1", {"text": "hi"})


async def test_each_workspace_client_has_its_own_budget() -> None:
    clock = FakeClock()
    one, other = FakeClient(clock), FakeClient(clock)
    messenger = Messenger(clock=clock, sleep=clock.sleep)
    for index in range(4):
        await messenger.post(f"D{index}", {"text": "hi"}, client=one)  # type: ignore[arg-type]
        await messenger.post(f"E{index}", {"text": "hi"}, client=other)  # type: ignore[arg-type]
    assert [at for _, at in one.posts] == pytest.approx([i * 0.25 for i in range(4)])
    assert [at for _, at in other.posts] == pytest.approx([i * 0.25 for i in range(4)])
