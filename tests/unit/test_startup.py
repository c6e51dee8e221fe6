"""Start-up rules: where the key ring comes from, and which databases `serve` migrates."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import pytest

from bot.cli import prepare_database
from bot.config import ConfigError, load_settings
from bot.db.session import database_revision, head_revision
from bot.wiring import resolve_keyring
from tests.conftest import ON_POSTGRES


def test_sqlite_without_keys_generates_an_owner_only_key_file(tmp_path: Path) -> None:
    settings = load_settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/a.db",
        token_encryption_keys=None,
    )
    first = resolve_keyring(settings)
    key_file = tmp_path / "a.db.keys"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert resolve_keyring(settings).primary_kid == first.primary_kid  # reused, not replaced


def test_any_other_database_without_keys_stops_start_up() -> None:
    settings = load_settings(
        _env_file=None,
        token_encryption_keys=None,
        database_url="postgresql+asyncpg://app@db.example/astravue",
    )
    with pytest.raises(ConfigError, match="TOKEN_ENCRYPTION_KEYS is required"):
        resolve_keyring(settings)


def test_serve_migrates_sqlite_by_itself(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/fresh.db"
    asyncio.run(prepare_database(load_settings(_env_file=None, database_url=url)))
    assert database_revision(url) == head_revision()


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: set TEST_DATABASE_URL (CI does)")
def test_serve_refuses_an_unmigrated_postgresql_database(empty_database_url: str) -> None:
    settings = load_settings(_env_file=None, database_url=empty_database_url)
    with pytest.raises(ConfigError, match="run `astravue-bot migrate` first"):
        asyncio.run(prepare_database(settings))
