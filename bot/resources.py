"""Files shipped inside the package: the Slack app manifest and the Alembic migrations.

Found through `importlib.resources`, so a clone, an editable install and a wheel installed
anywhere all read the same files (nothing is looked up relative to the working directory).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def manifest_template() -> str:
    """`manifest.yml` with its `{PUBLIC_URL}` placeholders."""
    return files("bot").joinpath("manifest.yml").read_text(encoding="utf-8")


def migrations_dir() -> Path:
    """The Alembic script directory. Alembic reads it from disk, so it must be a real path."""
    location = files("bot.migrations")
    if not isinstance(location, Path):
        raise RuntimeError(
            f"bot.migrations is not on the file system ({location!r}): install "
            "the package unzipped so Alembic can read its migrations"
        )
    return location
