"""HostawayClient against a respx-mocked upstream: auth, limits, retries, envelope, pagination."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

import anyio
import httpx
import pytest
import respx

from hostaway_mcp.errors import (
    AuthenticationError,
    BadRequest,
    ConfigurationError,
    NotFound,
    OutcomeUnknown,
    PermissionDenied,
    RateLimited,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from hostaway_mcp.hostaway._client import HostawayClient, RetryPolicy
from hostaway_mcp.logs import JsonFormatter
from tests.support.clock import FakeClock
from tests.support.records import TOKEN, envelope, example, token_body
from tests.support.servers import BASE_URL, FAST_RETRY, SECRET, make_client, settings

pytestmark = pytest.mark.anyio


def mock_token(router: respx.MockRouter, *tokens: str) -> respx.Route:
    route = router.post(f"{BASE_URL}/accessTokens")
    if len(tokens) <= 1:
        route.respond(200, json=token_body(tokens[0] if tokens else TOKEN))
    else:
        route.side_effect = [httpx.Response(200, json=token_body(t)) for t in tokens]
    return route


async def test_mints_token_with_form_credentials_and_sends_bearer() -> None:
    with respx.mock(assert_all_called=True) as router:
        token_route = mock_token(router)
        listing = example("listing_listingObject")
        get_route = router.get(f"{BASE_URL}/listings/40160").respond(200, json=envelope(listing))
        client = make_client()
        result = await client.get("/listings/40160")
        await client.aclose()

    assert result["bedroomsNumber"] == 1
    form = parse_qs(token_route.calls.last.request.content.decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["10450"],
        "client_secret": [SECRET],
        "scope": ["general"],
    }
    assert token_route.calls.last.request.headers["content-type"].startswith(
        "application/x-www-form-urlencoded"
    )
    sent = get_route.calls.last.request
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["user-agent"].startswith("hostaway-mcp/")


async def test_ten_concurrent_calls_mint_exactly_one_token() -> None:
    with respx.mock() as router:
        token_route = mock_token(router)
        router.get(f"{BASE_URL}/listings").respond(200, json=envelope([], count=0))
        client = make_client()
        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(client.get, "/listings")
        await client.aclose()
    assert token_route.call_count == 1
    assert client.stats.token_requests == 1


async def test_waits_one_second_after_mint_before_first_use() -> None:
    clock = FakeClock()
    used_at: list[float] = []

    def record(request: httpx.Request) -> httpx.Response:
        used_at.append(clock())
        return httpx.Response(200, json=envelope([]))

    with respx.mock() as router:
        minted_at: list[float] = []

        def mint(request: httpx.Request) -> httpx.Response:
            minted_at.append(clock())
            return httpx.Response(200, json=token_body())

        router.post(f"{BASE_URL}/accessTokens").mock(side_effect=mint)
        router.get(f"{BASE_URL}/listings").mock(side_effect=record)
        client = HostawayClient(settings(), retry=FAST_RETRY, clock=clock, sleep=clock.sleep)
        await client.get("/listings")
        await client.get("/listings")  # the second call does not wait again
        await client.aclose()
    assert used_at[0] - minted_at[0] >= 1.0
    assert used_at[1] == used_at[0]


async def test_refreshes_token_before_expiry() -> None:
    clock = FakeClock()
    with respx.mock() as router:
        token_route = router.post(f"{BASE_URL}/accessTokens")
        token_route.side_effect = [
            httpx.Response(200, json=token_body(t, expires_in=30 * 86400))
            for t in ("tok-one-xxxx", "tok-two-xxxx")
        ]
        route = router.get(f"{BASE_URL}/listings").respond(200, json=envelope([]))
        client = HostawayClient(
            settings(token_refresh_days=7),
            retry=FAST_RETRY,
            clock=clock,
            sleep=clock.sleep,
            token_warmup=0,
        )
        await client.get("/listings")
        clock.now += 30 * 86400 - 7 * 86400 + 1  # 30-day token, refreshed 7 days early
        await client.get("/listings")
        await client.aclose()
    assert token_route.call_count == 2
    assert route.calls.last.request.headers["authorization"] == "Bearer tok-two-xxxx"


async def test_403_remints_once_and_retries_once() -> None:
    with respx.mock() as router:
        token_route = mock_token(router, "tok-old-xxxx", "tok-new-xxxx")
        route = router.get(f"{BASE_URL}/reservations/13")
        route.side_effect = [
            httpx.Response(403, json={"status": "fail", "result": "Unauthorized"}),
            httpx.Response(200, json=envelope(example("reservation_reservationObject"))),
        ]
        client = make_client()
        result = await client.get("/reservations/13")
        await client.aclose()
    assert result["id"] == 13
    assert token_route.call_count == 2
    assert [c.request.headers["authorization"] for c in route.calls] == [
        "Bearer tok-old-xxxx",
        "Bearer tok-new-xxxx",
    ]


async def test_second_403_is_a_permission_error_without_looping() -> None:
    with respx.mock() as router:
        token_route = mock_token(router, "tok-one-xxxx", "tok-two-xxxx", "tok-three-xx")
        route = router.get(f"{BASE_URL}/reservations/13").respond(
            403, json={"status": "fail", "result": "Reservation is locked by channel"}
        )
        client = make_client()
        with pytest.raises(PermissionDenied) as caught:
            await client.get("/reservations/13")
        await client.aclose()
    assert token_route.call_count == 2
    assert route.call_count == 2
    assert "locked by channel" in caught.value.user_message()


async def test_401_is_treated_like_403() -> None:
    with respx.mock() as router:
        token_route = mock_token(router, "tok-one-xxxx", "tok-two-xxxx")
        route = router.get(f"{BASE_URL}/listings")
        route.side_effect = [httpx.Response(401), httpx.Response(200, json=envelope([]))]
        client = make_client()
        assert await client.get("/listings") == []
        await client.aclose()
    assert token_route.call_count == 2


async def test_bad_credentials_raise_authentication_error_without_the_secret() -> None:
    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").respond(
            401, json={"status": "fail", "result": "Invalid client"}
        )
        client = make_client()
        with pytest.raises(AuthenticationError) as caught:
            await client.get("/listings")
        await client.aclose()
    text = caught.value.user_message()
    assert "HOSTAWAY_CLIENT_SECRET" in text
    assert SECRET not in text


async def test_missing_credentials_say_what_to_set_and_send_nothing() -> None:
    with respx.mock() as router:
        client = make_client(client_secret=None)
        with pytest.raises(ConfigurationError) as caught:
            await client.get("/listings")
        await client.aclose()
        assert not router.calls
    assert "HOSTAWAY_CLIENT_SECRET" in str(caught.value)
    assert "--demo" in str(caught.value)


async def test_limiter_keeps_requests_within_the_window() -> None:
    clock = FakeClock()
    sent_at: list[float] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent_at.append(clock())
        return httpx.Response(200, json=envelope([]))

    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").mock(
            side_effect=lambda r: (sent_at.append(clock()), httpx.Response(200, json=token_body()))[
                1
            ]
        )
        router.get(f"{BASE_URL}/listings").mock(side_effect=record)
        client = HostawayClient(
            settings(rate_limit_ip=3, rate_limit_account=5, rate_window_seconds=10.0),
            retry=FAST_RETRY,
            clock=clock,
            sleep=clock.sleep,
            token_warmup=0,
        )
        async with anyio.create_task_group() as tg:
            for _ in range(8):
                tg.start_soon(client.get, "/listings")
        await client.aclose()
    assert len(sent_at) == 9  # the token request counts too
    for start in sent_at:
        assert sum(1 for t in sent_at if start <= t < start + 10.0) <= 3
    # and it runs close to the limit: 9 requests at 3 per 10 s need just over 20 s
    assert sent_at[-1] - sent_at[0] < 21.0


@pytest.mark.parametrize("status", [429, 500, 502, 503])
async def test_idempotent_reads_retry_transient_statuses(status: int) -> None:
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/listings")
        route.side_effect = [
            httpx.Response(status, json={"status": "fail", "message": "too many requests"}),
            httpx.Response(status, text="<html>oops</html>"),
            httpx.Response(status),
            httpx.Response(200, json=envelope([{"id": 1}])),
        ]
        client = make_client()
        assert await client.get("/listings") == [{"id": 1}]
        await client.aclose()
    assert route.call_count == 4
    assert client.stats.retries == 3


async def test_backoff_grows_exponentially_with_full_jitter() -> None:
    clock = FakeClock()
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/listings").respond(503)
        client = HostawayClient(
            settings(),
            retry=RetryPolicy(max_attempts=4, base_delay=0.5, max_delay=8.0),
            clock=clock,
            sleep=clock.sleep,
            rng=lambda: 1.0,  # the top of each jitter range
            token_warmup=0,
        )
        with pytest.raises(UpstreamUnavailable) as caught:
            await client.get("/listings")
        await client.aclose()
    assert route.call_count == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert "HTTP 503" in str(caught.value)


async def test_retry_after_header_is_honoured() -> None:
    clock = FakeClock()
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/listings")
        route.side_effect = [
            httpx.Response(429, headers={"Retry-After": "3"}, json={"status": "fail"}),
            httpx.Response(200, json=envelope([])),
        ]
        client = HostawayClient(
            settings(), retry=FAST_RETRY, clock=clock, sleep=clock.sleep, token_warmup=0
        )
        await client.get("/listings")
        await client.aclose()
    assert 3.0 in clock.sleeps


async def test_persistent_429_gives_a_rate_limit_error_naming_the_limit() -> None:
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/listings").respond(
            429, json={"status": "fail", "message": "You have exceeded the rate limits"}
        )
        client = make_client()
        with pytest.raises(RateLimited) as caught:
            await client.get("/listings")
        await client.aclose()
    assert route.call_count == FAST_RETRY.max_attempts
    assert "15 requests per 10 seconds" in caught.value.user_message()


async def test_retries_stop_at_the_total_time_budget() -> None:
    clock = FakeClock()
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/listings").respond(
            429, headers={"Retry-After": "100"}, json={"status": "fail", "message": "slow down"}
        )
        client = HostawayClient(
            settings(), retry=RetryPolicy(max_total=30), clock=clock, sleep=clock.sleep
        )
        with pytest.raises(RateLimited):
            await client.get("/listings")
        await client.aclose()
    assert route.call_count == 1  # waiting 100 s would blow the 30 s budget: fail fast instead


async def test_creating_post_answered_5xx_is_outcome_unknown_and_never_resent() -> None:
    with respx.mock() as router:
        mock_token(router)
        route = router.post(f"{BASE_URL}/conversations/1406/messages").respond(503)
        client = make_client()
        with pytest.raises(OutcomeUnknown):
            await client.request(
                "POST", "/conversations/1406/messages", json_body={"body": "hi"}, creates=True
            )
        await client.aclose()
    assert route.call_count == 1


async def test_creating_post_that_times_out_is_outcome_unknown_and_not_resent() -> None:
    with respx.mock() as router:
        mock_token(router)
        route = router.post(f"{BASE_URL}/reservations").mock(side_effect=httpx.ReadTimeout("slow"))
        client = make_client()
        with pytest.raises(OutcomeUnknown) as caught:
            await client.request("POST", "/reservations", json_body={}, creates=True)
        await client.aclose()
    assert route.call_count == 1
    assert "before trying again" in caught.value.user_message()


async def test_read_timeout_is_retried_once_then_reported() -> None:
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/listings").mock(side_effect=httpx.ReadTimeout("slow"))
        client = make_client()
        with pytest.raises(UpstreamTimeout) as caught:
            await client.get("/listings")
        await client.aclose()
    assert route.call_count == 2
    assert "HOSTAWAY_TIMEOUT" in str(caught.value)


@pytest.mark.slow  # a real 50 ms timeout
async def test_slow_in_process_upstream_times_out_and_releases_the_semaphore() -> None:
    calls = 0

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if scope["path"].endswith("/accessTokens"):
            body = b'{"access_token":"tok-zzzzzzzz","expires_in":100000}'
        else:
            if calls <= 3:
                await anyio.sleep(5)
            body = b'{"status":"success","result":[]}'
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    client = HostawayClient(
        settings(timeout=0.05, max_concurrent_requests=1),
        transport=httpx.ASGITransport(app=app),
        retry=FAST_RETRY,
        token_warmup=0,
    )
    with pytest.raises(UpstreamTimeout):
        await client.get("/listings")
    assert await client.get("/listings") == []  # nothing stayed locked
    await client.aclose()


async def test_connect_errors_are_retried() -> None:
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/listings")
        route.side_effect = [httpx.ConnectError("refused"), httpx.Response(200, json=envelope([]))]
        client = make_client()
        assert await client.get("/listings") == []
        await client.aclose()
    assert route.call_count == 2


@pytest.mark.parametrize(
    ("response", "error", "text"),
    [
        (httpx.Response(200, text="{not json"), UpstreamUnavailable, "unreadable response"),
        (
            httpx.Response(200, text="<html><body>Bad gateway</body></html>"),
            UpstreamUnavailable,
            "text/plain",
        ),
        (httpx.Response(200, content=b""), UpstreamUnavailable, "0 bytes"),
        (httpx.Response(200, json=["no", "envelope"]), UpstreamUnavailable, "no status envelope"),
        (
            httpx.Response(200, json={"status": "fail", "result": "Invalid date format"}),
            BadRequest,
            "Invalid date format",
        ),
        (
            httpx.Response(404, json={"status": "fail", "result": "Listing not found"}),
            NotFound,
            "Listing not found",
        ),
        (
            httpx.Response(200, json={"status": "fail", "result": "Reservation not found"}),
            NotFound,
            "Reservation not found",
        ),
        (
            httpx.Response(422, json={"status": "fail", "result": "arrivalDate is required"}),
            BadRequest,
            "arrivalDate is required",
        ),
    ],
)
async def test_bad_bodies_become_clear_domain_errors(
    response: httpx.Response, error: type[Exception], text: str
) -> None:
    with respx.mock() as router:
        mock_token(router)
        router.get(f"{BASE_URL}/listings/1").mock(return_value=response)
        client = make_client()
        with pytest.raises(error) as caught:  # type: ignore[call-overload]
            await client.get("/listings/1")
        await client.aclose()
    assert text in str(caught.value)


async def test_offset_pagination_handles_short_pages_and_string_count() -> None:
    rows = [{"id": i} for i in range(1, 8)]

    def page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        # the server caps pages at 3 rows whatever limit was asked for
        return httpx.Response(200, json=envelope(rows[offset : offset + 3], count="7"))

    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/listings").mock(side_effect=page)
        client = make_client()
        seen = [
            item["id"]
            async for p in client.iter_offset_pages("/listings", page_size=50)
            for item in p.items
        ]
        await client.aclose()
    assert seen == list(range(1, 8))
    assert route.call_count == 3  # stops at offset >= count, no extra empty request
    assert [c.request.url.params["offset"] for c in route.calls] == ["0", "3", "6"]


async def test_offset_pagination_stops_on_empty_page_without_count() -> None:
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/tasks")
        route.side_effect = [
            httpx.Response(200, json=envelope([{"id": 1}, {"id": 2}])),
            httpx.Response(200, json=envelope([])),
        ]
        client = make_client()
        pages = [p.items async for p in client.iter_offset_pages("/tasks", page_size=2)]
        await client.aclose()
    assert pages == [[{"id": 1}, {"id": 2}], []]


async def test_after_id_pagination_follows_the_last_id_until_empty() -> None:
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/reservations")
        route.side_effect = [
            httpx.Response(200, json=envelope([{"id": 90}, {"id": 70}])),
            httpx.Response(200, json=envelope([{"id": 50}])),
            httpx.Response(200, json=envelope([])),
        ]
        client = make_client()
        ids = [
            r["id"]
            async for page in client.iter_after_id_pages(
                "/reservations", {"listingId": 5}, page_size=2
            )
            for r in page.items
        ]
        await client.aclose()
    assert ids == [90, 70, 50]
    params = [dict(c.request.url.params) for c in route.calls]
    assert params[0] == {"listingId": "5", "limit": "2"}
    assert params[1]["afterId"] == "70"
    assert params[2]["afterId"] == "50"


async def test_after_id_pagination_stops_when_count_is_reached() -> None:
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/reservations")
        route.side_effect = [
            httpx.Response(200, json=envelope([{"id": 3}, {"id": 2}], count=3)),
            httpx.Response(200, json=envelope([{"id": 1}], count=3)),
        ]
        client = make_client()
        pages = [p async for p in client.iter_after_id_pages("/reservations")]
        await client.aclose()
    assert [r["id"] for p in pages for r in p.items] == [3, 2, 1]
    assert [p.last for p in pages] == [False, True]
    assert route.call_count == 2


async def test_params_drop_none_and_send_booleans_as_integers() -> None:
    with respx.mock() as router:
        mock_token(router)
        route = router.get(f"{BASE_URL}/listings").respond(200, json=envelope([]))
        client = make_client()
        await client.get("/listings", {"city": None, "includeResources": True, "match": "Sea"})
        await client.aclose()
    assert dict(route.calls.last.request.url.params) == {"includeResources": "1", "match": "Sea"}


async def test_secret_and_token_never_reach_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with respx.mock() as router:
        mock_token(router, "tok-one-secret-zz", "tok-two-secret-zz")
        route = router.get(f"{BASE_URL}/listings")
        route.side_effect = [
            httpx.Response(403),
            httpx.Response(500),
            httpx.Response(200, json=envelope([])),
        ]
        client = make_client()
        await client.get("/listings")
        await client.aclose()
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert lines  # the mint and the retry were logged
    joined = "\n".join(lines)
    assert SECRET not in joined
    assert "tok-one-secret-zz" not in joined
    assert "tok-two-secret-zz" not in joined
