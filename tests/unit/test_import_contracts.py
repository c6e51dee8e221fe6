"""The import contracts of `.importlinter` hold, and they bite: a copy of `bot/` with one
forbidden import added fails the contract that forbids it.

`make lint` runs the contracts on the real tree; this test shows they are not vacuous.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="lint-imports is not installed in this environment"
)


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(  # noqa: S603 (the installed lint-imports, fixed arguments)
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the package and its contracts, free to be broken."""
    copy = tmp_path_factory.mktemp("contracts")
    shutil.copytree(ROOT / "bot", copy / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", copy / ".importlinter")
    return copy


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("services/tasks.py", "import bot.ui.tasks", "Services decide"),
        ("domain/tasks.py", "import sqlalchemy", "domain is pure"),
        ("astravue/transport.py", "import slack_sdk", "knows nothing of Slack"),
        ("wiring.py", "import bot.sandbox", "never imports the sandbox"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tree: Path, module: str, line: str, contract: str
) -> None:
    path = tree / "bot" / module
    original = path.read_text(encoding="utf-8")
    path.write_text(f"{original}\n{line}  # injected by the test\n", encoding="utf-8")
    try:
        result = _lint(tree)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode != 0, result.stdout
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(contract in row for row in broken), result.stdout
