"""The first five minutes without an MCP host: `hostaway-mcp` in a terminal says what it is and
keeps serving; `tools` lists the tools; `call` runs one and prints its JSON answer."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import termios
import time
import tty
from pathlib import Path

import pytest

from hostaway_mcp.__main__ import main, parse_arguments
from hostaway_mcp.config import Settings
from hostaway_mcp.server.app import TOOLS
from hostaway_mcp.server.instructions import server_instructions
from tests.support.stdio import PROTOCOL_VERSION, clean_env

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "HOSTAWAY_CLIENT_ID",
        "HOSTAWAY_CLIENT_SECRET",
        "HOSTAWAY_DEMO",
        "HOSTAWAY_READ_ONLY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOSTAWAY_LOG_LEVEL", "")
    monkeypatch.chdir(tmp_path)  # no .env here


# ---- in a terminal -------------------------------------------------------------------------------


def _read_until(fd: int, pattern: bytes, seconds: float) -> bytes:
    """Bytes from ``fd`` until ``pattern`` appears (or the time is up)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while pattern not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        seen += chunk
    return seen


@pytest.mark.slow
def test_started_in_a_terminal_it_says_what_it_is_and_keeps_serving(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    tty.setraw(slave, termios.TCSANOW)  # bytes reach stdin as written
    process = subprocess.Popen(
        [sys.executable, "-m", "hostaway_mcp", "--demo"],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(),
        cwd=tmp_path,
    )
    os.close(slave)
    try:
        assert process.stderr is not None and process.stdout is not None
        note = _read_until(process.stderr.fileno(), b"Ctrl-C", 30).decode()
        assert "hostaway-mcp is an MCP server" in note
        assert "waiting for an MCP host" in note
        assert '"hostaway": {"command": "uvx", "args": ["hostaway-mcp", "--demo"]}' in note
        assert "hostaway-mcp call list_all_properties limit=3 --demo" in note
        assert process.poll() is None  # still running
        request = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": PROTOCOL_VERSION,
                "capabilities": {},
                "clientInfo": {"name": "tty-test", "version": "0"},
            },
        }
        os.write(master, (json.dumps(request) + "\n").encode())
        answer = _read_until(process.stdout.fileno(), b"\n", 30)
        assert json.loads(answer)["result"]["serverInfo"]["name"] == "hostaway"
    finally:
        os.close(master)
        process.kill()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.slow
def test_no_note_when_a_host_starts_it(tmp_path: Path) -> None:
    """Over pipes, as a host starts it, stderr carries JSON log lines only."""
    done = subprocess.run(
        [sys.executable, "-m", "hostaway_mcp", "--demo"],
        input=b"",  # the host hangs up at once
        capture_output=True,
        env=clean_env(),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    lines = [line for line in done.stderr.decode().splitlines() if line.strip()]
    assert "waiting for an MCP host" not in done.stderr.decode()
    assert all(json.loads(line)["level"] for line in lines)


# ---- tools and call ------------------------------------------------------------------------------


def test_tools_lists_every_tool_with_its_purpose(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tools"]) == 0
    out = capsys.readouterr().out
    for spec in TOOLS:
        line = next(line for line in out.splitlines() if line.startswith(spec.fn.__name__ + " "))
        assert len(line.split(maxsplit=1)[1]) > 20
        assert ("[write]" in line) is spec.writes


def test_call_prints_the_json_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["call", "list_all_properties", "limit=2", "city=Lisbon", "--demo"]) == 0
    captured = capsys.readouterr()
    answer = json.loads(captured.out)
    assert [p["city"] for p in answer["properties"]] == ["Lisbon", "Lisbon"]
    assert answer["total"] > 2 and answer["total_is_exact"] is True
    assert captured.err == ""  # routine logs stay quiet unless HOSTAWAY_LOG_LEVEL asks


def test_call_reads_json_values_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["call", "search_bookings", 'status=["confirmed"]', "limit=1", "--demo"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["bookings"][0]["status"] in ("new", "modified")
    assert parse_arguments(["limit=3", "guest_name=Ana Silva", "confirm=true", "ids=[1,2]"]) == {
        "limit": 3,
        "guest_name": "Ana Silva",
        "confirm": True,
        "ids": [1, 2],
    }


def test_call_exits_non_zero_on_a_tool_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["call", "get_booking_details", "reservation_id=1", "--demo"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "Reservation 1 was not found" in captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["call", "--demo"], "call needs a tool"),
        (["call", "list_propertys", "--demo"], "Did you mean list_all_properties?"),
        (["call", "create_booking", "--demo"], "exists only with HOSTAWAY_READ_ONLY=false"),
        (["call", "list_all_properties", "limit", "--demo"], "'limit' is not name=value"),
    ],
)
def test_call_usage_mistakes_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_other_commands_take_no_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check", "extra"])
    assert caught.value.code == 2
    assert "check takes no arguments" in capsys.readouterr().err


# ---- every tool is documented --------------------------------------------------------------------


def test_every_tool_is_in_the_readme_tool_table() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \|", README.read_text(), flags=re.MULTILINE)
    missing = [spec.fn.__name__ for spec in TOOLS if spec.fn.__name__ not in rows]
    assert missing == []


def test_every_tool_is_in_the_server_instructions() -> None:
    instructions = server_instructions(Settings(read_only=False))
    missing = [spec.fn.__name__ for spec in TOOLS if spec.fn.__name__ not in instructions]
    assert missing == []


def test_the_readme_first_screen_has_the_two_commands() -> None:
    first_screen = "\n".join(README.read_text().splitlines()[:40])
    assert "python3 -m pip install uv && python3 -m uv run hostaway-mcp --demo" in first_screen
    assert "python3 -m pip install uv && python3 -m uv run pytest" in first_screen
    assert "check --demo" in README.read_text()
