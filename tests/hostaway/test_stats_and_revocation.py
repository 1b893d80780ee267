"""The adapter's health facts (answers by status, the last answer and failure) and the token
revocation on close."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

from hostaway_mcp.errors import AuthenticationError, UpstreamUnavailable
from hostaway_mcp.hostaway import Hostaway
from hostaway_mcp.logs import JsonFormatter
from tests.support.records import TOKEN, envelope, token_body
from tests.support.servers import BASE_URL, FAST_RETRY, make_client, settings

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
        router.delete(f"{BASE_URL}/accessTokens").respond(200, json=envelope([]))
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


async def test_close_revokes_the_token_once_and_never_logs_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").respond(200, json=token_body())
        router.get(f"{BASE_URL}/listings").respond(200, json=envelope([], count=0))
        revoke = router.delete(f"{BASE_URL}/accessTokens").respond(200, json=envelope([]))
        hostaway = Hostaway.connect(settings(), retry=FAST_RETRY, token_warmup=0.0)
        await hostaway.check()
        assert hostaway.has_token
        await hostaway.aclose()
        assert not hostaway.has_token
        await hostaway.aclose()  # closing twice revokes nothing more
    assert revoke.call_count == 1
    assert revoke.calls.last.request.url.params["token"] == TOKEN
    assert hostaway.stats.by_path["DELETE /accessTokens"] == 1
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert any("access token revoked" in line for line in lines)
    assert not any(TOKEN in line for line in lines)


async def test_close_without_a_token_sends_nothing() -> None:
    with respx.mock(assert_all_called=False) as router:
        revoke = router.delete(f"{BASE_URL}/accessTokens").respond(200, json=envelope([]))
        client = make_client()
        await client.aclose()
    assert revoke.call_count == 0


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500, text="oops"),
        httpx.ConnectError("refused"),
    ],
)
async def test_a_failed_revocation_is_logged_and_never_raised(
    answer: httpx.Response | Exception, caplog: pytest.LogCaptureFixture
) -> None:
    with respx.mock() as router:
        router.post(f"{BASE_URL}/accessTokens").respond(200, json=token_body())
        router.get(f"{BASE_URL}/listings").respond(200, json=envelope([], count=0))
        router.delete(f"{BASE_URL}/accessTokens").mock(
            side_effect=[answer] if isinstance(answer, Exception) else None,
            return_value=answer if isinstance(answer, httpx.Response) else None,
        )
        client = make_client()
        await client.get("/listings")
        await client.aclose()
    assert any("revoke" in record.getMessage() for record in caplog.records)
    assert not client.has_token
