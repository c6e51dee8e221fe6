"""The running-stack fixture of the scenario tests, shared with the reliability tests."""

from tests.scenario.conftest import stack  # noqa: F401
