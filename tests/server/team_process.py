"""`python -m hostaway_mcp serve --http --port 0` as a real process: its JSON log lines read from
stderr as they come, its port taken from the "http server listening" line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.support.stdio import clean_env

START_TIMEOUT = 30.0


class TeamProcess:
    def __init__(self, env: Mapping[str, str], cwd: Path, args: Iterable[str] = ()) -> None:
        self.args = [
            sys.executable,
            "-m",
            "hostaway_mcp",
            "serve",
            "--http",
            "--port",
            "0",
            *args,
        ]
        self.env = clean_env(**env)
        self.cwd = cwd
        self.lines: list[dict[str, Any]] = []
        self.raw: list[str] = []
        self.port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _read(self, stream: IO[bytes]) -> None:
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                entry = {"message": line}
            with self._lock:
                self.raw.append(line)
                self.lines.append(entry)
                if entry.get("message") == "http server listening":
                    self.port = int(entry["port"])

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and module
            self.args,
            env=self.env,
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    async def start(self) -> None:
        self._process = self._spawn()
        assert self._process.stderr is not None
        threading.Thread(target=self._read, args=(self._process.stderr,), daemon=True).start()
        with anyio.fail_after(START_TIMEOUT):
            while self.port is None:  # the log line is the start signal
                if self._process.poll() is not None:
                    raise RuntimeError("the server exited:\n" + "\n".join(self.raw[-10:]))
                await anyio.sleep(0.05)

    def signal(self, sig: int = signal.SIGTERM) -> None:
        assert self._process is not None
        self._process.send_signal(sig)

    async def exit_code(self, within: float = 30.0) -> int:
        assert self._process is not None
        with anyio.fail_after(within):
            while (code := self._process.poll()) is None:  # noqa: ASYNC110 - a subprocess
                await anyio.sleep(0.05)
        await anyio.sleep(0.1)  # let the reader take the last lines
        return code

    def kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(5)

    def messages(self, message: str) -> list[dict[str, Any]]:
        with self._lock:
            return [entry for entry in self.lines if entry.get("message") == message]

    @asynccontextmanager
    async def client(self, token: str, mode: str = "auto") -> AsyncIterator[Client]:
        """The SDK's Streamable HTTP client; "legacy" for a session, as desktop hosts use."""
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            httpx2.AsyncClient(headers=headers, timeout=60) as http,
            Client(
                streamable_http_client(f"{self.base}/mcp", http_client=http), mode=mode
            ) as client,
        ):
            yield client


@asynccontextmanager
async def team_process(
    env: Mapping[str, str], cwd: Path, args: Iterable[str] = ()
) -> AsyncIterator[TeamProcess]:
    process = TeamProcess(env, cwd, args)
    try:
        await process.start()
        yield process
    finally:
        process.kill()
