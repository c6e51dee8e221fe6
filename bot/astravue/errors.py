"""The Astravue error hierarchy, and the one function mapping an HTTP status to a class.

Messages name the method, the path (never the query string) and the status; they never
contain a token, because the request headers are not part of any error.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from pydantic import ValidationError

from bot.astravue.endpoints import ENDPOINTS
from bot.astravue.models import ApiError, FieldError

_BODY_LIMIT = 2000  # characters of a non-JSON error body kept for diagnosis


class AstravueError(Exception):
    """Anything that went wrong talking to Astravue."""


class AstravueConnectionError(AstravueError):
    """No HTTP response. `request_sent` is False when the request surely never left us."""

    def __init__(self, method: str, path: str, detail: str, *, request_sent: bool) -> None:
        super().__init__(f"{method} {path}: {detail}")
        self.method = method
        self.path = path
        self.request_sent = request_sent


class AstravueTimeout(AstravueConnectionError):
    """Connecting or waiting for the answer took too long."""


class ResponseValidationError(AstravueError):
    """A 2xx answer whose body does not have the expected shape."""

    def __init__(self, method: str, path: str, detail: str) -> None:
        super().__init__(f"{method} {path}: unexpected response body: {detail}")
        self.method = method
        self.path = path


class UnexpectedResponse(ResponseValidationError):
    """A 2xx answer of an operation in a shape the client does not know (never read as empty).

    `keys` are the top-level keys seen (names only, never values), for the log and api-probe.
    """

    def __init__(
        self, operation: str, detail: str, *, keys: Sequence[str] = (), path: str | None = None
    ) -> None:
        endpoint = ENDPOINTS.get(operation)
        self.operation = operation
        self.detail = detail
        self.keys = tuple(sorted(map(str, keys)))
        self.method = endpoint.method if endpoint else ""
        self.path = path or (endpoint.path if endpoint else "")
        seen = f" (keys seen: {', '.join(self.keys) or 'none'})" if keys else ""
        AstravueError.__init__(
            self, f"{operation} ({self.method} {self.path}): unexpected answer: {detail}{seen}"
        )


class ReauthorizationRequired(AstravueError):
    """The user's Astravue link no longer works; they must connect again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AstravueAPIError(AstravueError):
    """Astravue answered with an error status."""

    def __init__(
        self,
        status: int,
        method: str,
        path: str,
        message: str,
        field_errors: list[FieldError] | None = None,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{method} {path} failed with HTTP {status}: {message}")
        self.status = status
        self.method = method
        self.path = path
        self.message = message
        self.field_errors = field_errors or []
        self.body = body
        self.retry_after = retry_after


class BadRequest(AstravueAPIError):
    """400 or 422: validation failed; `field_errors` says which input was wrong."""


class Unauthorized(AstravueAPIError):
    """401: the access token is missing, expired or revoked."""


class Forbidden(AstravueAPIError):
    """403: the user's role or organisation does not allow this."""


class NotFound(AstravueAPIError):
    """404: no such resource in this organisation."""


class Conflict(AstravueAPIError):
    """409: the resource's state forbids it (e.g. a timer already running)."""


class RateLimited(AstravueAPIError):
    """429: too many requests; `retry_after` seconds when the server said."""


class ServerError(AstravueAPIError):
    """5xx: Astravue (or a proxy in front of it) failed."""


_BY_STATUS: dict[int, type[AstravueAPIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: BadRequest,  # Spring's other answer to a body that fails validation
    429: RateLimited,
}


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _decode_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:_BODY_LIMIT]


def error_for_response(method: str, path: str, response: httpx.Response) -> AstravueAPIError:
    """The error for a non-2xx response, with the server's message and field errors."""
    status = response.status_code
    body = _decode_body(response)
    message = response.reason_phrase or "error"
    field_errors: list[FieldError] = []
    if isinstance(body, dict):
        try:
            parsed = ApiError.model_validate(body)
        except ValidationError:
            parsed = None
        if parsed is not None:
            message = parsed.message or message
            field_errors = parsed.errors
    error_class = _BY_STATUS.get(status, ServerError if status >= 500 else AstravueAPIError)
    return error_class(
        status,
        method,
        path.split("?", 1)[0],
        message,
        field_errors,
        body,
        parse_retry_after(response.headers.get("Retry-After")),
    )
