"""A refused write in words: which field and why, and that nothing changed."""

from __future__ import annotations

from bot.astravue.errors import BadRequest
from bot.astravue.models import FieldError
from bot.ui.errors import describe, field_errors, in_words


def refused(*errors: tuple[str, str]) -> BadRequest:
    return BadRequest(
        400,
        "PUT",
        "/v1/tasks/7",
        "Validation failed",
        [FieldError(field=f, message=m) for f, m in errors],
    )


def test_wire_names_become_words() -> None:
    assert in_words("dueDate") == "due date"
    assert in_words("must not be before startDate") == "must not be before start date"
    assert in_words("taskTitle") == "title" and in_words("projectName") == "name"
    assert in_words("X-Org-Id header is required") == "X-Org-Id header is required"


def test_describe_names_the_field_and_why_and_says_nothing_changed() -> None:
    text = describe(
        refused(("dueDate", "must not be before startDate"), ("status", "unknown status 'Shipped'"))
    )
    assert text == (
        "Astravue rejected that: due date: must not be before start date; "
        "status: unknown status 'Shipped'. Nothing was changed; fix it and try "
        "again."
    )


def test_describe_escapes_what_astravue_echoes() -> None:
    assert "&lt;!channel&gt;" in describe(refused(("taskTitle", "bad <!channel>")))


def test_form_errors_go_under_their_input_or_name_the_field_at_the_top() -> None:
    errors = field_errors(
        refused(("dueDate", "must not be before startDate"), ("completion", "must be at most 100")),
        {"dueDate": "due"},
    )
    assert errors == {
        "due": "must not be before start date",
        "form:completion": "completion: must be at most 100",
    }
    assert field_errors(BadRequest(400, "PUT", "/x", "Broken"), {}) == {
        "form": "Astravue rejected that: Broken. Nothing was changed; fix it and try again."
    }
