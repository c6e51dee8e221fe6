"""Issue 19 point 5 for projects: words that name several projects answer with one button per
candidate (never "type more" alone), and a click finishes the original command with that
project. Through the real app: signed requests into /slack/events against the sandbox."""

from __future__ import annotations

from typing import Any

from bot.sandbox.seed import MARIA
from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect, last_response, text_of
from tests.scenario.feeds_helpers import project_id, subscriptions
from tests.scenario.test_conversation_words import choices
from tests.scenario.test_timers import run


def add_project(stack: Stack, space: str, name: str) -> int:
    state = stack.sandbox.astravue
    space_id = next(s.space_id for s in state.spaces.values() if s.name == space)
    return state.create_project(MARIA, space_id, name).project_id


async def choose(stack: Stack, answer: dict[str, Any], label: str) -> dict[str, Any]:
    """Click the button beside the candidate `label`; the answer the click brings."""
    choice = next(v for k, v in choices(answer).items() if k == f"*{label}*")
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").click(choice["action_id"], choice["value"], message=answer)
    return await last_response(stack, "U0MARIA", before)


async def test_task_list_offers_the_projects_and_a_click_lists_the_chosen_one(
    stack: Stack,
) -> None:
    add_project(stack, "Engineering", "Web API")
    await connect(stack, "U0MARIA")

    answer = await run(stack, "task list web")
    assert "“web” matches several projects" in text_of(answer)
    assert "Use the id" not in text_of(answer)
    assert set(choices(answer)) == {"*Website*", "*Web API*"}

    listed = await choose(stack, answer, "Website")
    assert "Tasks in Website" in text_of(listed)
    assert "Update pricing page copy" in text_of(listed)


async def test_timesheet_names_the_space_where_names_repeat_and_a_click_shows_it(
    stack: Stack,
) -> None:
    add_project(stack, "Engineering", "Web API")
    add_project(stack, "Marketing", "Website")
    await connect(stack, "U0MARIA")

    answer = await run(stack, "timesheet web week")
    assert set(choices(answer)) == {
        "*Engineering / Website*",
        "*Marketing / Website*",
        "*Web API*",
    }
    engineering = project_id(stack, "Website")  # the seeded one, created first
    button = choices(answer)["*Engineering / Website*"]
    assert button["value"] == f"timesheet {engineering} week"

    sheet = await choose(stack, answer, "Engineering / Website")
    assert "Timesheet: Website" in text_of(sheet)


async def test_feed_offers_the_projects_and_a_click_subscribes_the_chosen_one(
    stack: Stack,
) -> None:
    api = add_project(stack, "Engineering", "Web API")
    await connect(stack, "U0MARIA")

    answer = await run(stack, "feed web")
    assert set(choices(answer)) == {"*Website*", "*Web API*"}
    assert await subscriptions(stack) == []

    said = await choose(stack, answer, "Web API")
    assert "now follows" in text_of(said), text_of(said)
    assert [s.project_id for s in await subscriptions(stack)] == [api]  # written before the reply


async def test_many_candidates_show_five_then_say_how_many_more(stack: Stack) -> None:
    for n in range(1, 6):
        add_project(stack, "Engineering", f"Web {n}")
    await connect(stack, "U0MARIA")

    answer = await run(stack, "task list web")
    assert len(choices(answer)) == 5
    assert "…and 1 more: type more of the name." in text_of(answer)
