"""The composition root: wiring builds every service once, hands each what it uses, and the
listeners get them all through one container; no service reaches for the runtime."""

from __future__ import annotations

from pathlib import Path

from bot.config import load_settings
from bot.outbound.notifications import NotificationOutbox
from bot.outbound.relink import RelinkSender
from bot.services.relink import RelinkNotifier
from bot.wiring import build_runtime


async def test_services_share_one_instance_of_each_dependency(tmp_path: Path) -> None:
    settings = load_settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/w.db",
        slack_bot_token="xoxb-test",
    )
    runtime = build_runtime(settings)
    try:
        services = runtime.services
        astravue = services.astravue_access
        assert services.tasks.astravue is astravue
        assert services.timers.astravue is astravue
        assert services.spaces.astravue is astravue
        assert services.poller.astravue is astravue
        assert services.notifications.astravue is astravue
        assert services.unfurls.astravue is astravue
        assert astravue.tokens is services.tokens
        assert services.tasks.timers is services.timers
        assert services.spaces.tasks is services.tasks
        assert services.rescue.timers is services.timers
        assert services.tasks.zones is services.timers.zones is services.poller.zones
        # The relink DM is wired in at construction, and sent through outbound.
        relink = services.tokens.on_needs_relink
        assert isinstance(relink, RelinkNotifier) and relink.linking is services.linking
        assert isinstance(relink.sender, RelinkSender)
        assert isinstance(services.poller.outbox, NotificationOutbox)
        assert services.home.linking is services.linking
        # Listeners and lazy work share the runtime's bookkeeping.
        assert services.lazy_work is runtime.lazy_work
        assert services.sessions is runtime.sessions
        for service in (
            services.tasks,
            services.timers,
            services.notifications,
            services.poller,
            services.rescue,
            services.linking,
        ):
            assert not hasattr(service, "runtime") and not hasattr(service, "services")
    finally:
        await runtime.close()
