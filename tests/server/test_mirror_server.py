"""The mirror in the MCP server: the first sync starts in the background (the handshake never
waits), get_sync_status and check_connection report it, demo mode's store is thrown away at
exit, and while the first sync runs no read takes longer than the limit."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import anyio
import pytest
from mcp import Client

from hostaway_mcp.config import STORE_THROWAWAY
from tests.support.accounts import DEMO_TODAY as TODAY
from tests.support.mirror import Built, small_sandbox, structured, wait_ready
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio


async def test_the_handshake_does_not_wait_for_the_first_sync(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    sandbox.faults.inject("*", "latency", count=100_000, delay=0.05)
    built = Built(sandbox, tmp_path)
    async with Client(built.server) as client:
        tools = await client.list_tools()
        assert "get_sync_status" in [tool.name for tool in tools.tools]
        early = await structured(client, "get_sync_status")
        assert early["state"] == "syncing" and early["progress"] < 1
        assert "Copying the account" in early["summary"]
        sandbox.faults.clear()
        status = await wait_ready(client)
    assert status["progress"] == 1.0
    assert status["counts"]["listings"] == 3
    assert status["counts"]["calendar_nights"] > 3 * 365
    assert status["store_path"].startswith(str(tmp_path))
    assert status["last_full_sync_at"] and status["last_refresh_at"]
    assert "error" not in status and "ready" in status["summary"]


async def test_check_connection_includes_the_sync_state(tmp_path: Path) -> None:
    sandbox = small_sandbox(2)
    built = Built(sandbox, tmp_path)
    async with Client(built.server) as client:
        await wait_ready(client)
        connection = await structured(client, "check_connection")
    assert connection["sync_state"] == "ready"
    async with Client(sandbox_server(sandbox)) as live:
        assert (await structured(live, "check_connection"))["sync_state"] == "off"
        off = await structured(live, "get_sync_status")
    assert off["state"] == "off" and "store_path" not in off
    assert "HOSTAWAY_STORE=off" in off["summary"]


async def test_demo_mode_uses_a_throwaway_store_removed_at_exit() -> None:
    sandbox = small_sandbox(2)
    built = Built(sandbox, STORE_THROWAWAY)
    async with Client(built.server) as client:
        status = await wait_ready(client)
        where = Path(status["store_path"]).parent
        assert where.is_dir() and where.name.startswith("hostaway-mcp-demo-")
    assert not where.exists()


@pytest.mark.slow
async def test_no_read_runs_past_the_limit_while_the_first_sync_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 45 s rule, scaled down: with a slowed sandbox, a question that fits in the time is
    answered live; one that does not says the account is still syncing, with no figures."""
    limit = 3.0  # 45 s in production; the render margin (2 s) leaves 1 s for the answer
    monkeypatch.setattr("hostaway_mcp.hostaway.mirror.mirror.FIRST_SYNC_CALL_LIMIT", limit)
    sandbox = small_sandbox()
    sandbox.faults.inject("*", "latency", count=100_000, delay=0.1)
    booking = sandbox.store.reservations[0]["id"]
    built = Built(sandbox, tmp_path)
    async with Client(built.server) as client:
        assert (await structured(client, "get_sync_status"))["state"] == "syncing"
        details = await structured(client, "get_booking_details", {"reservation_id": booking})
        assert details["id"] == booking
        # A portfolio question small enough to fit is read live (not from the unfinished copy).
        tasks = await structured(client, "list_tasks", {"limit": 5})
        assert tasks["tasks"] and "data_as_of" not in tasks
        started = time.perf_counter()
        report = await client.call_tool(
            "get_occupancy_report",
            {"start_date": str(TODAY.replace(year=TODAY.year - 1)), "end_date": str(TODAY)},
        )
        took = time.perf_counter() - started
    assert report.is_error
    text = report.content[0].text  # type: ignore[union-attr]
    assert "Still syncing:" in text and "% done, ready in about " in text
    assert "get_sync_status" in text
    assert report.structured_content is None
    assert took < limit + 0.5


