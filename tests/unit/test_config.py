"""Settings: defaults from the contract, and one clear line for each bad value."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings


def test_defaults_follow_the_design_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "PORT", "NOTIFY_POLL_SECONDS", "SLACK_API_URL", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(_env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///./astravue-bot.db"
    assert settings.port == 3000
    assert settings.notify_poll_seconds == 60
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.astravue_api_url == "https://api.astravue.com"
    assert settings.astravue_auth_url == "https://auth.astravue.com/realms/astravue"
    assert settings.astravue_scopes == "openid offline_access"
    assert settings.scheduler_enabled is True
    assert settings.log_level == "INFO"
    assert settings.oauth_redirect_uri == "http://localhost:3000/oauth/astravue/callback"


@pytest.mark.parametrize(
    ("variable", "value", "expected_words"),
    [
        ("PORT", "eighty", "PORT is invalid"),
        ("PORT", "70000", "PORT is invalid"),
        ("DATABASE_URL", "mysql://root@localhost/db", "DATABASE_URL is invalid"),
        ("TOKEN_ENCRYPTION_KEYS", "not-a-key", "TOKEN_ENCRYPTION_KEYS is invalid"),
        ("TOKEN_ENCRYPTION_KEYS", "k1:c2hvcnQ=", "TOKEN_ENCRYPTION_KEYS is invalid"),
        ("NOTIFY_POLL_SECONDS", "0", "NOTIFY_POLL_SECONDS is invalid"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token", "SLACK_BOT_TOKEN is invalid"),
        ("ASTRAVUE_API_URL", "api.astravue.com", "ASTRAVUE_API_URL is invalid"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL is invalid"),
    ],
)
def test_bad_values_stop_start_up_with_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected_words: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    assert message.startswith(expected_words)
    assert "expected" in message
    assert "\n" not in message
    if variable == "TOKEN_ENCRYPTION_KEYS":
        assert "c2hvcnQ" not in message  # never echo key material


def test_cli_prints_the_config_error_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("PORT", "abc")
    assert main(["manifest"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("astravue-bot: PORT is invalid")
    assert "Traceback" not in err
