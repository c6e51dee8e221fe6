"""Bolt's requests, built from a body parsed once.

Bolt parses a request's body when the request is built, and again for each lazy listener,
whose request it deep-copies object by object (the per-request Web API client, its logger,
`ack` and `respond`): half of our ack's CPU in a burst of commands, which bare Bolt, with no
lazy listener, never pays (issue 18). Here the body `payload_shape.check_body` has already
parsed (the payload Bolt would build) becomes the request's, and a lazy listener gets a copy
of the parsed body (a JSON round trip: it is JSON data) with the context Bolt's own
`to_copyable()` gives: its values of our own (plain ids, DESIGN.md) deep-copied, Bolt's
standard objects shared, which the request that acked has no further use for.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

_BOLT_HOOK = "_build_lazy_request"  # AsyncioListenerRunner's one place that copies


def parsed_request(
    raw_body: str,
    payload: dict[str, Any],
    *,
    query: Any,
    headers: Any,
    context: dict[str, Any] | None = None,
    mode: str = "http",
) -> AsyncBoltRequest:
    """The request Bolt would build from `raw_body`, given its parsed `payload`; `query` and
    `headers` as Bolt's adapters pass them (any mapping)."""
    request = AsyncBoltRequest(
        body=payload,
        query=query,
        headers=headers,
        context=context,
        mode="socket_mode",  # the one mode in which Bolt takes a parsed body
    )
    request.mode = mode
    request.raw_body = raw_body  # read by the response_url guard
    return request


def lazy_request(request: AsyncBoltRequest, lazy_function_name: str) -> AsyncBoltRequest:
    """What Bolt's `_build_lazy_request` returns, without the deep copy or a second parse."""
    copied = parsed_request(
        request.raw_body,
        json.loads(json.dumps(request.body)),
        query=request.query,
        headers=request.headers,
        context=request.context.to_copyable(),
        mode=request.mode,
    )
    copied.lazy_only = True
    copied.lazy_function_name = lazy_function_name
    return copied


def copy_lazy_requests_shallowly(app: AsyncApp) -> None:
    runner = app._async_listener_runner
    if not callable(getattr(runner, _BOLT_HOOK, None)):  # a Bolt upgrade moved it: say so
        raise RuntimeError(f"slack_bolt's listener runner has no {_BOLT_HOOK}()")
    setattr(runner, _BOLT_HOOK, lazy_request)
