"""The endpoint table agrees with openapi.yaml, and paths only take integer ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.astravue.endpoints import ENDPOINTS

OPENAPI = Path("/work/shared/astravue-api/openapi.yaml")
KEYCLOAK_PREFIX = "/protocol/openid-connect"


def openapi_operations() -> dict[str, tuple[str, str]]:
    spec: dict[str, Any] = yaml.safe_load(OPENAPI.read_text())
    operations = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch"}:
                operations[operation["operationId"]] = (method.upper(), path)
    return operations


@pytest.mark.skipif(not OPENAPI.exists(), reason="the shared openapi.yaml is not on this machine")
def test_table_matches_openapi() -> None:
    operations = openapi_operations()
    assert len(operations) == 44
    for name, (method, path) in operations.items():
        endpoint = ENDPOINTS[name]
        expected_path = KEYCLOAK_PREFIX + path if endpoint.base == "auth" else path
        assert (endpoint.method, endpoint.path) == (method, expected_path), name


def test_rest_paths_are_versioned_and_auth_paths_are_oidc() -> None:
    for endpoint in ENDPOINTS.values():
        prefix = "/v1/" if endpoint.base == "api" else KEYCLOAK_PREFIX + "/"
        assert endpoint.path.startswith(prefix), endpoint.name
    assert ENDPOINTS["refreshAccessToken"].path == ENDPOINTS["getAccessAndRefreshToken"].path


def test_build_fills_integer_ids() -> None:
    endpoint = ENDPOINTS["getProjectTask"]
    assert endpoint.build(spaceId=1, projectId=2, taskId=3) == "/v1/spaces/1/projects/2/tasks/3"


@pytest.mark.parametrize(
    "params",
    [
        {"taskId": "7/../../spaces"},
        {"taskId": True},
        {"taskId": 7, "extra": 1},
        {},
    ],
)
def test_build_rejects_anything_but_the_integer_placeholders(params: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="getPersonalTask"):
        ENDPOINTS["getPersonalTask"].build(**params)


def test_only_post_is_treated_as_non_idempotent() -> None:
    assert not ENDPOINTS["createPersonalTask"].idempotent
    assert not ENDPOINTS["startPersonalTaskTimer"].idempotent
    assert ENDPOINTS["stopTimer"].idempotent
    assert ENDPOINTS["deleteNotifications"].idempotent
