"""Spaces and projects end to end: lists, forms, typed-name deletes, roles, pick lists, 404s."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox.astravue_state import Project, Space
from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from tests.scenario.conftest import buttons, connect, eventually, text_of
from tests.scenario.test_timers import run, text_input


def space_named(stack: Stack, name: str) -> Space | None:
    return next((s for s in stack.sandbox.astravue.spaces.values() if s.name == name), None)


def project_named(stack: Stack, name: str) -> Project | None:
    return next((p for p in stack.sandbox.astravue.projects.values() if p.name == name), None)


async def modal_with(stack: Stack, user: str, callback: str) -> dict[str, Any]:
    """The user's top modal once it is the one with this callback id (after loading)."""

    def top() -> dict[str, Any] | None:
        views = stack.sandbox.slack.open_views(user)
        return views[-1] if views and views[-1]["callback_id"] == callback else None

    return await eventually(top)


async def told(stack: Stack, user: str, containing: str) -> str:
    """A message to the user containing this text: a form's result is posted ephemerally
    where the user was, and an error after a submission comes as a DM."""
    fake = stack.sandbox.slack

    def found() -> str | None:
        texts = [
            text_of({"text": m.text, "blocks": m.blocks})
            for m in [*fake.ephemerals_for(user), *fake.dm_messages(user)]
        ]
        return next((t for t in texts if containing in t), None)

    return await eventually(found)


