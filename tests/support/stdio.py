"""Drive `python -m hostaway_mcp` over real stdio with raw JSON-RPC, keeping every stdout line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anyio
from anyio.abc import Process

PROTOCOL_VERSION = "2025-06-18"


class StdioSession:
    def __init__(self, process: Process) -> None:
        self.process = process
        self.stdout_lines: list[str] = []
        self._buffer = b""
        self._next_id = 0

    async def _read_line(self) -> str:
        assert self.process.stdout is not None
        while b"\n" not in self._buffer:
            chunk = await self.process.stdout.receive()
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        text = line.decode()
        self.stdout_lines.append(text)
        return text

    async def send(self, message: Mapping[str, Any]) -> None:
        assert self.process.stdin is not None
        await self.process.stdin.send((json.dumps(message) + "\n").encode())

    async def request(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        self._next_id += 1
        request_id = self._next_id
        await self.send(
            {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or {}}
        )
        with anyio.fail_after(30):
            while True:
                message = json.loads(await self._read_line())
                if message.get("id") == request_id:
                    return message

    async def initialize(self) -> Any:
        reply = await self.request(
            "initialize",
            {
                "protocolVersion": PROTOCOL_VERSION,
                "capabilities": {},
                "clientInfo": {"name": "stdio-test", "version": "0"},
            },
        )
        await self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return reply


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HOSTAWAY_", "RATE_LIMIT", "MAX_CONCURRENT", "TOKEN_REFRESH"))
    }
    env["HOSTAWAY_STORE"] = "off"  # no local copy unless a test asks for one
    env.update(extra)
    return env


async def open_session(args: list[str], env: Mapping[str, str], cwd: Path) -> Process:
    return await anyio.open_process(
        [sys.executable, "-m", "hostaway_mcp", *args],
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


async def read_all(stream: Any) -> str:
    chunks: list[bytes] = []
    if stream is None:
        return ""
    try:
        async for chunk in stream:
            chunks.append(chunk)
    except anyio.EndOfStream:
        pass
    return b"".join(chunks).decode(errors="replace")
