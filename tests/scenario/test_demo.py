"""`astravue-bot demo --script`: the terminal Slack simulator driving the real app end to end."""

from __future__ import annotations

import io

from rich.console import Console

from bot.cli import prepare_database
from bot.demo.script import run_script, script_lines

SCRIPT = """\
# connect through the sandbox Keycloak (the browser part is followed automatically)
/astravue connect
/astravue task new Write the demo script #Website tomorrow p2
click Create
click Start timer
/astravue timer stop
click Add note
fill note Drafted the demo
submit
# the first poll sums up what was already unread; the second change arrives as its own DM
teammate
teammate
/astravue notifications
fill notif_pick_0 1
click Mark selected read
# in the channel: a shared link unfurls, and a followed project posts its changes
share Update pricing page copy
click Complete
/astravue feed Website
complete Fix login redirect loop
"""


def _after(transcript: str, step: str) -> str:
    """What the demo printed for one input (up to the next input)."""
    rest = transcript.split(f"U0MARIA > {step}\n", 1)[1]
    return rest.split("U0MARIA > ", 1)[0]


async def test_scripted_demo_covers_connect_task_timer_notifications_unfurl_and_feed() -> None:
    out = io.StringIO()
    code = await run_script(
        script_lines(SCRIPT), Console(file=out, width=100), prepare_database=prepare_database
    )
    transcript = out.getvalue()
    assert code == 0, transcript
    assert "\x1b[" not in transcript  # no colours when the output is not a terminal
    assert "# " not in transcript  # comments are skipped

    connect = _after(transcript, "/astravue connect")
    assert "[1] ( Connect Astravue )" in connect
    assert "signing in to the sandbox Keycloak as maria" in connect
    assert "Browser shows: Connected (HTTP 200)" in connect
    assert "Connected as Maria Lopez (maria@acme.test)" in connect

    preview = _after(transcript, "/astravue task new Write the demo script #Website tomorrow p2")
    assert "New task: Write the demo script" in preview and "[1] ( Create )" in preview
    created = _after(transcript, "click Create")
    assert "(updated)" in created and "Created." in created and "( Start timer )" in created

    assert "Running since" in _after(transcript, "click Start timer")
    stopped = _after(transcript, "/astravue timer stop")
    assert "Stopped Write the demo script" in stopped and "( Undo )" in stopped
    assert "Note [note]" in _after(transcript, "click Add note")
    noted = _after(transcript, "submit")
    assert "(The modal closed.)" in noted
    assert "Stopped Write the demo script" in noted and "Drafted the demo" in noted

    first, second = transcript.split("U0MARIA > teammate\n")[1:3]
    assert "Meanwhile in Astravue:" in first and "unread Astravue notifications" in first
    happened = second.split("Meanwhile in Astravue: ", 1)[1].splitlines()[0]
    assert "Direct message from Astravue" in second and "( Mark read )" in second
    task_title = happened.split('"')[1]
    assert task_title in second.split("Direct message from Astravue", 1)[1]

    listed = _after(transcript, "/astravue notifications")
    assert "Modal: Notifications" in listed and task_title in listed
    marked = _after(transcript, "click Mark selected read")
    assert "Modal (updated): Notifications" in marked and "Marked 1 as read" in marked

    shared = _after(transcript, "share Update pricing page copy")
    assert "#general · maria: http" in shared and "/tasks/" in shared
    preview = shared.split("Astravue preview of", 1)[1]
    assert "Update pricing page copy" in preview and "To Do" in preview
    assert "( Complete )" in preview and "( Start timer )" in preview
    completed = _after(transcript, "click Complete")
    assert "Completed." in completed and "Done" in completed

    subscribed = _after(transcript, "/astravue feed Website")
    assert "#general now follows Website" in subscribed
    assert "was completed" not in subscribed  # the first read only records what is there
    feed = _after(transcript, "complete Fix login redirect loop")
    assert "Meanwhile in Astravue:" in feed and "#general · Astravue" in feed
    assert "Fix login redirect loop was completed by" in feed.split("#general · Astravue", 1)[1]


async def test_a_step_that_cannot_be_done_is_reported_and_fails_the_run() -> None:
    out = io.StringIO()
    code = await run_script(
        script_lines("click 3\nsubmit\n/astravue help\nfly away\nshare No such task\n"),
        Console(file=out, width=100, no_color=True),
        prepare_database=prepare_database,
    )
    transcript = out.getvalue()
    assert code == 1
    assert "! there is no [3] on screen" in transcript
    assert "! no modal is open" in transcript
    assert "! I don't understand 'fly'" in transcript
    assert "! no task titled 'No such task' in Astravue" in transcript
    assert "Astravue for Slack" in transcript  # the steps in between still ran
    assert "4 step(s) did not work." in transcript
