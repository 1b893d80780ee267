"""Settings: defaults, parsing, one clear message per bad variable, .env under the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostaway_mcp.config import DEFAULT_BASE_URL, load_settings, read_environment
from hostaway_mcp.errors import ConfigurationError


def test_defaults() -> None:
    s = load_settings({})
    assert s.base_url == DEFAULT_BASE_URL
    assert (s.rate_limit_ip, s.rate_limit_account, s.max_concurrent_requests) == (15, 20, 10)
    assert (s.token_refresh_days, s.timeout, s.log_level) == (7.0, 30.0, "INFO")
    assert s.read_only is True and s.demo is False
    assert s.max_result_chars == 20_000 and s.cache_ttl == 300.0
    assert not s.has_credentials


def test_values_are_parsed() -> None:
    s = load_settings(
        {
            "HOSTAWAY_CLIENT_ID": " 10450 ",
            "HOSTAWAY_CLIENT_SECRET": "abc",
            "HOSTAWAY_BASE_URL": "http://127.0.0.1:8765/v1/",
            "RATE_LIMIT_IP": "10",
            "RATE_LIMIT_WINDOW": "2.5",
            "HOSTAWAY_READ_ONLY": "false",
            "HOSTAWAY_LOG_LEVEL": "debug",
            "HOSTAWAY_CACHE_TTL": "0",
        }
    )
    assert s.client_id == "10450" and s.has_credentials
    assert s.base_url == "http://127.0.0.1:8765/v1"
    assert s.rate_limit_ip == 10 and s.read_only is False
    assert s.rate_window_seconds == 2.5
    assert s.log_level == "DEBUG" and s.cache_ttl == 0


def test_secret_is_not_in_repr() -> None:
    assert "abc-secret" not in repr(load_settings({"HOSTAWAY_CLIENT_SECRET": "abc-secret"}))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RATE_LIMIT_IP", "0"),
        ("RATE_LIMIT_ACCOUNT", "many"),
        ("RATE_LIMIT_WINDOW", "0"),
        ("MAX_CONCURRENT_REQUESTS", "-1"),
        ("TOKEN_REFRESH_DAYS", "-2"),
        ("HOSTAWAY_TIMEOUT", "soon"),
        ("HOSTAWAY_LOG_LEVEL", "LOUD"),
        ("HOSTAWAY_READ_ONLY", "maybe"),
        ("HOSTAWAY_BASE_URL", "api.hostaway.com"),
        ("HOSTAWAY_MAX_RESULT_CHARS", "1.5"),
        ("HOSTAWAY_MAX_RESULT_CHARS", "500"),
        ("HOSTAWAY_CACHE_TTL", "nan"),
    ],
)
def test_invalid_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings({name: value})
    message = str(caught.value)
    assert message.startswith(name)
    assert repr(value) in message


def test_missing_credentials_message_names_what_is_missing() -> None:
    message = load_settings({"HOSTAWAY_CLIENT_ID": "1"}).missing_credentials_message()
    assert "HOSTAWAY_CLIENT_SECRET" in message and "HOSTAWAY_CLIENT_ID and" not in message
    assert "--demo" in message


def test_dotenv_is_read_and_the_real_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("HOSTAWAY_CLIENT_ID=from-file\nHOSTAWAY_TIMEOUT=12\n")
    monkeypatch.setenv("HOSTAWAY_TIMEOUT", "7")
    monkeypatch.delenv("HOSTAWAY_CLIENT_ID", raising=False)
    env = read_environment(str(dotenv))
    s = load_settings(env)
    assert s.client_id == "from-file"
    assert s.timeout == 7.0
