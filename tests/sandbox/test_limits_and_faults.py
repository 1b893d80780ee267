"""Rate limiting (per IP and per account), fault injection, and concurrency."""

from __future__ import annotations

import json
import time

import anyio
import httpx
import pytest

from hostaway_sandbox import RATE_LIMIT_MESSAGE, Sandbox
from hostaway_sandbox.faults import FaultInjector
from tests.support.clock import FakeClock

from .conftest import BASE_URL, TOKEN_FORM, authed_client

pytestmark = pytest.mark.anyio
WINDOW = 0.5


async def test_ip_limit_answers_429_and_frees_up_after_the_window(sandbox: Sandbox) -> None:
    clock = FakeClock()
    sandbox.clock = clock
    async with authed_client(sandbox) as client:
        sandbox.set_rate_limits(ip=3, account=100, window=WINDOW)
        first = [await client.get("/listings", params={"limit": 1}) for _ in range(3)]
        limited = await client.get("/listings", params={"limit": 1})
        clock.now += WINDOW / 2
        limited_again = await client.get("/listings", params={"limit": 1})  # must not count
        clock.now += WINDOW / 2 + 0.05
        after = [await client.get("/listings", params={"limit": 1}) for _ in range(3)]
    assert [r.status_code for r in first] == [200, 200, 200]
    assert limited.status_code == limited_again.status_code == 429
    assert limited.json() == {"status": "fail", "message": RATE_LIMIT_MESSAGE}
    assert "retry-after" not in limited.headers
    assert [r.status_code for r in after] == [200, 200, 200]
    assert sandbox.rate_limited_count == 2
    statuses = [record.status for record in sandbox.request_log]
    assert statuses == [200, 200, 200, 200, 429, 429, 200, 200, 200]  # first: the token


async def test_account_limit_spans_ips_and_counts_token_requests(sandbox: Sandbox) -> None:
    sandbox.set_rate_limits(ip=100, account=3, window=30.0)
    async with authed_client(sandbox) as client:  # the token request is 1 of 3
        assert (await client.get("/listings")).status_code == 200
        assert (await client.get("/listings")).status_code == 200
        assert (await client.get("/listings")).status_code == 429
        token = client.headers["Authorization"]
    other_ip = httpx.ASGITransport(app=sandbox.app, client=("10.0.0.9", 4242))
    async with httpx.AsyncClient(transport=other_ip, base_url=BASE_URL) as elsewhere:
        same_account = await elsewhere.get("/listings", headers={"Authorization": token})
        new_token = await elsewhere.post("/accessTokens", data=TOKEN_FORM)
    assert same_account.status_code == 429
    assert new_token.status_code == 429  # token requests count toward that client_id's budget
    assert sandbox.rate_limited_count == 3


async def test_default_limits_are_the_real_ones() -> None:
    sandbox = Sandbox(seed=1)
    sandbox.token_warmup = 0.0
    statuses = []
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=BASE_URL) as http:
        for _ in range(16):
            statuses.append((await http.post("/accessTokens", data=TOKEN_FORM)).status_code)
    assert statuses.count(200) == 15  # 15 per 10 s per IP (the account allows 20)
    assert statuses[-1] == 429


@pytest.mark.parametrize(
    ("status", "key"),
    [(500, "result"), (502, "result"), (503, "result"), (429, "message")],
)
async def test_status_fault(
    client: httpx.AsyncClient, sandbox: Sandbox, status: int, key: str
) -> None:
    sandbox.faults.inject("/listings", "status", status=status)
    faulted = await client.get("/listings")
    normal = await client.get("/listings")
    assert faulted.status_code == status
    body = faulted.json()
    assert body["status"] == "fail"
    assert isinstance(body[key], str)
    assert "retry-after" not in faulted.headers
    assert normal.status_code == 200
    assert sandbox.rate_limited_count == (1 if status == 429 else 0)


