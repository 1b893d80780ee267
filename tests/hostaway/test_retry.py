"""The retry decisions, each named, and how the client applies them to requests that must not take
effect twice."""

from __future__ import annotations

import httpx
import pytest
import respx

from hostaway_mcp.errors import BadRequest, OutcomeUnknown, UpstreamUnavailable
from hostaway_mcp.hostaway._retry import (
    may_have_been_sent,
    rate_limit_wait,
    refused_without_acting,
    resendable,
)
from tests.support.records import envelope, token_body
from tests.support.servers import BASE_URL, FAST_RETRY, make_client

pytestmark = pytest.mark.anyio
REQUEST = httpx.Request("POST", f"{BASE_URL}/tasks")


@pytest.mark.parametrize(
    ("status", "idempotent", "expected"),
    [
        (429, False, True),  # refused without acting: safe to send again
        (429, True, True),
        (503, True, True),
        (503, False, False),  # Hostaway may have acted
        (500, False, False),
        (400, True, False),
        (404, False, False),
        (200, True, False),
    ],
)
def test_resendable(status: int, idempotent: bool, expected: bool) -> None:
    assert resendable(status, idempotent=idempotent) is expected


@pytest.mark.parametrize(
    ("status", "expected"), [(400, True), (404, True), (429, True), (200, False), (502, False)]
)
def test_refused_without_acting(status: int, expected: bool) -> None:
    assert refused_without_acting(status) is expected


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ConnectError("refused", request=REQUEST), False),
        (httpx.ConnectTimeout("slow", request=REQUEST), False),
        (httpx.PoolTimeout("busy", request=REQUEST), False),
        (httpx.ReadTimeout("slow", request=REQUEST), True),
        (httpx.RemoteProtocolError("dropped", request=REQUEST), True),
        (httpx.ReadError("reset", request=REQUEST), True),
    ],
)
def test_may_have_been_sent(exc: httpx.TransportError, expected: bool) -> None:
    assert may_have_been_sent(exc) is expected


def test_rate_limit_wait_is_what_hostaway_asked_else_a_whole_window() -> None:
    assert rate_limit_wait(3.0, 10.0) == 3.0
    assert rate_limit_wait(None, 10.0) == 10.0


async def test_a_creating_post_answered_429_is_sent_again_once_it_succeeds() -> None:
    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").respond(200, json=token_body())
        route = router.post(f"{BASE_URL}/tasks").mock(
            side_effect=[
                httpx.Response(429, json={"status": "fail", "message": "too many requests"}),
                httpx.Response(200, json=envelope({"id": 7})),
            ]
        )
        client = make_client(rate_window_seconds=0.01)
        answer = await client.request("POST", "/tasks", json_body={"title": "x"}, creates=True)
        await client.aclose()
    assert route.call_count == 2
    assert answer["result"] == {"id": 7}
    assert client.stats.rate_limited == 1 and client.stats.retries == 1


async def test_a_creating_post_refused_with_400_is_a_plain_failure() -> None:
    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").respond(200, json=token_body())
        route = router.post(f"{BASE_URL}/tasks").respond(400, text="<html>bad</html>")
        client = make_client()
        with pytest.raises(BadRequest):
            await client.request("POST", "/tasks", json_body={}, creates=True)
        await client.aclose()
    assert route.call_count == 1


async def test_a_creating_post_with_an_unreadable_success_is_outcome_unknown() -> None:
    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").respond(200, json=token_body())
        route = router.post(f"{BASE_URL}/tasks").respond(200, text='{"status":"succ')
        client = make_client()
        with pytest.raises(OutcomeUnknown) as caught:
            await client.request("POST", "/tasks", json_body={}, creates=True)
        await client.aclose()
    assert route.call_count == 1
    assert "POST /tasks was sent" in caught.value.message


async def test_a_read_with_an_undecodable_answer_is_retried_then_reported() -> None:
    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").respond(200, json=token_body())
        route = router.get(f"{BASE_URL}/listings").mock(
            side_effect=lambda request: httpx.Response(
                200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip")
            )
        )
        client = make_client()
        with pytest.raises(UpstreamUnavailable, match="could not be decoded"):
            await client.get("/listings")
        await client.aclose()
    assert route.call_count == FAST_RETRY.max_attempts
