"""The MCP Bundle's manifest.json: how the host starts the server, and what it says the server offers.

The full schema check is `mcpb validate manifest.json` (CI and scripts/build_mcpb.sh); these tests
hold what the schema cannot know: that the command really starts this server, and that the tool list
is the server's own.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from .common import ROOT, load_json, pyproject

PROTOCOL_VERSION = "2025-06-18"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    data: dict[str, Any] = load_json("manifest.json")
    return data


def test_host_runs_the_console_script_with_uv(manifest: dict[str, Any]) -> None:
    assert manifest["manifest_version"] == "0.4"  # the newest the mcpb CLI accepts; adds "uv"
    assert manifest["name"] == pyproject()["project"]["name"]
    server = manifest["server"]
    assert server["type"] == "uv"
    config = server["mcp_config"]
    assert config["command"] == "uv"
    # uv installs the bundled project exactly as locked (no dev tools) and runs its console script.
    assert config["args"][:2] == ["run", "--directory"]
    assert config["args"][2] == "${__dirname}"
    assert {"--frozen", "--no-dev"} <= set(config["args"])
    assert config["args"][-1] in pyproject()["project"]["scripts"]


def test_entry_point_runs_the_same_main(manifest: dict[str, Any]) -> None:
    # scripts/build_mcpb.sh stages scripts/mcpb_main.py as the manifest's entry point.
    assert manifest["server"]["entry_point"] == "server/main.py"
    build = (ROOT / "scripts" / "build_mcpb.sh").read_text(encoding="utf-8")
    assert "scripts/mcpb_main.py" in build
    assert "server/main.py" in build
    module, function = pyproject()["project"]["scripts"]["hostaway-mcp"].split(":")
    launcher = (ROOT / "scripts" / "mcpb_main.py").read_text(encoding="utf-8")
    assert f"from {module} import {function}" in launcher


def test_compatibility_follows_pyproject(manifest: dict[str, Any]) -> None:
    compatibility = manifest["compatibility"]
    assert compatibility["runtimes"]["python"] == pyproject()["project"]["requires-python"]
    assert set(compatibility["platforms"]) == {"darwin", "win32", "linux"}


def test_icon_is_a_512_pixel_png(manifest: dict[str, Any]) -> None:
    data = (ROOT / manifest["icon"]).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (512, 512)


def _list_tools(env: dict[str, str]) -> list[dict[str, Any]]:
    """tools/list from the real server over stdio, as a host would start it (demo account)."""
    script = Path(sys.executable).with_name("hostaway-mcp")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "hostaway_mcp"]
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [*command, "--demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        text=True,
    )
    timer = threading.Timer(60, process.kill)
    timer.start()
    try:
        assert process.stdin is not None
        assert process.stdout is not None
        messages = [
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": PROTOCOL_VERSION,
                    "capabilities": {},
                    "clientInfo": {"name": "packaging-test", "version": "0"},
                },
            },
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}},
        ]
        process.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
        process.stdin.flush()
        for line in process.stdout:
            reply = json.loads(line)
            if reply.get("id") == 2:
                tools: list[dict[str, Any]] = reply["result"]["tools"]
                return tools
        raise AssertionError("the server closed stdout before answering tools/list")
    finally:
        timer.cancel()
        process.kill()
        process.wait()


@pytest.mark.slow  # the real server process, as a host starts it
def test_manifest_lists_exactly_the_servers_tools(manifest: dict[str, Any]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOSTAWAY_")}
    env["HOSTAWAY_READ_ONLY"] = "false"  # the manifest lists the change tools too
    served = [tool["name"] for tool in _list_tools(env)]
    listed = [tool["name"] for tool in manifest["tools"]]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(served)
    assert all(tool.get("description") for tool in manifest["tools"])
