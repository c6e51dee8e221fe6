"""What `serve` checks at start and reports as one warning line each, with the fix.

None of these stops the app (a port already taken does, in bot/cli.py): a half-configured
deployment still serves its setup page and health checks.
"""

from __future__ import annotations

import logging
import socket
from urllib.parse import urlsplit

import httpx

from bot.config import ConfigError, Settings

log = logging.getLogger("bot.startup")

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})  # noqa: S104  # nosec B104
REACHABILITY_TIMEOUT = 3.0


def configuration_warnings(settings: Settings, *, socket_mode: bool = False) -> list[str]:
    warnings = []
    if settings.slack_configured and not socket_mode:
        host = urlsplit(settings.public_url).hostname or ""
        if host in _LOCAL_HOSTS or host.endswith(".localhost"):
            warnings.append(
                f"PUBLIC_URL is {settings.public_url}, which Slack cannot reach: set it to this "
                "app's public HTTPS address (or run `serve --socket-mode` with SLACK_APP_TOKEN)"
            )
        elif not settings.public_url.startswith("https://"):
            warnings.append(
                f"PUBLIC_URL is {settings.public_url}: Slack only sends requests to "
                "https:// addresses; set PUBLIC_URL to the HTTPS address"
            )
    if settings.distributed and settings.slack_bot_token:
        warnings.append(
            "SLACK_BOT_TOKEN is set but not used: with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
            "each workspace installs the app at /slack/install and brings its own token"
        )
    if bool(settings.slack_client_id) != bool(settings.slack_client_secret):
        warnings.append(
            "only one of SLACK_CLIENT_ID and SLACK_CLIENT_SECRET is set: set both to let "
            "workspaces install the app (distributed mode), or neither"
        )
    if settings.slack_configured and not settings.astravue_oauth_configured:
        warnings.append(
            "Slack is configured but ASTRAVUE_CLIENT_ID is not: nobody can connect "
            "an Astravue account; register an OAuth client with Astravue and set "
            "ASTRAVUE_CLIENT_ID (and ASTRAVUE_CLIENT_SECRET)"
        )
    return warnings


async def unreachable_services(settings: Settings) -> list[str]:
    """Astravue's API and Keycloak, when an OAuth client is configured. Any HTTP answer counts
    as reachable: only a connection that fails or times out is reported."""
    if not settings.astravue_oauth_configured:
        return []
    targets = {
        "Astravue's API (ASTRAVUE_API_URL)": settings.astravue_api_url,
        "Astravue's sign-in, Keycloak (ASTRAVUE_AUTH_URL)": (
            f"{settings.astravue_auth_url}/.well-known/openid-configuration"
        ),
    }
    warnings = []
    async with httpx.AsyncClient(timeout=REACHABILITY_TIMEOUT) as client:
        for name, url in targets.items():
            try:
                await client.get(url)
            except httpx.HTTPError as exc:
                warnings.append(
                    f"{name} is unreachable at {url} ({type(exc).__name__}): "
                    "check the URL and this machine's network; users' commands "
                    "fail until it answers"
                )
    return warnings


async def warn_at_start(settings: Settings, *, socket_mode: bool) -> None:
    for line in configuration_warnings(settings, socket_mode=socket_mode):
        log.warning(line)
    for line in await unreachable_services(settings):
        log.warning(line)


def bind_port(port: int) -> socket.socket:
    """The listening socket for `serve`, or one clear line when the port is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        # All interfaces: the public web process (Procfile `web`), behind the platform router.
        sock.bind(("0.0.0.0", port))  # noqa: S104  # nosec B104
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"port {port} is not available ({exc.strerror}): stop what uses it, "
            "or choose another with PORT or --port"
        ) from None
    return sock
