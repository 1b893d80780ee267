"""No 429 caused by our own traffic: fresh demo sessions, back-to-back calls, real limits.

Each session is what `--demo` starts: a server whose sandbox is generated on the first request (in
a worker thread, so the first answers are slow), with Hostaway's limits (15 requests per window
per IP, 20 per account, a token usable a tenth of the window after issue). The window is scaled
down from 10 s to keep the test short; every ratio stays real, and the first-request data build
is relatively *longer* here than against a 10 s window.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client

from hostaway_mcp.hostaway import Hostaway
from hostaway_mcp.server.app import build_server
from hostaway_sandbox import Sandbox
from hostaway_sandbox.deferred import DeferredTransport
from tests.support.accounts import DEMO_SEED as SEED
from tests.support.accounts import DEMO_TODAY as TODAY
from tests.support.servers import FAST_RETRY, settings

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

WINDOW = 0.25  # seconds; Hostaway's is 10
SESSIONS = 20
CALLS = 30


def fresh_demo_session() -> tuple[Any, list[Sandbox]]:
    """A server like `hostaway-mcp --demo` and, once built, its sandbox."""
    built: list[Sandbox] = []

    def build() -> Any:
        sandbox = Sandbox(seed=SEED, today=TODAY)
        sandbox.set_rate_limits(ip=15, account=20, window=WINDOW)
        sandbox.token_warmup = WINDOW / 10
        built.append(sandbox)
        return sandbox.transport()

    def connect(s: Any) -> Hostaway:
        transport = DeferredTransport(build)
        return Hostaway.connect(s, transport=transport, retry=FAST_RETRY, token_warmup=WINDOW / 10)

    server = build_server(
        settings(
            demo=True,
            rate_limit_ip=15,
            rate_limit_account=20,
            rate_window_seconds=WINDOW,
            cache_ttl=0.0,  # every call goes upstream
        ),
        connect_to=connect,
    )
    return server, built


def session_calls() -> list[tuple[str, dict[str, Any]]]:
    cycle: list[tuple[str, dict[str, Any]]] = [
        ("get_property_details", {"listing_id": 40160}),
        ("search_bookings", {"limit": 5}),
        ("list_conversations", {"limit": 5}),
        ("get_property_details", {"listing_id": 40165}),
        (
            "check_availability",
            {"listing_id": 40170, "start_date": "2030-01-10", "end_date": "2030-01-12"},
        ),
    ]
    return [cycle[i % len(cycle)] for i in range(CALLS)]


async def test_fresh_demo_sessions_never_get_a_429_from_our_own_traffic() -> None:
    rate_limited = 0
    sent = 0
    errors: list[str] = []
    for _ in range(SESSIONS):
        server, built = fresh_demo_session()
        async with Client(server) as client:
            with anyio.fail_after(120):
                for name, args in session_calls():
                    result = await client.call_tool(name, args)
                    if result.is_error:
                        errors.append(result.content[0].text)  # type: ignore[union-attr]
        [sandbox] = built
        rate_limited += sandbox.rate_limited_count
        sent += sandbox.count()
    print(f"\n{SESSIONS} sessions x {CALLS} calls: {sent} upstream requests, {rate_limited} x 429")  # noqa: T201 - the measurement, shown with -s
    assert errors == []
    assert sent > SESSIONS * CALLS  # more than one window's worth per session: the limiter worked
    assert rate_limited == 0
