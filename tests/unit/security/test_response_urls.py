"""The response_url allow-list: Slack's hosts over https, plus configured prefixes."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings
from bot.security.response_urls import ResponseUrlPolicy, host_of

SLACK = ResponseUrlPolicy.from_settings("https://slack.com/api/", None)
SANDBOX = ResponseUrlPolicy.from_settings(
    "http://127.0.0.1:8000/slack/api/", "http://127.0.0.1:8000/slack/respond/"
)


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com/commands/T0/1/abc",
        "https://hooks.slack.com/actions/T0/2/def",
        "https://slack.com/x",
        "https://hooks.slack.com:443/actions/T0/2/def",
    ],
)
def test_slack_hosts_are_allowed(url: str) -> None:
    assert SLACK.allows(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.slack.com/commands/T0/1/abc",  # not https
        "https://hooks.slack.com.evil.test/commands",
        "https://evilslack.com/commands",
        "https://hooks.slack.com@evil.test/commands",
        "https://evil.test/?https://hooks.slack.com/",
        "https://hooks.slack.com\\@evil.test/",
        "https://hooks.slack.com:8443/commands",
        "https://hooks.slack.com:99999/commands",
        "http://169.254.169.254/latest/meta-data",
        "http://127.0.0.1:8000/slack/respond/x",  # the sandbox's, not configured here
        "",
        None,
        5,
        ["https://hooks.slack.com/x"],
    ],
)
def test_anything_else_is_refused(url: object) -> None:
    assert not SLACK.allows(url)


def test_a_configured_prefix_widens_the_list_and_only_by_itself() -> None:
    assert SANDBOX.allows("http://127.0.0.1:8000/slack/respond/abc")
    assert SANDBOX.allows("https://hooks.slack.com/commands/T0/1/abc")
    assert not SANDBOX.allows("http://127.0.0.1:8000/slack/api/chat.postMessage")
    assert not SANDBOX.allows("http://127.0.0.1:9000/slack/respond/abc")
    assert not SANDBOX.allows("https://127.0.0.1:8000/x")  # the API host is not https


def test_a_prefix_without_a_path_ends_at_its_host() -> None:
    policy = ResponseUrlPolicy.from_settings("https://slack.com/api/", "http://127.0.0.1:9")
    assert policy.allows("http://127.0.0.1:9/respond")
    assert not policy.allows("http://127.0.0.1:90/respond")


def test_the_api_domain_follows_slack_api_url() -> None:
    gov = ResponseUrlPolicy.from_settings("https://slack-gov.com/api/", None)
    assert gov.allows("https://hooks.slack-gov.com/commands/T0/1/abc")
    assert not gov.allows("https://slack.com/x")


def test_logs_name_the_host_never_the_path() -> None:
    assert host_of("https://hooks.slack.com/commands/T0/1/secret") == "hooks.slack.com"
    assert host_of("http://[::1") == "?"


def test_the_setting_must_hold_urls() -> None:
    with pytest.raises(ConfigError, match="SLACK_RESPONSE_URL_PREFIXES"):
        load_settings(_env_file=None, slack_response_url_prefixes="hooks.example.test/")
    assert load_settings(_env_file=None, slack_response_url_prefixes=" http://a/, https://b/ ")
