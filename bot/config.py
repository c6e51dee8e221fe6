"""Settings: the only module that reads the environment (and `.env`)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_URL = "sqlite+aiosqlite:///./astravue-bot.db"
SUPPORTED_DB_SCHEMES = ("sqlite+aiosqlite", "postgresql+asyncpg")

# What each variable expects, in the words a start-up error uses.
EXPECTED = {
    "SLACK_BOT_TOKEN": "a bot token starting with xoxb-",
    "SLACK_APP_TOKEN": "an app-level token starting with xapp-",
    "SLACK_API_URL": "an http(s) URL ending with /",
    "SLACK_RESPONSE_URL_PREFIXES": "http(s) URL prefixes, comma-separated",
    "ASTRAVUE_API_URL": "an http(s) URL",
    "ASTRAVUE_AUTH_URL": "an http(s) URL of the Keycloak realm",
    "ASTRAVUE_APP_URL": "an http(s) URL",
    "PUBLIC_URL": "an http(s) URL where this app is reachable",
    "SLACK_OAUTH_AUTHORIZE_URL": "an http(s) URL (Slack's is https://slack.com/oauth/v2/authorize)",
    "DATABASE_URL": "sqlite+aiosqlite:///path.db or postgresql+asyncpg://user@host/db",
    "TOKEN_ENCRYPTION_KEYS": "kid:base64key[,kid:base64key...] "
    "(make one with `astravue-bot keys new`)",
    "NOTIFY_POLL_SECONDS": "a whole number of seconds from 5 to 86400",
    "ASTRAVUE_USER_RATE_LIMIT": "a whole number of requests from 1 to 10000",
    "ASTRAVUE_USER_RATE_WINDOW_SECONDS": "a number of seconds above 0, at most 3600",
    "SCHEDULER_ENABLED": "true or false",
    "PORT": "a port number from 1 to 65535",
    "LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR",
    "LOG_FORMAT": "text or json",
}


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line naming the variable."""


def _check_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("not an http(s) URL")
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    # Both set: distributed mode (workspaces install through /slack/install; no bot token).
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_oauth_authorize_url: str = "https://slack.com/oauth/v2/authorize"
    # response_urls the app may follow besides Slack's own (bot.security.response_urls)
    slack_response_url_prefixes: str | None = None
    astravue_api_url: str = "https://api.astravue.com"
    astravue_auth_url: str = "https://auth.astravue.com/realms/astravue"
    astravue_app_url: str = "https://app.astravue.com"
    astravue_client_id: str | None = None
    astravue_client_secret: str | None = None
    astravue_scopes: str = "openid offline_access"
    public_url: str = "http://localhost:3000"
    database_url: str = DEFAULT_SQLITE_URL
    token_encryption_keys: str | None = None
    notify_poll_seconds: int = Field(default=60, ge=5, le=86400)
    # Astravue's per-user request budget (bot.astravue.budget): its documented 100 a minute.
    astravue_user_rate_limit: int = Field(default=100, ge=1, le=10000)
    astravue_user_rate_window_seconds: float = Field(default=60.0, gt=0, le=3600)
    scheduler_enabled: bool = True
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    metrics_token: str | None = None  # GET /metrics needs it as a bearer token; unset: loopback

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xoxb-"):
            raise ValueError("not a bot token")
        return value or None

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xapp-"):
            raise ValueError("not an app-level token")
        return value or None

    @field_validator("slack_api_url")
    @classmethod
    def _slack_url(cls, value: str) -> str:
        return _check_url(value if value.endswith("/") else value + "/")

    @field_validator("slack_response_url_prefixes")
    @classmethod
    def _prefixes(cls, value: str | None) -> str | None:
        for prefix in (value or "").split(","):
            if prefix.strip():
                _check_url(prefix.strip())
        return value or None

    @field_validator(
        "astravue_api_url",
        "astravue_auth_url",
        "astravue_app_url",
        "public_url",
        "slack_oauth_authorize_url",
    )
    @classmethod
    def _urls(cls, value: str) -> str:
        return _check_url(value).rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        scheme = value.split("://", 1)[0]
        if scheme not in SUPPORTED_DB_SCHEMES:
            raise ValueError(f"unsupported scheme {scheme!r}")
        return value

    @field_validator("token_encryption_keys")
    @classmethod
    def _keys(cls, value: str | None) -> str | None:
        if not value:
            return None
        from bot.security.crypto import Keyring, KeyringConfigError

        try:
            Keyring.from_spec(value)
        except KeyringConfigError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    # Derived facts, so callers do not re-parse strings.

    @cached_property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @cached_property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        path = self.database_url.split(":///", 1)[1]
        return None if path in ("", ":memory:") else Path(path)

    @property
    def distributed(self) -> bool:
        """Workspaces install the app through Slack OAuth; SLACK_BOT_TOKEN is not used."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def slack_configured(self) -> bool:
        token = self.distributed or bool(self.slack_bot_token)
        return bool(token and self.slack_signing_secret)

    @property
    def slack_redirect_uri(self) -> str:
        return f"{self.public_url}/slack/oauth_redirect"

    @property
    def astravue_oauth_configured(self) -> bool:
        return bool(self.astravue_client_id)

    @property
    def oauth_redirect_uri(self) -> str:
        return f"{self.public_url}/oauth/astravue/callback"

    def missing_slack_settings(self) -> list[str]:
        missing = []
        if not self.slack_bot_token and not self.distributed:
            missing.append("SLACK_BOT_TOKEN")
        if not self.slack_signing_secret:
            missing.append("SLACK_SIGNING_SECRET")
        return missing


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; a bad value becomes one clear `ConfigError` line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "?"
        variable = field.upper()
        reason = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        expected = EXPECTED.get(variable, "a valid value")
        raise ConfigError(f"{variable} is invalid ({reason}); expected {expected}.") from None
