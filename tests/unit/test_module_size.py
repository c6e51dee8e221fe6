"""No module in bot/ over 400 lines: past that, it holds two concerns (split it by concern)."""

from __future__ import annotations

from pathlib import Path

LIMIT = 400
BOT = Path(__file__).resolve().parents[2] / "bot"


def test_no_module_is_over_the_limit() -> None:
    sizes = {
        path.relative_to(BOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in BOT.rglob("*.py")
    }
    assert len(sizes) > 100  # the walk found the package
    over = {name: lines for name, lines in sizes.items() if lines > LIMIT}
    assert not over, f"modules over {LIMIT} lines (split them by concern): {over}"
