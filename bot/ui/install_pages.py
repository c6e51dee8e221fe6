"""The pages a browser sees while installing the app into a Slack workspace (distributed
mode). Every value is escaped."""

from __future__ import annotations

import html

from bot.ui.pages import _document

_FAILURES = {
    "access_denied": (
        "Not installed",
        "The install was cancelled in Slack, so nothing was installed. To try again, open the "
        "install link once more.",
    ),
    "invalid_browser": (
        "Not installed",
        "This install could not be checked: it must finish in the browser that started it, "
        "with cookies allowed. Nothing was installed. Open the install link again.",
    ),
    "invalid_state": (
        "Not installed",
        "This install link expired or was already used (each works once, for 10 minutes). "
        "Nothing was installed. Open the install link again.",
    ),
    "missing_code": (
        "Not installed",
        "Slack sent no authorization code back, so nothing was installed. Open the install "
        "link again.",
    ),
    "invalid_code": (
        "Not installed",
        "Slack did not accept the authorization (or could not be reached), so nothing was "
        "installed. Open the install link again in a few minutes.",
    ),
    "storage_error": (
        "Not installed",
        "The installation could not be saved, so nothing was installed. Try again in a few "
        "minutes; if it keeps failing, ask whoever runs this app to check its database.",
    ),
}


def install_page(authorize_url: str) -> str:
    url = html.escape(authorize_url, quote=True)
    return _document(
        "Add Astravue to Slack",
        (
            "<p>Install Astravue for Slack into your workspace (or, on Enterprise Grid, your "
            "organisation). Slack asks you to approve what the app may do.</p>"
            f'<p><a href="{url}"><b>Add to Slack</b></a></p>'
            "<p><small>The link works once, in this browser, for 10 minutes.</small></p>"
        ),
    )


def installed_page(workspace: str, *, org_wide: bool) -> str:
    where = "organisation" if org_wide else "workspace"
    return _document(
        "Installed",
        (
            f"<p>Astravue for Slack is installed in the Slack {where} "
            f"<b>{html.escape(workspace)}</b>.</p>"
            "<p>Next: in Slack, each person runs <code>/astravue connect</code> to connect "
            "their own Astravue account. You can close this tab.</p>"
        ),
    )


def install_failed_page(reason: str) -> tuple[str, int]:
    title, text = _FAILURES.get(reason, _FAILURES["invalid_code"])
    status = 500 if reason == "storage_error" else 400
    if reason == "access_denied":
        status = 200
    return _document(title, f"<p>{html.escape(text)}</p>"), status
