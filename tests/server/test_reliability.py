"""Reliability under the faults a real Hostaway produces, against the demo sandbox's fault knobs:
expired tokens, 429s, 5xx blips, unreadable bodies, slowness, cancellation, concurrency.

The `slow` ones run on real time (timeouts, cancellation, real rate windows)."""

from __future__ import annotations

import time
from typing import Any

import anyio
import pytest
from mcp import Client

from hostaway_mcp.hostaway._client import RetryPolicy
from tests.support.accounts import demo_account
from tests.support.clock import FakeClock
from tests.support.servers import demo_server

pytestmark = pytest.mark.anyio

LISTING = 40161
DETAILS = {"listing_id": LISTING}


async def test_token_expired_mid_session_mints_once_for_ten_concurrent_calls() -> None:
    sandbox = demo_account()
    async with Client(demo_server(sandbox, cache_ttl=0)) as client:
        assert not (await client.call_tool("get_property_details", DETAILS)).is_error
        sandbox.expire_tokens()
        mints_before = sandbox.count("POST", "/accessTokens")
        results: list[Any] = []

        async def one(listing_id: int) -> None:
            results.append(
                await client.call_tool("get_property_details", {"listing_id": listing_id})
            )

        async with anyio.create_task_group() as group:
            for offset in range(10):
                group.start_soon(one, 40160 + offset)
    assert all(not r.is_error for r in results)
    assert sandbox.count("POST", "/accessTokens") - mints_before == 1


async def test_three_429s_then_success_is_a_normal_answer() -> None:
    sandbox = demo_account()
    sandbox.faults.inject(f"/listings/{LISTING}", "status", count=3, status=429)
    async with Client(demo_server(sandbox)) as client:
        result = await client.call_tool("get_property_details", DETAILS)
    assert not result.is_error
    assert sandbox.count("GET", f"/listings/{LISTING}") == 4


async def test_persistent_429_is_a_clear_rate_limit_error_within_a_bounded_time() -> None:
    sandbox = demo_account()
    sandbox.faults.inject(f"/listings/{LISTING}", "status", count=1000, status=429)
    retry = RetryPolicy(max_attempts=4, base_delay=0.05, max_delay=0.2, max_total=2.0)
    clock = FakeClock()  # the client's backoffs and 429 pauses wait on it, not in real time
    started = clock()
    async with Client(demo_server(sandbox, retry=retry, clock=clock)) as client:
        result = await client.call_tool("get_property_details", DETAILS)
        waited = clock() - started
        after = await client.call_tool("list_all_properties", {"limit": 2})
    assert result.is_error
    assert "429" in result.content[0].text
    assert "15 requests per 10 seconds" in result.content[0].text
    assert sandbox.count("GET", f"/listings/{LISTING}") == retry.max_attempts
    assert 0 < waited < 5
    assert not after.is_error  # the server keeps answering


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_blips_are_retried_and_reads_succeed(status: int) -> None:
    sandbox = demo_account()
    sandbox.faults.inject("/listings*", "status", count=2, status=status)
    async with Client(demo_server(sandbox)) as client:
        result = await client.call_tool("list_all_properties", {"limit": 5})
    assert not result.is_error
    assert len(result.structured_content["properties"]) == 5