async def test_a_failing_sync_reports_an_error_keeps_answering_and_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hostaway_mcp.hostaway.mirror.mirror.ERROR_BACKOFF", (0.05,))
    monkeypatch.setattr("hostaway_mcp.hostaway.mirror.mirror.MIN_CYCLE", 0.05)
    sandbox = small_sandbox(2)
    sandbox.faults.inject("/reviews", "status", count=1_000_000, status=503)
    built = Built(sandbox, tmp_path, freshness_s=0.05)
    async with Client(built.server) as client:
        with anyio.fail_after(30):
            while (status := await structured(client, "get_sync_status"))["state"] != "error":  # noqa: ASYNC110
                await anyio.sleep(0.05)
        assert "Hostaway" in status["error"] and "HTTP 503" in status["error"]
        assert "problem" in status["summary"]
        # What is already copied still answers (bookings); the rest is read live.
        bookings = await structured(
            client,
            "search_bookings",
            {"arrival_from": str(TODAY), "arrival_to": str(TODAY + timedelta(days=30))},
        )
        assert "data_as_of" in bookings
        reviews = await client.call_tool("list_reviews", {})
        assert reviews.is_error  # live, and Hostaway keeps failing
        sandbox.faults.clear()  # Hostaway is back: the next cycle finishes the copy
        with anyio.fail_after(30):
            while (status := await structured(client, "get_sync_status"))["state"] != "ready":  # noqa: ASYNC110
                await anyio.sleep(0.05)
    assert "error" not in status and status["counts"]["reviews"] > 0


def test_the_cause_of_a_failed_cycle_is_found_inside_task_groups() -> None:
    import sqlite3

    from hostaway_mcp.errors import UpstreamUnavailable
    from hostaway_mcp.hostaway.mirror.mirror import _cause

    down = UpstreamUnavailable("down")
    assert _cause(ExceptionGroup("g", [ValueError("x"), ExceptionGroup("h", [down])])) is down
    broken = sqlite3.DatabaseError("malformed")
    assert _cause(ExceptionGroup("g", [broken])) is broken
    other = KeyError("k")
    assert _cause(other) is other


async def test_what_the_session_raises_leaves_the_lifespan_unwrapped(tmp_path: Path) -> None:
    """The background sync's task group stays invisible: an error raised while the server runs
    comes out of the lifespan as itself (a transport or Starlette catches it by its type), not
    inside an ExceptionGroup."""
    server = Built(small_sandbox(2), tmp_path).server
    lifespan = server.settings.lifespan
    assert lifespan is not None
    with pytest.raises(LookupError, match="the session failed"):
        async with lifespan(server):
            raise LookupError("the session failed")
    with pytest.raises(KeyboardInterrupt):
        async with lifespan(server):
            raise KeyboardInterrupt


@pytest.mark.slow
async def test_the_first_sync_and_tool_calls_share_hostaways_limits_without_a_429(
    tmp_path: Path,
) -> None:
    """Hostaway's limits (15 requests per window per IP, 20 per account), the window scaled
    from 10 s to 1 s: tool calls that each reach Hostaway keep coming while the first sync runs
    behind them. Every call is answered, the sync finishes, and Hostaway never answers 429."""
    window = 1.0
    sandbox = small_sandbox(3)
    sandbox.set_rate_limits(ip=15, account=20, window=window)
    built = Built(
        sandbox,
        tmp_path,
        rate_limit_ip=15,
        rate_limit_account=20,
        rate_window_seconds=window,
        cache_ttl=0.0,  # every call goes upstream
    )
    listing_id = sandbox.store.listings[0]["id"]
    stay = {
        "listing_id": listing_id,
        "start_date": str(TODAY + timedelta(days=30)),
        "end_date": str(TODAY + timedelta(days=33)),
    }
    during_sync = 0
    async with Client(built.server) as client:
        with anyio.fail_after(60):
            for _ in range(10):  # the listing and its days: two requests, ahead of the sync's
                await structured(client, "check_availability", stay)
                status = await structured(client, "get_sync_status")
                during_sync += status["state"] == "syncing"
        await wait_ready(client)
    assert during_sync == 10
    assert sandbox.rate_limited_count == 0
    assert built.adapter.stats.rate_limited == 0
