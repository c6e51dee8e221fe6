"""Sending one operation of the endpoint table for one user, and what can go wrong.

Each call sends the user's bearer token and `X-Org-Id`, within the user's rate budget and
the retry policy, unwraps the `{"success", "message", "code", "data"}` envelope and maps a
failure to the error hierarchy (`bot.astravue.errors`). On a 401 the token provider refreshes
once and the call is sent once more; a second 401 means the link is dead
(`ReauthorizationRequired`). Every attempt is counted (`bot.metrics`) and logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

import httpx

from bot import metrics
from bot.astravue.budget import UserRateBudget
from bot.astravue.endpoints import ENDPOINTS, Endpoint
from bot.astravue.errors import (
    AstravueConnectionError,
    AstravueTimeout,
    ReauthorizationRequired,
    ResponseValidationError,
    Unauthorized,
    error_for_response,
)
from bot.astravue.models import RequestModel
from bot.astravue.replies import Reply
from bot.astravue.retry import RetryPolicy, capped_timeout, should_retry

logger = logging.getLogger(__name__)


class TokenProvider(Protocol):
    """Supplies the user's access token; implemented by the token service."""

    async def access_token(self) -> str: ...

    async def refresh_after_unauthorized(self, rejected_token: str) -> str:
        """A fresh token after Astravue refused `rejected_token`.

        May raise ReauthorizationRequired.
        """
        ...


@dataclass(frozen=True)
class _Outgoing:
    """One operation ready to send: sent again as is on a retry or after a token refresh."""

    endpoint: Endpoint
    path: str
    query: Mapping[str, Any] | None
    json_body: Any


class Transport:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        org_id: int | None,
        tokens: TokenProvider,
        user_key: str,
        retry: RetryPolicy | None = None,
        budget: UserRateBudget | None = None,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._org_id = org_id
        self._tokens = tokens
        self._user_key = user_key
        self._retry = retry or RetryPolicy()
        self._budget = budget

    async def call(
        self,
        operation: str,
        *,
        path: Mapping[str, int] | None = None,
        query: Mapping[str, Any] | None = None,
        body: RequestModel | None = None,
    ) -> Reply:
        """Send one operation of the endpoint table; the reply holds the envelope's `data`."""
        endpoint = ENDPOINTS[operation]
        concrete_path = endpoint.build(**(path or {}))
        json_body = body.to_wire() if body is not None else None
        request = _Outgoing(endpoint, concrete_path, query, json_body)
        token = await self._tokens.access_token()
        try:
            data = await self._send(request, token)
        except Unauthorized:
            token = await self._tokens.refresh_after_unauthorized(token)
            try:
                data = await self._send(request, token)
            except Unauthorized as exc:
                raise ReauthorizationRequired(
                    f"Astravue refused a freshly refreshed token on {endpoint.method} "
                    f"{endpoint.path}"
                ) from exc
        return Reply(operation, concrete_path, data)

    async def _send(self, request: _Outgoing, token: str) -> Any:
        async def attempt(seconds_left: float) -> Any:
            return await self._attempt(request, token, seconds_left)

        return await self._retry.run(
            attempt, retryable=partial(should_retry, idempotent=request.endpoint.idempotent)
        )

    async def _attempt(self, request: _Outgoing, token: str, seconds_left: float) -> Any:
        endpoint, path = request.endpoint, request.path
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if self._org_id is not None:
            headers["X-Org-Id"] = str(self._org_id)
        slot: AbstractAsyncContextManager[None] = (
            self._budget.slot(self._user_key) if self._budget else nullcontext()
        )
        async with slot:
            started = time.perf_counter()
            try:
                response = await self._http.request(
                    endpoint.method,
                    self._base_url + path,
                    params=request.query,
                    json=request.json_body,
                    headers=headers,
                    timeout=capped_timeout(self._http.timeout, seconds_left),
                )
            except httpx.TimeoutException as exc:
                self._log(endpoint, "timeout", started)
                never_sent = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
                raise AstravueTimeout(
                    endpoint.method, path, "timed out", request_sent=not never_sent
                ) from exc
            except httpx.RequestError as exc:
                self._log(endpoint, type(exc).__name__, started)
                raise AstravueConnectionError(
                    endpoint.method,
                    path,
                    f"connection failed ({type(exc).__name__})",
                    request_sent=not isinstance(exc, httpx.ConnectError),
                ) from exc
        self._log(endpoint, response.status_code, started)
        if not response.is_success:
            raise error_for_response(endpoint.method, path, response)
        return _unwrap(endpoint.method, path, response)

    def _log(self, endpoint: Endpoint, outcome: int | str, started: float) -> None:
        metrics.count_astravue_call(endpoint.name, outcome)
        logger.debug(
            "astravue %s %s -> %s in %.0f ms (user %s)",
            endpoint.method,
            endpoint.path,
            outcome,
            (time.perf_counter() - started) * 1000,
            self._user_key,
        )


def _unwrap(method: str, path: str, response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        body = response.json()
    except ValueError:
        raise ResponseValidationError(method, path, "body is not JSON") from None
    if isinstance(body, dict):
        if "data" in body:
            return body["data"]
        if "success" in body:  # an envelope without a payload (deletes)
            return None
    raise ResponseValidationError(method, path, "no success envelope")