def select(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


async def test_space_list_create_edit_and_delete_by_typed_name(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    listing = await run(stack, "spaces")
    shown = text_of(listing)
    assert "Engineering" in shown and "Website" in shown and "Marketing" in shown
    assert "Operations" not in shown  # another organisation's space

    await maria.command("space new Research")
    form = await modal_with(stack, "U0MARIA", Callback.SPACE_FORM)
    assert form["blocks"][0]["element"]["initial_value"] == "Research"
    blank = await maria.submit(form, {"name": {"value": text_input("  ")}})
    assert "name" in blank.json()["errors"]
    await maria.submit(
        form, {"name": {"value": text_input("Research")}, "color": {"value": select("#009688")}}
    )
    await told(stack, "U0MARIA", "created")
    research = space_named(stack, "Research")
    assert research is not None and research.color == "#009688"

    await maria.command("space edit research")
    form = await modal_with(stack, "U0MARIA", Callback.SPACE_FORM)
    assert form["blocks"][0]["element"]["initial_value"] == "Research"
    await maria.submit(form, {"name": {"value": text_input("R&D <!channel>")}})
    said = await told(stack, "U0MARIA", "saved")
    assert "R&amp;D &lt;!channel&gt;" in said and "<!channel>" not in said
    assert stack.sandbox.astravue.spaces[research.space_id].name == "R&D <!channel>"

    await maria.command("space delete Engineering")
    confirm = await modal_with(stack, "U0MARIA", Callback.SPACE_DELETE)
    assert "2 projects" in text_of(confirm) and "9 tasks" in text_of(confirm)
    wrong = await maria.submit(confirm, {"confirm": {"value": text_input("engineering")}})
    assert "confirm" in wrong.json()["errors"]
    assert space_named(stack, "Engineering") is not None
    await maria.submit(confirm, {"confirm": {"value": text_input("Engineering")}})
    await told(stack, "U0MARIA", "deleted")
    assert space_named(stack, "Engineering") is None and project_named(stack, "Website") is None


async def test_projects_show_edit_and_delete(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    listing = text_of(await run(stack, "projects Engineering"))
    assert "Website" in listing and "Mobile App" in listing and "Launch" not in listing

    card = await run(stack, "project show #website")
    shown = text_of(card)
    assert "Engineering" in shown and "4 open of 5" in shown and "20,000.00" in shown
    edit = buttons(card)[Action.PROJECT_EDIT]
    await maria.click(Action.PROJECT_EDIT, edit["value"], message=card)
    form = await modal_with(stack, "U0MARIA", Callback.PROJECT_FORM)
    assert form["blocks"][0]["element"]["initial_value"] == "Website"
    bad = await maria.submit(
        form,
        {
            "name": {"value": text_input("Website")},
            "start": {"value": {"type": "datepicker", "selected_date": "2030-05-10"}},
            "end": {"value": {"type": "datepicker", "selected_date": "2030-05-01"}},
        },
    )
    assert "end" in bad.json()["errors"]
    await maria.submit(
        form,
        {
            "name": {"value": text_input("Website 2")},
            "status": {"value": select("On Hold")},
            "end": {"value": {"type": "datepicker", "selected_date": "2030-05-01"}},
            "budget": {"value": {"type": "number_input", "value": "25000"}},
        },
    )
    await told(stack, "U0MARIA", "saved")
    website = project_named(stack, "Website 2")
    assert website is not None and website.status == "On Hold" and website.budget == 25000.0
    assert website.end_date is not None  # end of that day in Madrid
    assert website.end_date.astimezone(ZoneInfo("Europe/Madrid")).date().isoformat() == (
        "2030-05-01"
    )

    await maria.click(Action.PROJECT_DELETE, edit["value"], message=card)
    confirm = await modal_with(stack, "U0MARIA", Callback.PROJECT_DELETE)
    assert "5 tasks (4 open)" in text_of(confirm)
    await maria.submit(confirm, {"confirm": {"value": text_input("Website 2")}})
    await told(stack, "U0MARIA", "deleted")
    assert project_named(stack, "Website 2") is None
    assert not [
        t for t in stack.sandbox.astravue.tasks.values() if t.project_id == website.project_id
    ]

    before = len(stack.sandbox.slack.responses)  # the stale card: 404 removes its buttons
    await maria.click(Action.PROJECT_EDIT, edit["value"], message=card)
    gone = await eventually(lambda: [p.payload for p in stack.sandbox.slack.responses[before:]])
    assert "no longer exists" in text_of(gone[-1]) and not buttons(gone[-1])


async def test_new_project_in_a_space_and_ambiguous_names(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    await maria.command("project new marketing")
    form = await modal_with(stack, "U0MARIA", Callback.PROJECT_FORM)
    marketing = space_named(stack, "Marketing")
    assert marketing is not None
    space_block = next(b for b in form["blocks"] if b.get("block_id") == "space")
    assert space_block["element"]["initial_option"]["value"] == str(marketing.space_id)
    await maria.submit(
        form,
        {
            "name": {"value": text_input("Autumn campaign")},
            "space": {"value": select(str(marketing.space_id))},
            "health": {"value": select("At Risk")},
        },
    )
    await told(stack, "U0MARIA", "created")
    autumn = project_named(stack, "Autumn campaign")
    assert autumn is not None and autumn.space_id == marketing.space_id
    assert autumn.health == "At Risk"

    picks = await run(stack, "project show a")  # Mobile App, Launch, Autumn campaign
    choose = buttons(picks)[Action.PROJECT_CHOOSE]
    labels = [o["text"]["text"] for o in choose["options"]]
    assert "Marketing / Launch" in labels and "Engineering / Mobile App" in labels
    launch = next(o for o in choose["options"] if o["text"]["text"] == "Marketing / Launch")
    before = len(stack.sandbox.slack.responses)
    await maria.click(Action.PROJECT_CHOOSE, message=picks, selected_option=launch)
    card = await eventually(lambda: [p.payload for p in stack.sandbox.slack.responses[before:]])
    assert "Spring launch campaign" in text_of(card[-1])


async def test_roles_say_who_may(stack: Stack) -> None:
    await connect(stack, "U0DEV")
    dev = stack.user("U0DEV")
    await dev.command("space new Skunkworks")
    form = await modal_with(stack, "U0DEV", Callback.SPACE_FORM)
    await dev.submit(form, {"name": {"value": text_input("Skunkworks")}})
    said = await told(stack, "U0DEV", "Only organisation Admins and Account Admins can create")
    assert "role doesn't allow you to create spaces" in said
    assert space_named(stack, "Skunkworks") is None

    await dev.command("project delete Launch")
    confirm = await modal_with(stack, "U0DEV", Callback.PROJECT_DELETE)
    await dev.submit(confirm, {"confirm": {"value": text_input("Launch")}})
    said = await told(stack, "U0DEV", "Project Admins")
    assert "delete this project" in said
    assert project_named(stack, "Launch") is not None
