"""The body of an Astravue error answer (field errors of a 400)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from bot.astravue.models.base import AstravueModel, Many, UtcDateTime


class FieldError(AstravueModel):
    field: str | None = None
    message: str | None = None
    rejected_value: Any = None


class ApiError(AstravueModel):
    success: bool | None = None
    message: str | None = None
    code: int | None = None
    errors: Many[FieldError] = Field(default_factory=list)
    timestamp: UtcDateTime | None = None
    path: str | None = None
