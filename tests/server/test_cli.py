"""The command line: `check` against the demo account, and argument handling."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostaway_mcp.__main__ import main


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "HOSTAWAY_CLIENT_ID",
        "HOSTAWAY_CLIENT_SECRET",
        "HOSTAWAY_DEMO",
        "HOSTAWAY_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here


def test_check_against_the_demo_account_succeeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--demo"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "OK: Hostaway account 100001 at demo sandbox, 24 listings." in captured.err


def test_check_without_credentials_fails_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert "HOSTAWAY_CLIENT_ID and HOSTAWAY_CLIENT_SECRET" in lines[0]


def test_check_with_an_invalid_value_names_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSTAWAY_TIMEOUT", "-3")
    assert main(["check"]) == 2
    assert "HOSTAWAY_TIMEOUT must be a positive number of seconds" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
