"""The team server in process: the real app (gate, routes, the SDK's Streamable HTTP app, the
lifespan) over the demo sandbox, driven through ASGI transports (httpx for plain HTTP, httpx2 for
the SDK's MCP client)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from hostaway_mcp.config import Settings
from hostaway_mcp.hostaway import Hostaway
from hostaway_mcp.logs import JsonFormatter
from hostaway_mcp.server.http import TeamServer
from hostaway_mcp.server.http_config import load_http_settings
from hostaway_mcp.server.tokens import TokenEntry, TokenFileVerifier, digest, write_tokens
from hostaway_mcp.server.webhooks import Refresher, refresher_for
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


class WatchedRefresher:
    """The team server's own choice of refresher (``refresher_for``), noting each refresh the
    webhook worker finishes so a test can wait for it (the worker itself signals nothing)."""

    def __init__(self) -> None:
        self.inner: Refresher | None = None
        self.outcomes: dict[tuple[str, int], str] = {}
        self._changed = anyio.Event()

    def __call__(self, hostaway: Hostaway) -> Refresher:
        self.inner = refresher_for(hostaway)
        return self

    async def refresh_reservation(self, reservation_id: int) -> None:
        assert self.inner is not None
        await self._watch("reservation", reservation_id, self.inner.refresh_reservation)

    async def refresh_conversation(self, conversation_id: int) -> None:
        assert self.inner is not None
        await self._watch("conversation", conversation_id, self.inner.refresh_conversation)

    async def refresh_listing(self, listing_id: int) -> None:
        assert self.inner is not None
        await self._watch("listing", listing_id, self.inner.refresh_listing)

    async def _watch(
        self, kind: str, object_id: int, refresh: Callable[[int], Awaitable[None]]
    ) -> None:
        outcome = "cancelled"
        try:
            await refresh(object_id)
            outcome = "ok"
        except Exception as exc:
            outcome = repr(exc)
            raise
        finally:
            self.outcomes[(kind, object_id)] = outcome
            self._changed.set()

    async def finished(self, *jobs: tuple[str, int], within: float = 20.0) -> None:
        """Wait until these refreshes are done (at most ``within`` seconds); each must succeed."""
        with anyio.fail_after(within):
            while not all(job in self.outcomes for job in jobs):
                self._changed = anyio.Event()
                await self._changed.wait()
        assert {job: self.outcomes[job] for job in jobs} == dict.fromkeys(jobs, "ok")


METRIC_SAMPLE = re.compile(
    r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?P<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*)\})?'
    r" (?P<value>[-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|Inf|NaN))$"
)
METRIC_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Samples by name; fails on anything Prometheus' text format (0.0.4) would reject."""
    assert text.endswith("\n")
    types: dict[str, str] = {}
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in {"counter", "gauge", "histogram"}
            assert name not in types, f"{name} declared twice"
            types[name] = kind
            continue
        match = METRIC_SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        name = match["name"]
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, f"{name} has no TYPE line before it"
        labels = dict(METRIC_LABEL.findall(match["labels"] or ""))
        samples.setdefault(name, []).append((labels, float(match["value"])))
    return samples


def demo_settings(**overrides: Any) -> Settings:
    return settings(demo=True, **overrides)


@asynccontextmanager
async def running_team(
    directory: Path,
    *,
    env: Mapping[str, str] | None = None,
    tokens: Mapping[str, str] | None = TOKENS,
    sandbox: Sandbox | None = None,
    refresher: Callable[[Hostaway], Refresher] = refresher_for,
    **overrides: Any,
) -> AsyncIterator[Team]:
    """A TeamServer whose adapter talks to ``sandbox``, its lifespan entered (as uvicorn would).
    With ``store=`` a directory, its mirror syncs there from the start (no start delay)."""
    sandbox = sandbox or demo_account()
    verifier = TokenFileVerifier(tokens_file(directory, tokens)) if tokens is not None else None

    def connect(s: Settings) -> Hostaway:
        adapter = Hostaway.connect(
            s, transport=sandbox.transport(), retry=FAST_RETRY, token_warmup=0
        )
        if adapter.mirror is not None:
            adapter.mirror._start_delay = 0.0
        return adapter

    server = TeamServer(
        demo_settings(**overrides),
        load_http_settings(env or {}, host="127.0.0.1", port=0),
        verifier,
        connect,
        refresher,
    )
    async with server.starlette.router.lifespan_context(server.starlette):
        yield Team(server, sandbox, tokens or {})
