"""`astravue-bot keys new` and `migrate`: what an operator types, what it prints."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.db.session import head_revision


def _out(capsys: pytest.CaptureFixture[str], argv: list[str], expected_status: int = 0) -> str:
    assert main(argv) == expected_status
    return capsys.readouterr().out.strip()


def test_keys_new_makes_a_new_key_id_every_time(capsys: pytest.CaptureFixture[str]) -> None:
    first, second = (_out(capsys, ["keys", "new"]) for _ in range(2))
    assert first.split(":")[0] != second.split(":")[0]  # two keys on one day used to collide


def test_keys_new_takes_the_key_id_to_use(capsys: pytest.CaptureFixture[str]) -> None:
    assert _out(capsys, ["keys", "new", "--kid", "prod-2026"]).startswith("prod-2026:")
    assert main(["keys", "new", "--kid", "no spaces"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("astravue-bot: --kid: key id must match") and "Traceback" not in err


def test_migrate_reports_the_revision_the_database_is_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")
    assert _out(capsys, ["migrate", "base"]) == "database is at base (no schema)"
    assert _out(capsys, ["migrate"]) == f"database is at {head_revision()}"
    # Upgrading "to base" changes nothing on a migrated database: say where it really is.
    assert _out(capsys, ["migrate", "base"]) == f"database is at {head_revision()}"


def test_manifest_fills_in_public_url_and_warns_when_it_is_not_https(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PUBLIC_URL", "https://bot.example.com")
    assert main(["manifest"]) == 0
    printed = capsys.readouterr()
    assert printed.out.count('"https://bot.example.com/slack/events"') == 4
    assert "{PUBLIC_URL}" not in printed.out and printed.err == ""

    monkeypatch.setenv("PUBLIC_URL", "http://localhost:3000")
    assert main(["manifest"]) == 0
    assert "Slack only sends requests to https:// addresses" in capsys.readouterr().err


def test_manifest_socket_mode_variant_has_no_request_urls(
    capsys: pytest.CaptureFixture[str],
) -> None:
    socket_mode = _out(capsys, ["manifest", "--socket-mode"])
    assert "socket_mode_enabled: true" in socket_mode
    assert "url:" not in socket_mode  # no url, request_url or message_menu_options_url
    assert "slash_commands:" in socket_mode and "interactivity:" in socket_mode


def test_manifest_unfurls_the_app_domain_and_has_the_channel_features(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PUBLIC_URL", "https://bot.example.com")
    monkeypatch.setenv("ASTRAVUE_APP_URL", "https://work.example.org/astravue")
    for argv in (["manifest"], ["manifest", "--socket-mode"]):
        manifest = yaml.safe_load(_out(capsys, argv))
        assert manifest["features"]["unfurl_domains"] == ["work.example.org"]
        scopes = manifest["oauth_config"]["scopes"]["bot"]
        assert {"links:read", "links:write", "im:history"} <= set(scopes)
        events = manifest["settings"]["event_subscriptions"]["bot_events"]
        assert {"link_shared", "message.im"} <= set(events)
        assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
        assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False
        shortcuts = {s["callback_id"]: s["type"] for s in manifest["features"]["shortcuts"]}
        assert shortcuts["create_task"] == "global"
        assert shortcuts["create_task_from_message"] == "message"
