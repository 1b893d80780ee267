"""Shared pieces of the benchmarks: result rows, the minimum-time formula, a recording transport
and the settings/server builders that point the real server stack at an HTTP sandbox."""

from __future__ import annotations

import json
import socket
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from hostaway_mcp.config import Settings
from hostaway_mcp.hostaway import Hostaway
from hostaway_sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

RATE_LIMIT = 15  # Hostaway: requests per window per IP (the stricter of the two limits)
ACCOUNT_LIMIT = 20  # requests per window per account
WINDOW = 10.0  # seconds
TOKEN_WARMUP = 1.0  # seconds before a new token is accepted
HIGH_LIMIT = 1_000_000  # "no limit" for the measurements that are not about the rate limit


@dataclass(frozen=True)
class Row:
    """One line of the results table. ``ok`` is None for information without a target."""

    measure: str
    value: str
    target: str = ""
    ok: bool | None = None


# ---- pure helpers (unit-tested in tests/server/test_benchmarks_helpers.py) ----------------------------


def minimum_seconds(
    requests: int, limit: int = RATE_LIMIT, window: float = WINDOW, warmup: float = 0.0
) -> float:
    """The least time from the start of the first request to the start of the last one that a
    sliding window of ``limit`` requests per ``window`` seconds allows for ``requests`` requests.

    Greedy is optimal: request i (0-based) starts at max(earliest, start[i - limit] + window).
    With ``warmup`` = 0 this is (ceil(N / L) - 1) x W. With a warm-up, request 0 is the token
    request and every later one waits until ``warmup`` seconds after it (Hostaway's token rule)."""
    if requests < 0 or limit < 1 or window <= 0 or warmup < 0:
        raise ValueError("requests >= 0, limit >= 1, window > 0, warmup >= 0")
    starts: list[float] = []
    for i in range(requests):
        earliest = 0.0 if i == 0 else warmup
        starts.append(max(earliest, starts[i - limit] + window) if i >= limit else earliest)
    return starts[-1] if starts else 0.0


def efficiency_ratio(wall: float, minimum: float) -> float | None:
    """Wall time over the minimum; None when the minimum is 0 (everything fits in one window)."""
    return wall / minimum if minimum > 0 else None


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("no values")
    return float(statistics.median(values))


def size_ratio(ours: int, raw: int) -> float | None:
    return ours / raw if raw > 0 else None


def format_table(rows: Sequence[Row], headers: Sequence[str] = ()) -> str:
    """A Markdown table (readable in a terminal and pasteable into the README)."""
    head = list(headers) or ["measure", "value", "target", "result"]
    cells = [
        [r.measure, r.value, r.target or "—", {True: "pass", False: "FAIL", None: "info"}[r.ok]]
        for r in rows
    ]
    return markdown_table(head, cells)


def markdown_table(headers: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(row) for row in cells)])


# ---- environment -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_settings(base_url: str, *, fast: bool = False, **overrides: Any) -> Settings:
    """The server's settings for a sandbox at ``base_url``: Hostaway's real limits unless
    ``fast`` (then the client's own limiter is out of the way too)."""
    limits = (
        {"rate_limit_ip": HIGH_LIMIT, "rate_limit_account": HIGH_LIMIT}
        if fast
        else {"rate_limit_ip": RATE_LIMIT, "rate_limit_account": ACCOUNT_LIMIT}
    )
    values: dict[str, Any] = {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "base_url": base_url,
        "rate_window_seconds": WINDOW,
        "log_level": "WARNING",
        **limits,
        **overrides,
    }
    return Settings(**values)


@dataclass
class Exchange:
    method: str
    path: str  # without the /v1 prefix
    query: str
    status: int
    size: int  # response body bytes
    at: float  # perf_counter when the request was sent
    rows: int | None = None  # rows in the envelope's result (only when counting rows)


@dataclass
class RecordingTransport(httpx.AsyncBaseTransport):
    """The real network transport, remembering every exchange (for counts, sizes and replays)."""

    inner: httpx.AsyncBaseTransport = field(default_factory=httpx.AsyncHTTPTransport)
    exchanges: list[Exchange] = field(default_factory=list)
    count_rows: bool = False  # read and parse each body (the size benchmark; not while timing)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        at = time.perf_counter()
        response = await self.inner.handle_async_request(request)
        length = response.headers.get("content-length")
        rows = None
        if length is None or self.count_rows:
            await response.aread()
            size = len(response.content)
            rows = result_rows(response.content) if self.count_rows else None
        else:
            size = int(length)
        path = request.url.path
        path = path[3:] if path.startswith("/v1/") else path
        self.exchanges.append(
            Exchange(
                request.method,
                path,
                request.url.query.decode("ascii", "replace"),
                response.status_code,
                size,
                at,
                rows,
            )
        )
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

    def mark(self) -> int:
        return len(self.exchanges)

    def since(self, mark: int) -> list[Exchange]:
        return self.exchanges[mark:]


def relative_target(exchange: Exchange) -> str:
    """The request's path and query relative to the base URL (to replay it elsewhere)."""
    return exchange.path + (f"?{exchange.query}" if exchange.query else "")


def result_rows(body: bytes) -> int:
    """Rows in a Hostaway envelope's ``result``: a list's length, the length of an object's
    ``rows`` list (the finance reports), 1 for another object, else 0."""
    try:
        result = json.loads(body).get("result")
    except (ValueError, AttributeError):
        return 0
    if isinstance(result, dict) and isinstance(result.get("rows"), list):
        result = result["rows"]
    if isinstance(result, list):
        return len(result)
    return 1 if isinstance(result, dict) else 0


class Upstream:
    """The clients build_server makes through ``factory``, each with its own recording transport
    (closing a client closes its transport), so a benchmark can read their stats and traffic."""

    def __init__(self, *, count_rows: bool = False, **client_kwargs: Any) -> None:
        self.clients: list[Hostaway] = []
        self.transports: list[RecordingTransport] = []
        self._count_rows = count_rows
        self._kwargs = client_kwargs

    def factory(self, settings: Settings) -> Hostaway:
        transport = RecordingTransport(count_rows=self._count_rows)
        client = Hostaway.connect(settings, transport=transport, **self._kwargs)
        self.transports.append(transport)
        self.clients.append(client)
        return client

    @property
    def client(self) -> Hostaway:
        return self.clients[-1]

    @property
    def transport(self) -> RecordingTransport:
        return self.transports[-1]


async def mint_token(http: httpx.AsyncClient) -> str:
    """A token for direct requests (``http`` has the sandbox's base URL)."""
    minted = await http.post(
        "/accessTokens",
        data={
            "grant_type": "client_credentials",
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET,
            "scope": "general",
        },
    )
    minted.raise_for_status()
    return str(minted.json()["access_token"])


async def listing_ids(base_url: str) -> list[int]:
    """Every listing id of the sandbox's account (one direct request)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10.0) as http:
        headers = {"Authorization": f"Bearer {await mint_token(http)}"}
        response = await http.get("/listings", params={"limit": 100}, headers=headers)
        response.raise_for_status()
        return [int(item["id"]) for item in response.json()["result"]]


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def ratio_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
