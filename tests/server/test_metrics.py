"""`GET /metrics`: who may read it, and Prometheus' text format (checked by a small parser)."""

from __future__ import annotations

import math
from pathlib import Path

import anyio
import httpx
import pytest

from hostaway_mcp.hostaway import RequestStats
from hostaway_mcp.server.metrics import Histogram, Metrics, MirrorFigures, MirrorState, render
from tests.server.team_harness import TOKENS, parse_metrics, running_team

pytestmark = pytest.mark.anyio


def test_the_exposition_parses_and_histograms_accumulate() -> None:
    metrics = Metrics()
    for seconds in (0.01, 0.2, 0.2, 3.0, 120.0):
        metrics.call_started()
        metrics.call_finished("search_bookings", "ok", seconds)
    metrics.call_started()
    metrics.call_finished('we"ird\\tool\n', "RateLimited", 0.1)
    stats = RequestStats(requests=7, rate_limited=2, retries=2, token_requests=1)
    stats.by_status.update({200: 5, 429: 2})
    stats.errors["timeout"] += 1
    stats.last_answer_at = 1_800_000_000.5
    samples = parse_metrics(render(metrics, stats, MirrorFigures("ready", 12.5), token_held=True))
    buckets = [
        (labels["le"], value)
        for labels, value in samples["hostaway_mcp_tool_call_duration_seconds_bucket"]
        if labels["tool"] == "search_bookings"
    ]
    assert buckets[0] == ("0.05", 1) and buckets[-1] == ("+Inf", 5)
    assert [value for _, value in buckets] == sorted(value for _, value in buckets)
    [(_, count)] = [
        s
        for s in samples["hostaway_mcp_tool_call_duration_seconds_count"]
        if s[0]["tool"] == "search_bookings"
    ]
    assert count == 5
    assert ({"status": "429"}, 2) in samples["hostaway_mcp_upstream_responses_total"]
    assert samples["hostaway_mcp_upstream_rate_limited_total"] == [({}, 2)]
    assert samples["hostaway_mcp_upstream_errors_total"] == [({"kind": "timeout"}, 1)]
    assert samples["hostaway_mcp_upstream_token_requests_total"] == [({}, 1)]
    assert samples["hostaway_mcp_mirror_state"] == [
        ({"state": "off"}, 0),
        ({"state": "syncing"}, 0),
        ({"state": "ready"}, 1),
        ({"state": "error"}, 0),
    ]
    assert samples["hostaway_mcp_mirror_lag_seconds"] == [({}, 12.5)]
    tools = {labels["tool"] for labels, _ in samples["hostaway_mcp_tool_calls_total"]}
    assert 'we\\"ird\\\\tool\\n' in tools  # escaped as the format requires


@pytest.mark.parametrize("state", ["off", "syncing"])
def test_without_a_synced_mirror_the_lag_is_absent(state: MirrorState) -> None:
    """Declared, without a sample (as the last answer's time before any answer)."""
    text = render(Metrics(), None, MirrorFigures(state, progress=0.5), token_held=False)
    samples = parse_metrics(text)
    assert "# TYPE hostaway_mcp_mirror_lag_seconds gauge" in text
    assert "hostaway_mcp_mirror_lag_seconds" not in samples
    assert {labels["state"]: value for labels, value in samples["hostaway_mcp_mirror_state"]} == {
        "off": 1 if state == "off" else 0,
        "syncing": 1 if state == "syncing" else 0,
        "ready": 0,
        "error": 0,
    }
    assert samples["hostaway_mcp_upstream_token_held"] == [({}, 0)]


def test_a_histogram_puts_each_value_in_its_bucket() -> None:
    histogram = Histogram()
    for value in (0.05, 0.051, 60.0, math.inf):
        histogram.observe(value)
    assert histogram.counts[0] == 1 and histogram.counts[1] == 1
    assert histogram.counts[-2] == 1 and histogram.counts[-1] == 1
    assert histogram.count == 4


async def test_with_tokens_metrics_need_one(tmp_path: Path) -> None:
    async with running_team(tmp_path) as team:
        async with team.client("maria") as client:
            await client.call_tool("list_all_properties", {"limit": 1})
        async with team.http() as http:
            anonymous = await http.get("/metrics")
        async with team.http("hmcp_wrong") as http:
            wrong = await http.get("/metrics")
        async with team.http(TOKENS["joao"]) as http:
            answer = await http.get("/metrics")
    assert anonymous.status_code == 401 and wrong.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    samples = parse_metrics(answer.text)
    calls = {
        (labels["tool"], labels["outcome"]): value
        for labels, value in samples["hostaway_mcp_tool_calls_total"]
    }
    assert calls[("list_all_properties", "ok")] == 1
    [(_, requests)] = samples["hostaway_mcp_upstream_requests_total"]
    assert requests >= 3  # the token, the check at start, the listings
    refused = {
        (labels["route"], labels["status"])
        for labels, _ in samples["hostaway_mcp_http_requests_total"]
    }
    assert ("/metrics", "401") in refused


async def test_without_tokens_metrics_are_for_this_machine_only(tmp_path: Path) -> None:
    async with running_team(tmp_path, tokens=None) as team:
        async with team.http() as http:
            local = await http.get("/metrics")
        async with team.http(**{"X-Forwarded-For": "198.51.100.7"}) as http:
            proxied = await http.get("/metrics")
        async with team.http(Host="evil.example") as http:
            rebound = await http.get("/metrics")
        remote = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=team.server.app, client=("192.0.2.10", 4000)),
            base_url="http://127.0.0.1:8000",
        )
        async with remote:
            far = await remote.get("/metrics")
    assert local.status_code == 200
    assert ({"state": "off"}, 1) in parse_metrics(local.text)["hostaway_mcp_mirror_state"]
    assert proxied.status_code == 403
    assert rebound.status_code == 421
    assert far.status_code == 403


async def test_drained_waits_for_the_calls_in_flight() -> None:
    metrics = Metrics()
    assert await metrics.drained(0.01) is True
    metrics.call_started()
    assert await metrics.drained(0.02) is False
    async with anyio.create_task_group() as group:

        async def finish_soon() -> None:
            await anyio.sleep(0.05)
            metrics.call_finished("list_tasks", "ok", 0.05)

        group.start_soon(finish_soon)
        assert await metrics.drained(5) is True


async def test_a_cancelled_call_is_counted_as_cancelled() -> None:
    from types import SimpleNamespace

    from hostaway_mcp.server.app import _wrap
    from hostaway_mcp.server.state import AppState
    from tests.support.servers import settings

    async def slow_tool(ctx: object) -> None:
        await anyio.sleep(10)

    app = AppState(settings=settings())
    ctx = SimpleNamespace(request_context=SimpleNamespace(lifespan_context=app))
    with anyio.move_on_after(0.02):
        await _wrap(slow_tool)(ctx=ctx)  # type: ignore[arg-type]
    assert app.metrics.tool_calls == {("slow_tool", "cancelled"): 1}
    assert app.metrics.in_flight == 0
