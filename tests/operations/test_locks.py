"""The lock files match pyproject.toml: every dependency pinned inside its range, with hashes;
the runtime set holds no test or lint tool."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)")


def _pins(name: str) -> dict[str, tuple[str, str]]:
    """Package -> (version, the pin's whole entry) for each `name==version \\` entry."""
    text = (ROOT / name).read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    return {canonicalize_name(m[1]): (m[2], entry) for entry in entries if (m := _PIN.match(entry))}


def _check(lock: dict[str, tuple[str, str]], requirements: list[str]) -> None:
    for line in requirements:
        requirement = Requirement(line)
        version, _ = lock[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), f"{requirement} but locked {version}"
    for package, (version, entry) in lock.items():
        assert "--hash=sha256:" in entry, f"{package}=={version} has no hash"


def test_runtime_lock_pins_every_dependency_with_hashes() -> None:
    _check(_pins("requirements.lock"), PROJECT["dependencies"])


def test_test_lock_pins_runtime_and_test_dependencies() -> None:
    _check(
        _pins("requirements-test.lock"),
        PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"],
    )


def test_runtime_set_holds_no_test_or_lint_tools_and_no_pyyaml() -> None:
    runtime = _pins("requirements.lock")
    for tool in ("pytest", "ruff", "mypy", "hypothesis", "respx", "pyyaml"):
        assert tool not in runtime


def test_every_dependency_has_a_major_version_cap() -> None:
    for line in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]:
        assert any(spec.operator == "<" for spec in Requirement(line).specifier), line
