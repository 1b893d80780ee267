"""A real stdio session with `python -m hostaway_mcp`: stdout carries only JSON-RPC."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import anyio
import pytest
import uvicorn

from hostaway_sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from tests.support.accounts import demo_account
from tests.support.stdio import StdioSession, clean_env, open_session, read_all

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # real server processes


async def test_stdio_session_without_credentials(tmp_path: Path) -> None:
    env = clean_env(HOSTAWAY_CLIENT_ID="10450", HOSTAWAY_BASE_URL="http://127.0.0.1:9/v1")
    env.pop("HOSTAWAY_CLIENT_SECRET", None)
    process = await open_session([], env, tmp_path)
    stderr = ""
    async with process:
        session = StdioSession(process)
        init = await session.initialize()
        assert init["result"]["serverInfo"]["name"] == "hostaway"
        listed = await session.request("tools/list")
        names = {tool["name"] for tool in listed["result"]["tools"]}
        assert {"list_all_properties", "search_bookings", "check_connection"} <= names
        called = await session.request(
            "tools/call", {"name": "list_all_properties", "arguments": {}}
        )
        assert called["result"]["isError"] is True
        assert "HOSTAWAY_CLIENT_SECRET" in called["result"]["content"][0]["text"]
        bad = await session.request(
            "tools/call", {"name": "check_availability", "arguments": {"listing_id": "x"}}
        )
        assert bad["result"]["isError"] is True
        assert process.stdin is not None
        await process.stdin.aclose()
        with anyio.fail_after(15):
            stderr = await read_all(process.stderr)
            await process.wait()
    for line in session.stdout_lines:
        message = json.loads(line)
        assert message["jsonrpc"] == "2.0"
    # the logs are JSON lines on stderr
    log_lines = [line for line in stderr.splitlines() if line.strip()]
    assert log_lines and all(json.loads(line)["level"] for line in log_lines)
    assert any(json.loads(line).get("tool") == "list_all_properties" for line in log_lines)


async def test_check_command_reports_missing_credentials(tmp_path: Path) -> None:
    process = await open_session(["check"], clean_env(), tmp_path)
    async with process:
        stderr = await read_all(process.stderr)
        code = await process.wait()
    assert code != 0
    assert "HOSTAWAY_CLIENT_ID" in stderr
    assert len(stderr.strip().splitlines()) == 1


async def test_check_command_names_an_invalid_variable(tmp_path: Path) -> None:
    process = await open_session(["check"], clean_env(HOSTAWAY_TIMEOUT="soon"), tmp_path)
    async with process:
        stderr = await read_all(process.stderr)
        code = await process.wait()
    assert code == 2
    assert "HOSTAWAY_TIMEOUT" in stderr and "'soon'" in stderr


async def test_demo_over_stdio_needs_no_credentials(tmp_path: Path) -> None:
    process = await open_session(["--demo"], clean_env(), tmp_path)
    async with process:
        session = StdioSession(process)
        init = await session.initialize()
        assert "simulated" in init["result"]["instructions"]
        listed = await session.request("tools/list")
        assert len(listed["result"]["tools"]) >= 16
        status = await session.request("tools/call", {"name": "check_connection", "arguments": {}})
        assert status["result"]["structuredContent"]["demo"] is True
        props = await session.request(
            "tools/call", {"name": "list_all_properties", "arguments": {"limit": 3}}
        )
        assert len(props["result"]["structuredContent"]["properties"]) == 3
        assert process.stdin is not None
        await process.stdin.aclose()
        with anyio.fail_after(15):
            await read_all(process.stderr)
            await process.wait()
    for line in session.stdout_lines:
        assert json.loads(line)["jsonrpc"] == "2.0"


async def test_stdio_session_with_errors_never_leaks_credentials(tmp_path: Path) -> None:
    """The real server process against the sandbox over HTTP on loopback, logging at DEBUG."""
    sandbox = demo_account()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    http = uvicorn.Server(
        uvicorn.Config(sandbox.app, host="127.0.0.1", port=port, log_level="error")
    )
    env = clean_env(
        HOSTAWAY_CLIENT_ID=DEMO_CLIENT_ID,
        HOSTAWAY_CLIENT_SECRET=DEMO_CLIENT_SECRET,
        HOSTAWAY_BASE_URL=f"http://127.0.0.1:{port}/v1",
        HOSTAWAY_LOG_LEVEL="DEBUG",
    )
    async with anyio.create_task_group() as group:
        group.start_soon(http.serve)
        with anyio.fail_after(10):
            while not http.started:  # noqa: ASYNC110 - uvicorn offers no start event
                await anyio.sleep(0.02)
        sandbox.faults.inject("/listings/40165", "status", count=1000, status=503)
        process = await open_session([], env, tmp_path)
        async with process:
            session = StdioSession(process)
            await session.initialize()
            calls = [
                ("check_connection", {}),
                ("get_property_details", {"listing_id": 999}),  # not found
                ("get_property_details", {"listing_id": 40165}),  # upstream keeps failing
                (
                    "check_availability",
                    {"listing_id": 40160, "start_date": "2026-01-05", "end_date": "2026-01-01"},
                ),
                ("search_bookings", {"status": ["nonsense"]}),
                ("get_booking_details", {"reservation_id": "abc"}),
                ("list_all_properties", {"limit": 2}),
            ]
            replies = [
                await session.request("tools/call", {"name": name, "arguments": args})
                for name, args in calls
            ]
            tokens = sandbox.tokens.issued()
            assert process.stdin is not None
            await process.stdin.aclose()
            with anyio.fail_after(30):
                stderr = await read_all(process.stderr)
                await process.wait()
        http.should_exit = True
    errors = [reply["result"]["isError"] for reply in replies]
    assert errors == [False, True, True, True, True, True, False]
    stdout = "\n".join(session.stdout_lines)
    for line in session.stdout_lines:
        assert json.loads(line)["jsonrpc"] == "2.0"
    assert tokens
    assert sandbox.tokens.revoked() == tokens  # revoked at the clean shutdown
    for secret in [DEMO_CLIENT_SECRET, *tokens]:
        assert secret not in stdout
        assert secret not in stderr
    assert "Bearer" not in stderr
