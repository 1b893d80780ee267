"""Configuration is ours: `.env` only from the working directory or HOSTAWAY_ENV_FILE, https
unless the API is on this machine, a checked approval mode, and `check` warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hostaway_mcp.__main__ import main
from hostaway_mcp.config import (
    DEFAULT_BASE_URL,
    load_environment,
    load_settings,
    warnings_for,
)
from hostaway_mcp.errors import ConfigurationError

VARIABLES = (
    "HOSTAWAY_CLIENT_ID",
    "HOSTAWAY_CLIENT_SECRET",
    "HOSTAWAY_BASE_URL",
    "HOSTAWAY_DEMO",
    "HOSTAWAY_ENV_FILE",
    "HOSTAWAY_READ_ONLY",
    "HOSTAWAY_WRITE_APPROVAL",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_a_dotenv_in_a_parent_directory_is_ignored(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "HOSTAWAY_BASE_URL=http://127.0.0.1:9/v1\nHOSTAWAY_READ_ONLY=false\n"
    )
    project = tmp_path / "checkout" / "src"
    project.mkdir(parents=True)
    env = load_environment({}, cwd=project)
    assert env.env_file is None
    assert "HOSTAWAY_BASE_URL" not in env.values
    assert load_settings(env.values).read_only is True


def test_the_working_directory_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HOSTAWAY_CLIENT_ID=from-file\nHOSTAWAY_TIMEOUT=12\n")
    env = load_environment({"HOSTAWAY_TIMEOUT": "7"}, cwd=tmp_path)
    assert env.env_file == tmp_path / ".env"
    assert env.values["HOSTAWAY_CLIENT_ID"] == "from-file"
    assert env.values["HOSTAWAY_TIMEOUT"] == "7"


def test_hostaway_env_file_names_the_file_to_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HOSTAWAY_CLIENT_ID=from-cwd\n")
    named = tmp_path / "conf" / "hostaway.env"
    named.parent.mkdir()
    named.write_text("HOSTAWAY_CLIENT_ID=from-named\n")
    env = load_environment({"HOSTAWAY_ENV_FILE": "conf/hostaway.env"}, cwd=tmp_path)
    assert env.env_file == named
    assert env.values["HOSTAWAY_CLIENT_ID"] == "from-named"


def test_a_missing_hostaway_env_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="HOSTAWAY_ENV_FILE"):
        load_environment({"HOSTAWAY_ENV_FILE": str(tmp_path / "nope.env")}, cwd=tmp_path)


@pytest.mark.parametrize(
    "url",
    [
        "http://api.hostaway.com/v1",
        "http://evil.example/v1",
        "http://10.0.0.5:8080/v1",
        "http://127.0.0.1.evil.example/v1",
        "ftp://api.hostaway.com/v1",
        "https:///v1",
    ],
)
def test_plain_http_is_refused_unless_the_host_is_loopback(url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"HOSTAWAY_BASE_URL": url})
    assert str(caught.value).startswith("HOSTAWAY_BASE_URL must be an https URL")


@pytest.mark.parametrize(
    "url",
    [
        "https://api.hostaway.com/v1/",
        "https://proxy.example.com/hostaway/v1",
        "http://127.0.0.1:8765/v1",
        "http://127.8.9.10/v1",
        "http://[::1]:8765/v1",
        "http://localhost:8765/v1",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    assert load_settings({"HOSTAWAY_BASE_URL": url}).base_url == url.rstrip("/")


def test_write_approval_defaults_to_host_and_accepts_model() -> None:
    assert load_settings({}).write_approval == "host"
    assert load_settings({"HOSTAWAY_WRITE_APPROVAL": " Model "}).write_approval == "model"


def test_an_unknown_write_approval_names_the_variable() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"HOSTAWAY_WRITE_APPROVAL": "auto"})
    assert str(caught.value) == "HOSTAWAY_WRITE_APPROVAL must be host or model, got 'auto'."


def test_warnings_for_a_non_default_base_url_and_demo_overriding_credentials() -> None:
    assert warnings_for(load_settings({}), {}) == []
    custom = load_settings({"HOSTAWAY_BASE_URL": "https://proxy.example.com/v1"})
    [note] = warnings_for(custom, {})
    assert "https://proxy.example.com/v1" in note and DEFAULT_BASE_URL in note
    env = {"HOSTAWAY_CLIENT_ID": "12345", "HOSTAWAY_CLIENT_SECRET": "x" * 20}
    [note] = warnings_for(load_settings(env, demo=True), env)
    assert "HOSTAWAY_CLIENT_ID, HOSTAWAY_CLIENT_SECRET" in note
    assert "x" * 20 not in note


def test_check_prints_the_warnings_and_logs_the_file_it_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "a-real-looking-secret-value"
    (tmp_path / ".env").write_text(f"HOSTAWAY_CLIENT_ID=12345\nHOSTAWAY_CLIENT_SECRET={secret}\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--demo"]) == 0
    err = capsys.readouterr().err
    assert "warning: Demo mode ignores HOSTAWAY_CLIENT_ID, HOSTAWAY_CLIENT_SECRET" in err
    assert "OK: Hostaway account 100001 at demo sandbox" in err
    assert secret not in err
    [loaded] = [json.loads(line) for line in err.splitlines() if line.startswith("{")][:1]
    assert loaded["message"] == "settings file loaded"
    assert loaded["env_file"] == str(tmp_path / ".env")


def test_check_refuses_a_plain_http_base_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOSTAWAY_BASE_URL", "http://listener.example/v1")
    assert main(["check"]) == 2
    assert "HOSTAWAY_BASE_URL must be an https URL" in capsys.readouterr().err


def test_a_missing_env_file_is_reported_by_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOSTAWAY_ENV_FILE", "missing.env")
    assert main(["check"]) == 2
    assert "HOSTAWAY_ENV_FILE names 'missing.env', which is not a file." in capsys.readouterr().err
