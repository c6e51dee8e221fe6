"""The token bucket behind the fake's chat.postMessage pacing."""

from __future__ import annotations

from dataclasses import dataclass

WORKSPACE = "*"  # key of the workspace-wide Retry-After in `retry_after_ends`


@dataclass
class Bucket:
    """Token bucket whose rate and burst are read at each call, so tests can turn the knobs."""

    tokens: float
    updated: float

    def wait(self, now: float, rate: float, burst: float) -> float:
        """Seconds until one token is available (0 = available now)."""
        self.tokens = min(burst, self.tokens + (now - self.updated) * rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / rate

    def take(self) -> None:
        self.tokens -= 1
