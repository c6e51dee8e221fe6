"""The small HTML pages a browser sees during the connect flow."""

from __future__ import annotations

import html

_PAGES = {
    "connected": ("Connected", "Your Astravue account is connected. You can close this tab and "
                  "go back to Slack."),
    "invalid": ("Link not valid", "This connect link is not valid. In Slack, run "
                "/astravue connect to get a new one."),
    "expired": ("Link expired", "This connect link expired (links last 10 minutes). In Slack, "
                "run /astravue connect to get a new one."),
    "used": ("Link already used", "This connect link was already used. In Slack, run "
             "/astravue connect to get a new one."),
    "denied": ("Not connected", "Astravue did not grant access, so nothing was connected. Run "
               "/astravue connect in Slack to try again."),
    "exchange_failed": ("Not connected", "Astravue did not accept the sign-in, so nothing was "
                        "connected. Run /astravue connect in Slack to try again."),
    "unavailable": ("Try again", "Astravue could not be reached. Nothing was connected; run "
                    "/astravue connect in Slack to try again in a few minutes."),
}


def page(kind: str) -> tuple[str, int]:
    title, text = _PAGES.get(kind, _PAGES["invalid"])
    status = 200 if kind == "connected" else (503 if kind == "unavailable" else 400)
    body = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title></head><body style='font-family:sans-serif;max-width:36rem;margin:3rem auto'>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>")
    return body, status