async def test_persistent_5xx_is_a_clear_error_and_the_server_keeps_serving() -> None:
    sandbox = demo_account()
    sandbox.faults.inject(f"/listings/{LISTING}", "status", count=1000, status=503)
    async with Client(demo_server(sandbox)) as client:
        failed = await client.call_tool("get_property_details", DETAILS)
        ok = await client.call_tool("get_property_details", {"listing_id": 40160})
    assert failed.is_error
    assert "HTTP 503" in failed.content[0].text
    assert "try again" in failed.content[0].text
    assert not ok.is_error


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        ("malformed", {}, "unreadable response"),
        ("html", {"status": 200}, "unreadable response"),
        ("html", {"status": 502}, "HTTP 502"),
        ("empty", {}, "0 bytes"),
        ("fail", {"message": "Listing is archived"}, "Listing is archived"),
    ],
)
async def test_unreadable_or_failed_bodies_are_clear_errors(
    kind: str, extra: dict[str, Any], expected: str
) -> None:
    sandbox = demo_account()
    sandbox.faults.inject(f"/listings/{LISTING}", kind, count=10, **extra)
    async with Client(demo_server(sandbox)) as client:
        failed = await client.call_tool("get_property_details", DETAILS)
        ok = await client.call_tool("get_property_details", {"listing_id": 40160})
    assert failed.is_error
    assert expected in failed.content[0].text
    assert "Error executing tool get_property_details:" in failed.content[0].text  # not a crash
    assert not ok.is_error


@pytest.mark.slow
async def test_slow_upstream_times_out_within_the_bound_and_releases_the_limits() -> None:
    sandbox = demo_account()
    sandbox.faults.inject(f"/listings/{LISTING}", "latency", count=2, delay=30)
    server = demo_server(sandbox, timeout=0.2, max_concurrent_requests=1)
    started = time.monotonic()
    async with Client(server) as client:
        slow = await client.call_tool("get_property_details", DETAILS)
        elapsed = time.monotonic() - started
        after = await client.call_tool("get_property_details", {"listing_id": 40160})
    assert slow.is_error
    assert "HOSTAWAY_TIMEOUT" in slow.content[0].text
    assert elapsed < 3  # two attempts of 0.2 s plus a short backoff
    assert not after.is_error  # the semaphore (1 slot) and the limiter were released


@pytest.mark.slow
async def test_a_cancelled_call_cancels_the_upstream_request_and_leaks_nothing() -> None:
    sandbox = demo_account()
    sandbox.faults.inject(f"/listings/{LISTING}", "latency", count=1, delay=30)
    server = demo_server(sandbox, max_concurrent_requests=1)
    async with Client(server) as client:
        with anyio.move_on_after(0.5) as scope:
            await client.call_tool("get_property_details", DETAILS)
        assert scope.cancelled_caught
        started = time.monotonic()
        after = await client.call_tool("get_property_details", {"listing_id": 40160})
        assert time.monotonic() - started < 5
    assert not after.is_error
    slow = [r for r in sandbox.request_log if r.path == f"/listings/{LISTING}"]
    assert len(slow) == 1
    assert slow[0].status == 0  # the upstream request never completed: it was cancelled


@pytest.mark.slow
async def test_a_hundred_concurrent_calls_without_errors_or_429s() -> None:
    sandbox = demo_account()
    window = 0.5  # Hostaway's limits, on a 20x faster clock
    sandbox.set_rate_limits(ip=15, account=20, window=window)
    server = demo_server(
        sandbox, rate_limit_ip=15, rate_limit_account=20, rate_window_seconds=window
    )
    calls: list[tuple[str, dict[str, Any]]] = []
    for i in range(100):
        listing_id = 40160 + (i // 4) % 24
        calls.append(
            [
                ("get_property_details", {"listing_id": listing_id}),
                ("list_all_properties", {"limit": 5}),
                ("search_bookings", {"listing_id": listing_id, "limit": 5}),
                (
                    "check_availability",
                    {
                        "listing_id": listing_id,
                        "start_date": "2030-01-10",
                        "end_date": "2030-01-12",
                    },
                ),
            ][i % 4]
        )
    results: list[Any] = []
    async with Client(server) as client:

        async def one(name: str, args: dict[str, Any]) -> None:
            results.append(await client.call_tool(name, args))

        with anyio.fail_after(60):
            async with anyio.create_task_group() as group:
                for name, args in calls:
                    group.start_soon(one, name, args)
    errors = [r.content[0].text for r in results if r.is_error]
    assert errors == []
    assert len(results) == 100
    assert sandbox.count() > 4 * 15  # several windows full: the limiter was really exercised
    assert sandbox.rate_limited_count == 0
