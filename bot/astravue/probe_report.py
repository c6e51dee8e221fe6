"""The report of `astravue-bot api-probe`: one row per operation, and the table it prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.astravue.probe_checks import Check


@dataclass
class Row:
    operation: str
    status: str
    shape: str
    checks: list[Check] = field(default_factory=list)

    @property
    def broken(self) -> list[Check]:
        return [c for c in self.checks if not c.held]


@dataclass
class ProbeReport:
    rows: list[Row] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(not row.broken for row in self.rows)

    @property
    def broken(self) -> dict[str, list[str]]:
        """Operation -> the assumptions that broke there."""
        return {
            row.operation: [c.assumption for c in row.broken] for row in self.rows if row.broken
        }

    def table(self) -> str:
        widths = (30, 6, 26)
        lines = [
            _line(("operation", "status", "shape", "assumptions"), widths),
            _line(("-" * 9, "-" * 6, "-" * 5, "-" * 11), widths),
        ]
        for row in self.rows:
            verdict = ", ".join(f"{c.assumption}: BROKE" for c in row.broken) or (
                "held: " + ", ".join(c.assumption for c in row.checks)
                if row.checks
                else "not checked"
            )
            lines.append(_line((row.operation, row.status, row.shape, verdict), widths))
            lines += [f"{'':>4}{c.assumption}: {c.seen}" for c in row.broken if c.seen]
        held = sum(len(row.checks) - len(row.broken) for row in self.rows)
        failed = sum(len(row.broken) for row in self.rows)
        lines.append(
            f"\n{len(self.rows)} operations, {held} assumptions held, "
            f"{failed} broke" + ("" if failed else ": every assumption held")
        )
        return "\n".join(lines)


def _line(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=False)]
    return "  ".join([*padded, *cells[len(widths) :]]).rstrip()
