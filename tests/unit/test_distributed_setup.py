"""Distributed mode's configuration surface: settings, the manifest, the setup page."""

from __future__ import annotations

import pytest
import yaml

from bot.cli import main
from bot.config import load_settings
from bot.slack.oauth_flow import manifest_bot_scopes
from bot.web import render_setup_page


def test_both_client_variables_make_distributed_mode() -> None:
    one = load_settings(_env_file=None, slack_client_id="1.2", slack_signing_secret="s")
    assert not one.distributed and not one.slack_configured
    assert one.missing_slack_settings() == ["SLACK_BOT_TOKEN"]
    both = load_settings(
        _env_file=None, slack_client_id="1.2", slack_client_secret="x", slack_signing_secret="s"
    )
    assert both.distributed and both.slack_configured and both.missing_slack_settings() == []
    assert both.slack_redirect_uri == "http://localhost:3000/slack/oauth_redirect"
    assert both.slack_oauth_authorize_url == "https://slack.com/oauth/v2/authorize"


def test_manifest_fills_the_oauth_redirect_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PUBLIC_URL", "https://bot.example.com")
    assert main(["manifest"]) == 0
    manifest = yaml.safe_load(capsys.readouterr().out)
    oauth = manifest["oauth_config"]
    assert oauth["redirect_urls"] == ["https://bot.example.com/slack/oauth_redirect"]
    assert oauth["scopes"]["bot"] == manifest_bot_scopes()
    assert main(["manifest", "--socket-mode"]) == 0
    socket = yaml.safe_load(capsys.readouterr().out)
    assert "redirect_urls" not in socket["oauth_config"]


def test_setup_page_shows_the_install_link_and_the_count_only_when_distributed() -> None:
    single = load_settings(_env_file=None, slack_bot_token="xoxb-1", slack_signing_secret="s")
    assert "/slack/install" not in render_setup_page(single)
    distributed = load_settings(
        _env_file=None, slack_client_id="1.2", slack_client_secret="x", slack_signing_secret="s"
    )
    page = render_setup_page(distributed, installed=1)
    assert 'href="/slack/install"' in page and "<b>1</b> workspace " in page


def test_start_up_warns_about_a_half_or_doubly_configured_slack() -> None:
    from bot.startup_checks import configuration_warnings

    half = load_settings(_env_file=None, slack_client_id="1.2", slack_signing_secret="s")
    assert any("only one of SLACK_CLIENT_ID" in w for w in configuration_warnings(half))
    both = load_settings(
        _env_file=None,
        slack_client_id="1.2",
        slack_client_secret="x",
        slack_bot_token="xoxb-1",
        slack_signing_secret="s",
    )
    assert any("SLACK_BOT_TOKEN is set but not used" in w for w in configuration_warnings(both))