async def test_html_fault(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.faults.inject("/reservations", "html")
    sandbox.faults.inject("/reservations", "html", status=504)
    first, second = await client.get("/reservations"), await client.get("/reservations")
    assert first.status_code == 502
    assert second.status_code == 504
    assert first.headers["content-type"].startswith("text/html")
    assert "<html>" in first.text
    assert "Bad Gateway" in first.text
    with pytest.raises(json.JSONDecodeError):
        first.json()


async def test_malformed_and_empty_faults(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.faults.inject("/listings", "malformed")
    sandbox.faults.inject("/listings", "empty")
    malformed, empty = await client.get("/listings"), await client.get("/listings")
    assert malformed.status_code == empty.status_code == 200
    assert malformed.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        malformed.json()
    assert empty.content == b""


async def test_fail_fault(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.faults.inject("/conversations*", "fail", message="Conversation service unavailable")
    sandbox.faults.inject("/tasks", "fail", status=422)
    response = await client.get("/conversations/1/messages")
    assert response.status_code == 200
    assert response.json() == {"status": "fail", "result": "Conversation service unavailable"}
    assert (await client.get("/tasks")).status_code == 422


@pytest.mark.slow
async def test_latency_fault_then_normal_answer(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    sandbox.faults.inject("/listings/40160", "latency", delay=0.05)
    started = time.monotonic()
    response = await client.get("/listings/40160")
    assert time.monotonic() - started >= 0.05
    assert response.status_code == 200
    assert response.json()["result"]["id"] == 40160


async def test_fault_count_method_and_prefix(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.faults.inject("/v1/listings*", "status", count=2, method="get", status=503)
    codes = [
        (await client.get(path)).status_code
        for path in ("/listings", "/listings/40160", "/listings")
    ]
    assert codes == [503, 503, 200]
    sandbox.faults.inject("/reservations", "status", method="POST", status=500)
    assert (await client.get("/reservations", params={"limit": 1})).status_code == 200
    assert (await client.post("/reservations", json={})).status_code == 500
    assert sandbox.faults.pending == []
    assert sandbox.count(path="/listings*") == 3  # faulted requests are logged too
    assert [r.status for r in sandbox.request_log if r.path.startswith("/listings")] == [
        503,
        503,
        200,
    ]


async def test_clear_removes_pending_faults(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    sandbox.faults.inject("/listings", "status", count=5, status=500)
    sandbox.faults.clear()
    assert (await client.get("/listings")).status_code == 200


def test_inject_rejects_unknown_kinds() -> None:
    faults = FaultInjector()
    with pytest.raises(ValueError, match="unknown fault kind"):
        faults.inject("/listings", "explode")
    with pytest.raises(ValueError, match="count"):
        faults.inject("/listings", "status", count=0)
    assert faults.pending == []


async def test_token_fault_applies_before_credentials(sandbox: Sandbox) -> None:
    sandbox.faults.inject("/accessTokens", "status", status=503)
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=BASE_URL) as http:
        down = await http.post("/accessTokens", data=TOKEN_FORM)
        up = await http.post("/accessTokens", data=TOKEN_FORM)
    assert (down.status_code, up.status_code) == (503, 200)


async def test_one_hundred_concurrent_requests(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    statuses: list[int] = []

    async def fetch(n: int) -> None:
        path = ("/listings", "/reservations", "/conversations", "/reviews")[n % 4]
        statuses.append((await client.get(path, params={"limit": 5, "offset": n})).status_code)

    async with anyio.create_task_group() as group:
        for n in range(100):
            group.start_soon(fetch, n)
    assert statuses == [200] * 100
    assert sandbox.count(method="GET") == 100


async def test_undecodable_fault_lets_the_route_act_and_spoils_only_the_answer(
    sandbox: Sandbox,
) -> None:
    conversation = sandbox.store.conversations[0]["id"]
    path = f"/conversations/{conversation}/messages"
    async with authed_client(sandbox) as client:
        before = (await client.get(path, params={"limit": 1})).json()["count"]
        sandbox.faults.inject(path, "undecodable", method="POST")
        with pytest.raises(httpx.DecodingError):
            await client.post(path, json={"body": "hello", "communicationType": "email"})
        after = (await client.get(path, params={"limit": 1})).json()["count"]
    assert after == before + 1  # the message was stored: only the answer was lost
