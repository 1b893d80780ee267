"""Cold start: spawn -> initialize -> tools/list answered, over real stdio pipes (raw JSON-RPC),
for `python -m hostaway_mcp --demo` against a minimal one-tool MCPServer started the same way.

Measured with a bytecode cache (as an installed package runs: Python writes .pyc files on the
first run), in a temporary PYTHONPYCACHEPREFIX so the source tree stays clean; once more without
bytecode (every module compiled at each start) for information."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from hostaway_sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

from .common import Row, median, ratio_text, seconds

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7  # measured runs per server, after one unmeasured warm-up run each
UNCACHED_RUNS = 3
TARGET_RATIO = 1.3
ANSWER_BOUND = 30.0  # seconds for one start-up
PROTOCOL_VERSION = "2025-06-18"

SERVE = [sys.executable, "-m", "hostaway_mcp"]
DEMO = [*SERVE, "--demo"]
MINIMAL = [sys.executable, "-m", "benchmarks.minimal_server"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any Hostaway setting (so only the arguments decide the mode)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HOSTAWAY_", "RATE_LIMIT", "MAX_CONCURRENT", "TOKEN_REFRESH"))
    }
    return {**env, **extra}


def _send(stdin: IO[bytes], message: dict[str, Any]) -> None:
    stdin.write((json.dumps(message) + "\n").encode())
    stdin.flush()


def _await_reply(process: subprocess.Popen[bytes], request_id: int, deadline: float) -> None:
    """Read stdout lines until the response with ``request_id`` (bounded by ``deadline``)."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                if json.loads(line).get("id") == request_id:
                    return
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise TimeoutError(f"no answer to request {request_id} within the bound")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError(f"the server exited before answering request {request_id}")
            buffer += chunk


def time_startup(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn to the tools/list answer."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert process.stdin is not None
        deadline = time.monotonic() + ANSWER_BOUND
        _send(
            process.stdin,
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": PROTOCOL_VERSION,
                    "capabilities": {},
                    "clientInfo": {"name": "benchmark", "version": "0"},
                },
            },
        )
        _await_reply(process, 1, deadline)
        _send(process.stdin, {"jsonrpc": "2.0", "method": "notifications/initialized"})
        _send(process.stdin, {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}})
        _await_reply(process, 2, deadline)
        return time.perf_counter() - started
    finally:
        if process.stdin is not None:
            process.stdin.close()  # end of input: the server exits
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def compare(
    candidates: dict[str, tuple[list[str], dict[str, str]]], runs: int = RUNS
) -> dict[str, float]:
    """Median start-up time per command, runs interleaved so drift hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for run in range(runs + 1):
        for name, (command, env) in candidates.items():
            elapsed = time_startup(command, env)
            if run > 0:  # the first run of each fills the bytecode cache and the page cache
                times[name].append(elapsed)
    return {name: median(values) for name, values in times.items()}


def bytecode_env(cache_dir: str, **extra: str) -> dict[str, str]:
    """Python writes and reuses bytecode (in ``cache_dir``), as in an installed environment."""
    env = clean_env(PYTHONPYCACHEPREFIX=cache_dir, **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(base_url: str) -> list[Row]:
    """``base_url``: a sandbox for the run with credentials (nothing is requested at start-up)."""
    credentials = {
        "HOSTAWAY_CLIENT_ID": DEMO_CLIENT_ID,
        "HOSTAWAY_CLIENT_SECRET": DEMO_CLIENT_SECRET,
        "HOSTAWAY_BASE_URL": base_url,
    }
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache_dir:
        cached = compare(
            {
                "minimal": (MINIMAL, bytecode_env(cache_dir)),
                "demo": (DEMO, bytecode_env(cache_dir)),
                "credentials": (SERVE, bytecode_env(cache_dir, **credentials)),
            }
        )
    uncached = compare(
        {
            "minimal": (MINIMAL, clean_env(PYTHONDONTWRITEBYTECODE="1")),
            "demo": (DEMO, clean_env(PYTHONDONTWRITEBYTECODE="1")),
        },
        UNCACHED_RUNS,
    )
    ratio = cached["demo"] / cached["minimal"]
    return [
        Row(
            "cold start: minimal one-tool MCPServer / --demo / with credentials (medians)",
            " / ".join(seconds(cached[name]) for name in ("minimal", "demo", "credentials")),
        ),
        Row(
            "cold start: hostaway-mcp --demo / minimal",
            ratio_text(ratio),
            f"≤ {TARGET_RATIO:.1f}",
            ratio <= TARGET_RATIO,
        ),
        Row(
            "cold start: hostaway-mcp with credentials / minimal",
            ratio_text(cached["credentials"] / cached["minimal"]),
        ),
        Row(
            "cold start without bytecode cache: --demo / minimal",
            f"{ratio_text(uncached['demo'] / uncached['minimal'])} "
            f"({seconds(uncached['demo'])} / {seconds(uncached['minimal'])})",
        ),
    ]
