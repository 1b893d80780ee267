"""The response envelope, pagination caps and error answers."""

from __future__ import annotations

import httpx
import pytest

from hostaway_sandbox import Sandbox

pytestmark = pytest.mark.anyio


async def test_list_envelope_has_count_and_paging_fields(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    response = await api.get("/listings", params={"limit": 5, "offset": 10})
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "success"
    assert body["count"] == len(shared.store.listings)
    assert (body["limit"], body["offset"], body["page"]) == (5, 10, 3)
    assert body["totalPages"] == -(-len(shared.store.listings) // 5)
    assert [row["id"] for row in body["result"]] == [
        listing["id"] for listing in shared.store.listings[10:15]
    ]


async def test_single_object_envelope(api: httpx.AsyncClient, shared: Sandbox) -> None:
    listing = shared.store.listings[0]
    body = (await api.get(f"/listings/{listing['id']}")).json()
    assert set(body) == {"status", "result"}
    assert body["result"]["id"] == listing["id"]


async def test_last_page_is_short_and_past_the_end_is_empty(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    total = len(shared.store.listings)
    last = (await api.get("/listings", params={"limit": 10, "offset": total - 3})).json()
    beyond = (await api.get("/listings", params={"limit": 10, "offset": total + 5})).json()
    assert len(last["result"]) == 3
    assert beyond["result"] == []
    assert beyond["count"] == total


@pytest.mark.parametrize(("path", "cap"), [("/reservations", 100), ("/expenses", 500)])
async def test_pages_are_capped_whatever_limit_asks(
    api: httpx.AsyncClient, shared: Sandbox, path: str, cap: int
) -> None:
    body = (await api.get(path, params={"limit": 1000})).json()
    assert len(body["result"]) == cap
    assert body["limit"] == 1000  # echoed; the client must not trust it
    total = len(shared.store.reservations if path == "/reservations" else shared.store.expenses)
    assert body["count"] == total > cap


async def test_default_limit_is_100(api: httpx.AsyncClient) -> None:
    body = (await api.get("/reservations")).json()
    assert len(body["result"]) == 100
    assert body["limit"] == 100


@pytest.mark.parametrize(
    "path",
    [
        "/listings/1",
        "/reservations/1",
        "/conversations/1",
        "/conversations/1/messages",
        "/tasks/1",
        "/expenses/1",
        "/ownerStatement/999",
        "/listings/1/calendar",
    ],
)
async def test_unknown_ids_get_404_fail(api: httpx.AsyncClient, path: str) -> None:
    response = await api.get(path)
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == "fail"
    assert isinstance(body["result"], str)


async def test_unknown_route_is_404_and_wrong_method_is_405(api: httpx.AsyncClient) -> None:
    missing = await api.get("/financialReports")
    wrong = await api.delete("/listings")
    assert missing.status_code == 404
    assert missing.json() == {"status": "fail", "result": "Not found"}
    assert wrong.status_code == 405
    assert wrong.json()["status"] == "fail"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/listings", {"limit": "ten"}),
        ("/listings", {"offset": "-1"}),
        ("/reservations", {"arrivalStartDate": "15/06/2025"}),
        ("/reservations", {"sortOrder": "price"}),
        ("/reviews", {"sortBy": "rating"}),
        ("/listings/40160/calendar", {"startDate": "2025-02-30"}),
    ],
)
async def test_invalid_input_gets_400_fail(
    api: httpx.AsyncClient, path: str, params: dict[str, str]
) -> None:
    response = await api.get(path, params=params)
    assert response.status_code == 400
    assert response.json()["status"] == "fail"


async def test_invalid_json_body_gets_400(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/reservations", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["result"] == "Request body is not valid JSON"


async def test_count_helper_matches_exact_paths_and_prefixes(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    await client.get("/listings")
    await client.get("/listings/40160")
    await client.get("/listings/40160/calendar")
    await client.get("/reservations")
    assert sandbox.count(path="/listings") == 1
    assert sandbox.count(path="/listings*") == 3
    assert sandbox.count(method="GET") == 4
    assert sandbox.count(method="post", path="/accessTokens") == 1
    record = sandbox.request_log[-1]
    assert (record.method, record.path, record.status) == ("GET", "/reservations", 200)


async def test_query_is_recorded(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    await client.get("/reviews", params=[("listingMapIds[]", "1"), ("listingMapIds[]", "2")])
    assert sandbox.request_log[-1].query == {"listingMapIds[]": ["1", "2"]}
