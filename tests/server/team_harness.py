"""The team server in process: the real app (gate, routes, the SDK's Streamable HTTP app, the
lifespan) over the demo sandbox, driven through ASGI transports (httpx for plain HTTP, httpx2 for
the SDK's MCP client)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from hostaway_mcp.config import Settings
from hostaway_mcp.hostaway import Hostaway
from hostaway_mcp.logs import JsonFormatter
from hostaway_mcp.server.http import MirrorHooks, TeamServer
from hostaway_mcp.server.http_config import load_http_settings
from hostaway_mcp.server.tokens import TokenEntry, TokenFileVerifier, digest, write_tokens
from hostaway_sandbox import Sandbox
from tests.support.accounts import demo_account
from tests.support.servers import FAST_RETRY, settings

BASE = "http://127.0.0.1:8000"
TOKENS = {"maria": "hmcp_token-of-maria-aaaaaaaaaaaa", "joao": "hmcp_token-of-joao-bbbbbbbbbbbb"}


class _JsonLines(logging.Handler):
    """Formats each record as it is emitted, as the server's stderr handler does (the user and
    correlation id are read from the context at that moment)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@contextmanager
def json_log_lines(level: int = logging.INFO) -> Iterator[list[dict[str, Any]]]:
    root = logging.getLogger()
    handler = _JsonLines()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def tokens_file(directory: Path, tokens: Mapping[str, str] = TOKENS) -> Path:
    path = directory / "tokens"
    write_tokens(path, [TokenEntry(name, digest(token)) for name, token in tokens.items()])
    return path


@dataclass
class Team:
    server: TeamServer
    sandbox: Sandbox
    tokens: Mapping[str, str] = field(default_factory=dict)

    def http(
        self, token: str | None = None, *, auth: httpx.Auth | None = None, **headers: str
    ) -> httpx.AsyncClient:
        """Plain HTTP to the app, from 127.0.0.1; ``token`` as a bearer, or ``auth``."""
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.server.app, client=("127.0.0.1", 50123)),
            base_url=BASE,
            headers=headers,
            auth=auth,
        )

    @asynccontextmanager
    async def client(self, user: str, mode: str = "auto") -> AsyncIterator[Client]:
        """The SDK's MCP client over Streamable HTTP, as ``user``. ``mode="legacy"``: the
        initialize handshake and a session (as today's desktop hosts); "auto" picks 2026-07-28
        (no sessions)."""
        transport = httpx2.ASGITransport(app=self.server.app)
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        async with (
            httpx2.AsyncClient(transport=transport, base_url=BASE, headers=headers) as http,
            Client(streamable_http_client(f"{BASE}/mcp", http_client=http), mode=mode) as client,
        ):
            yield client


def demo_settings(**overrides: Any) -> Settings:
    return settings(demo=True, **overrides)


@asynccontextmanager
async def running_team(
    directory: Path,
    *,
    env: Mapping[str, str] | None = None,
    tokens: Mapping[str, str] | None = TOKENS,
    sandbox: Sandbox | None = None,
    hooks: MirrorHooks | None = None,
    **overrides: Any,
) -> AsyncIterator[Team]:
    """A TeamServer whose adapter talks to ``sandbox``, its lifespan entered (as uvicorn would)."""
    sandbox = sandbox or demo_account()
    verifier = TokenFileVerifier(tokens_file(directory, tokens)) if tokens is not None else None

    def connect(s: Settings) -> Hostaway:
        return Hostaway.connect(s, transport=sandbox.transport(), retry=FAST_RETRY, token_warmup=0)

    server = TeamServer(
        demo_settings(**overrides),
        load_http_settings(env or {}, host="127.0.0.1", port=0),
        verifier,
        connect,
        hooks or MirrorHooks(),
    )
    async with server.starlette.router.lifespan_context(server.starlette):
        yield Team(server, sandbox, tokens or {})
