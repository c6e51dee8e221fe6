"""Which response_urls the app may follow: Slack's own, never wherever a payload points.

A response_url is a URL the app POSTs to (and stores, for the connect flow). Slack serves them
from https://hooks.slack.com/; GovSlack from its own domain, which `SLACK_API_URL` names. So
the app follows https URLs on hooks.slack.com or on the API host's domain (slack.com and its
subdomains by default), plus the prefixes `SLACK_RESPONSE_URL_PREFIXES` adds (the sandbox's
loopback /slack/respond/, tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

SLACK_HOOKS = "https://hooks.slack.com/"
_UNSAFE = frozenset("\\@ \t\r\n")  # characters that make URL parsers disagree


@dataclass(frozen=True)
class ResponseUrlPolicy:
    api_domain: str | None  # the Slack API's host when it is served over https
    prefixes: tuple[str, ...]  # each ends with "/" (or "?"), so a host cannot be extended

    @classmethod
    def from_settings(cls, slack_api_url: str, extra_prefixes: str | None) -> ResponseUrlPolicy:
        api = urlsplit(slack_api_url)
        extra = [p.strip() for p in (extra_prefixes or "").split(",") if p.strip()]
        return cls(
            api_domain=api.hostname if api.scheme == "https" and api.hostname else None,
            prefixes=(SLACK_HOOKS, *(_as_prefix(p) for p in extra)),
        )

    def allows(self, url: object) -> bool:
        if not isinstance(url, str) or any(char in _UNSAFE for char in url):
            return False
        if url.startswith(self.prefixes):
            return True
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        return port in (None, 443) and self._on_api_domain(parts)

    def _on_api_domain(self, parts: SplitResult) -> bool:
        host = parts.hostname or ""
        return (
            self.api_domain is not None
            and parts.scheme == "https"
            and (host == self.api_domain or host.endswith("." + self.api_domain))
        )


def host_of(url: object) -> str:
    """For log lines: the host only (the path of a response_url is its secret)."""
    try:
        return urlsplit(str(url)).hostname or "?"
    except ValueError:
        return "?"


def _as_prefix(prefix: str) -> str:
    """A prefix that ends its host: `http://127.0.0.1:9` would also allow `...:90/`."""
    parts = urlsplit(prefix)
    return prefix if parts.path or prefix.endswith("/") else prefix + "/"
