"""The adapter's health facts: answers by status, errors, the last answer and the last failure."""

from __future__ import annotations

import httpx
import pytest
import respx

from hostaway_mcp.errors import AuthenticationError, UpstreamUnavailable
from tests.helpers import BASE_URL, FAST_RETRY, envelope, make_client, token_body

pytestmark = pytest.mark.anyio


async def test_answers_are_counted_by_status_and_429s_apart() -> None:
    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").respond(200, json=token_body())
        router.get(f"{BASE_URL}/listings").mock(
            side_effect=[
                httpx.Response(429, json={"status": "fail", "message": "too many requests"}),
                httpx.Response(200, json=envelope([], count=0)),
            ]
        )
        client = make_client()
        await client.get("/listings")
        assert client.stats.by_status == {200: 2, 429: 1}  # the token, the 429, the retry
        assert client.stats.rate_limited == 1
        assert client.stats.last_failure == "HTTP 429"
        assert client.stats.last_answer_at is not None
        assert client.stats.last_failure_at is not None
        assert client.stats.last_answer_at >= client.stats.last_failure_at
        await client.aclose()


async def test_no_answer_is_counted_as_an_error_and_a_failure() -> None:
    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").mock(side_effect=httpx.ConnectError("refused"))
        client = make_client()
        with pytest.raises(UpstreamUnavailable):
            await client.get("/listings")
        assert client.stats.errors["network"] == FAST_RETRY.max_attempts
        assert client.stats.last_failure == "ConnectError"
        assert client.stats.last_answer_at is None
        await client.aclose()


async def test_refused_credentials_are_the_last_failure() -> None:
    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").respond(
            403, json={"status": "fail", "result": "Invalid client credentials"}
        )
        client = make_client()
        with pytest.raises(AuthenticationError):
            await client.get("/listings")
        assert client.stats.last_failure == "credentials refused (HTTP 403)"
        await client.aclose()
