"""The sandbox Astravue REST API: the /v1 operations of openapi.yaml over an `AstravueState`.

This layer authenticates (bearer token through the caller's `authenticate`, then `X-Org-Id`),
parses query strings and JSON bodies into typed values, calls the state (which owns every
rule) and renders DTOs inside the success envelope. Every failure answers the ApiError body.
"""

from bot.sandbox.astravue_api.app import create_astravue_app

__all__ = ["create_astravue_app"]
