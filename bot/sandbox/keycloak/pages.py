"""The HTML Keycloak shows: the sign-in page and its error page."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from starlette.responses import HTMLResponse

from bot.sandbox.keycloak.model import KeycloakUser


def error_page(message: str) -> HTMLResponse:
    """Keycloak shows an error page, not a redirect, when the client or redirect is untrusted."""
    return HTMLResponse(
        html_page("We are sorry...", f"<p class=error>{html.escape(message)}</p>"), status_code=400
    )


def login_page(
    action: str,
    params: Mapping[str, str],
    users: Iterable[KeycloakUser],
    notice: str | None = None,
) -> HTMLResponse:
    """One form per sandbox user; each posts the original auth request back with a username."""
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in params.items()
        if k != "username"
    )
    forms = "".join(
        f'<form method="post" action="{html.escape(action)}">{hidden}'
        f'<input type="hidden" name="username" value="{html.escape(u.username)}">'
        f'<button type="submit">Sign in as {html.escape(u.name)} ({html.escape(u.email)})'
        f"{'' if u.enabled else ' (disabled)'}</button></form>"
        for u in users
    )
    notice_html = f"<p class=error>{html.escape(notice)}</p>" if notice else ""
    return HTMLResponse(html_page("Sign in to Astravue (sandbox)", notice_html + forms))


def html_page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
