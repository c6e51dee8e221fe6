"""The failures the fake Astravue reports, each with its HTTP status and ApiError body."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.sandbox.astravue_state.values import iso


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    rejected_value: object = None


class SandboxError(Exception):
    """A failure the API reports with `status` and the ApiError body."""

    status = 500

    def __init__(self, message: str, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


class BadRequest(SandboxError):
    status = 400


class Unauthorized(SandboxError):
    status = 401


class Forbidden(SandboxError):
    status = 403


class NotFound(SandboxError):
    status = 404


class Conflict(SandboxError):
    status = 409


def invalid(field_name: str, message: str, rejected: object = None) -> BadRequest:
    return BadRequest(
        f"Validation failed: {field_name} {message}", [FieldError(field_name, message, rejected)]
    )


def check_order(
    first: datetime | None, second: datetime | None, field_name: str, other: str
) -> None:
    if first is not None and second is not None and second < first:
        raise invalid(field_name, f"must not be before {other}", iso(second))
