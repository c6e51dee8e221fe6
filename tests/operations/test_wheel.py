"""The wheel, installed with the locked runtime set in a fresh venv, works from any directory.

Nothing here imports the source tree: the wheel is built from a copy of the package, installed
with `requirements.lock` (hash-checked; pip's cache makes this fast after the first run) and
its `astravue-bot` command run from an empty directory.
"""

# ruff: noqa: S603  (every subprocess here is pip, venv or the built command, with fixed arguments)

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.db.session import head_revision
from tests.operations.serving import serving

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _pip(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check", *args], check=True
    )


@pytest.fixture(scope="module")
def venv_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh venv holding only the locked runtime set and the built wheel."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "bot", source / "bot", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    _pip("wheel", "--no-deps", "--wheel-dir", str(work / "dist"), str(source))
    (wheel,) = (work / "dist").glob("astravue_slack-*.whl")

    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    _pip("--python", python, "install", "--require-hashes", "-r", str(ROOT / "requirements.lock"))
    _pip("--python", python, "install", "--no-deps", str(wheel))
    return venv / "bin"


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no PYTHONPATH, no repository .env, a database in `tmp`."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp),
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bot.db",
    }
    env.update(extra)
    return env


def _run(venv_bin: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv_bin / "astravue-bot"), *args],
        cwd=cwd,
        env=_env(cwd, **env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_package_comes_from_the_wheel_not_the_clone(venv_bin: Path, tmp_path: Path) -> None:
    found = subprocess.run(
        [str(venv_bin / "python"), "-c", "import bot; print(bot.__file__)"],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Path(found).is_relative_to(venv_bin.parent), found


def test_migrate_and_manifest(venv_bin: Path, tmp_path: Path) -> None:
    migrated = _run(venv_bin, tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.startswith(f"database is at {head_revision()}"), migrated.stdout

    manifest = _run(venv_bin, tmp_path, "manifest", PUBLIC_URL="https://bot.example.com")
    assert manifest.returncode == 0, manifest.stderr
    assert 'request_url: "https://bot.example.com/slack/events"' in manifest.stdout


def test_serve_becomes_ready(venv_bin: Path, tmp_path: Path) -> None:
    with serving([str(venv_bin / "astravue-bot")], cwd=tmp_path, env=_env(tmp_path)) as served:
        pass
    assert served.ready_status == 200, served.output
    assert "Traceback" not in served.output, served.output


def test_demo_script(venv_bin: Path, tmp_path: Path) -> None:
    script = tmp_path / "tiny.txt"
    script.write_text("# the smallest session\n/astravue help\n", encoding="utf-8")
    demo = _run(venv_bin, tmp_path, "demo", "--script", str(script))
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "U0MARIA > /astravue help" in demo.stdout
    assert "Astravue for Slack" in demo.stdout
