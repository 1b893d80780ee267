"""`python -m hostaway_sandbox`: argument parsing and wiring, without starting a server."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
import uvicorn

from hostaway_sandbox.__main__ import main, parse_args
from hostaway_sandbox.app import SandboxApp


def test_defaults() -> None:
    args = parse_args([])
    assert (args.host, args.port, args.seed) == ("127.0.0.1", 8765, 7)
    assert args.today is None
    assert args.token_warmup == 1.0
    assert (args.ip_limit, args.account_limit, args.window) == (15, 20, 10.0)
    assert args.no_finance is False


def test_custom_arguments() -> None:
    args = parse_args(
        [
            "--port",
            "9000",
            "--host",
            "0.0.0.0",  # noqa: S104 - only parsed, never bound
            "--seed",
            "3",
            "--today",
            "2025-01-31",
            "--no-finance",
        ]
    )
    assert (args.port, args.host, args.seed) == (9000, "0.0.0.0", 3)  # noqa: S104
    assert args.today == date(2025, 1, 31)
    assert args.no_finance is True


def test_bad_port_is_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--port", "eighty"])
    assert "invalid int value" in capsys.readouterr().err


def test_main_builds_the_sandbox_and_hands_it_to_uvicorn(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_run(app: Any, **options: Any) -> None:
        calls.append({"app": app, **options})

    monkeypatch.setattr(uvicorn, "run", fake_run)
    try:
        main(
            [
                "--port",
                "8799",
                "--seed",
                "5",
                "--today",
                "2025-03-01",
                "--token-warmup",
                "0",
                "--window",
                "2",
            ]
        )
    finally:
        logging.getLogger().handlers.clear()
    (call,) = calls
    assert (call["host"], call["port"], call["log_config"]) == ("127.0.0.1", 8799, None)
    app = call["app"]
    assert isinstance(app, SandboxApp)
    assert app.sandbox.seed == 5
    assert app.sandbox.today == date(2025, 3, 1)
    assert app.sandbox.token_warmup == 0.0
    assert app.sandbox.limiter.window == 2.0
    assert capsys.readouterr().out == ""  # stdout stays clean
