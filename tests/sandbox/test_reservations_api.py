"""GET /reservations: afterId cursor paging, sort orders and the documented filters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from hostaway_sandbox import Sandbox

from .conftest import TODAY, get_all

pytestmark = pytest.mark.anyio


async def walk_after_id(
    client: httpx.AsyncClient, limit: int = 100, **params: Any
) -> tuple[list[int], set[int]]:
    """Page with afterId until an empty page; returns visited ids and every `count` seen."""
    ids: list[int] = []
    counts: set[int] = set()
    cursor: int | None = None
    for _ in range(200):
        query = {**params, "limit": limit}
        if cursor is not None:
            query.update(afterId=cursor, offset=9999)  # offset is ignored with afterId
        body = (await client.get("/reservations", params=query)).json()
        counts.add(body["count"])
        page = [row["id"] for row in body["result"]]
        if not page:
            return ids, counts
        ids.extend(page)
        cursor = page[-1]
    raise AssertionError("afterId paging did not terminate")


def sort_key(row: dict[str, Any], field: str) -> tuple[str, int]:
    return row[field], row["id"]


@pytest.mark.parametrize(
    ("sort_order", "field", "descending"),
    [
        (None, "updatedOn", True),
        ("updatedOn", "updatedOn", False),
        ("arrivalDate", "arrivalDate", False),
        ("arrivalDateDesc", "arrivalDate", True),
        ("latestActivityDesc", "latestActivityOn", True),
    ],
)
async def test_after_id_visits_every_reservation_once_in_sort_order(
    api: httpx.AsyncClient, shared: Sandbox, sort_order: str | None, field: str, descending: bool
) -> None:
    params = {"sortOrder": sort_order} if sort_order else {}
    ids, counts = await walk_after_id(api, **params)
    everything = shared.store.reservations
    assert len(ids) == len(set(ids)) == len(everything)
    assert counts == {len(everything)}
    expected = sorted(everything, key=lambda r: sort_key(r, field), reverse=descending)
    assert ids == [r["id"] for r in expected]


async def test_after_id_with_filters_and_small_pages(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    listing_id = shared.store.listings[3]["id"]
    ids, counts = await walk_after_id(api, limit=7, listingId=listing_id, sortOrder="arrivalDate")
    expected = [r["id"] for r in shared.store.reservations if r["listingMapId"] == listing_id]
    assert sorted(ids) == sorted(expected)
    assert counts == {len(expected)}


async def test_after_id_of_a_row_outside_the_filter_still_positions_the_cursor(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    listing_id = shared.store.listings[0]["id"]
    outsider = next(r for r in shared.store.reservations if r["listingMapId"] != listing_id)
    params = {"listingId": listing_id, "sortOrder": "arrivalDate", "limit": 100}
    body = (await api.get("/reservations", params={**params, "afterId": outsider["id"]})).json()
    mark = (outsider["arrivalDate"], outsider["id"])
    assert body["result"]
    assert all((r["arrivalDate"], r["id"]) > mark for r in body["result"])
    assert all(r["listingMapId"] == listing_id for r in body["result"])


async def test_after_id_of_an_unknown_id_falls_back_to_id_order(api: httpx.AsyncClient) -> None:
    low = (await api.get("/reservations", params={"afterId": 1, "limit": 5})).json()
    assert low["result"] == []  # default order is descending: no id comes after 1
    high = (await api.get("/reservations", params={"afterId": 99_999_999, "limit": 5})).json()
    assert len(high["result"]) == 5
    assert all(row["id"] < 99_999_999 for row in high["result"])


async def test_offset_paging_also_visits_everything(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    rows = await get_all(api, "/reservations")
    assert len({row["id"] for row in rows}) == len(shared.store.reservations)


async def test_status_parameter_is_ignored(api: httpx.AsyncClient) -> None:
    plain = (await api.get("/reservations", params={"limit": 5})).json()
    filtered = (await api.get("/reservations", params={"limit": 5, "status": "cancelled"})).json()
    assert filtered["count"] == plain["count"]
    assert [r["id"] for r in filtered["result"]] == [r["id"] for r in plain["result"]]


async def test_filter_by_listing_and_channel(api: httpx.AsyncClient, shared: Sandbox) -> None:
    listing_id = shared.store.listings[0]["id"]
    rows = await get_all(api, "/reservations", listingId=listing_id, channelId=2018)
    expected = [
        r
        for r in shared.store.reservations
        if r["listingMapId"] == listing_id and r["channelId"] == 2018
    ]
    assert rows
    assert len(rows) == len(expected)
    assert all(r["channelName"] == "airbnbOfficial" for r in rows)


async def test_match_is_a_case_insensitive_guest_name_search(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    name = next(r["guestName"] for r in shared.store.reservations if r["status"] == "new")
    last_name = name.split(" ")[-1]
    rows = await get_all(api, "/reservations", match=last_name.upper())
    assert rows
    assert all(last_name.lower() in r["guestName"].lower() for r in rows)


async def test_guest_email_is_exact_and_case_insensitive(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    repeat = {}
    for reservation in shared.store.reservations:
        if reservation["guestEmail"]:
            repeat.setdefault(reservation["guestEmail"], []).append(reservation["id"])
    email, ids = max(repeat.items(), key=lambda item: len(item[1]))
    assert len(ids) >= 2, "some guests return"
    rows = await get_all(api, "/reservations", guestEmail=email.upper())
    assert sorted(r["id"] for r in rows) == sorted(ids)
    partial = await get_all(api, "/reservations", guestEmail=email[:-4])
    assert partial == []


async def test_arrival_and_departure_ranges_are_inclusive(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    start, end = TODAY.isoformat(), (TODAY + timedelta(days=3)).isoformat()
    arrivals = await get_all(api, "/reservations", arrivalStartDate=start, arrivalEndDate=end)
    expected = [r for r in shared.store.reservations if start <= r["arrivalDate"] <= end]
    assert sorted(r["id"] for r in arrivals) == sorted(r["id"] for r in expected)
    assert any(r["arrivalDate"] == start for r in arrivals)
    departures = await get_all(
        api, "/reservations", departureStartDate=start, departureEndDate=start
    )
    assert departures
    assert all(r["departureDate"] == start for r in departures)


async def test_has_unread_conversation_messages(api: httpx.AsyncClient, shared: Sandbox) -> None:
    rows = await get_all(api, "/reservations", hasUnreadConversationMessages=1)
    unread = {c["reservationId"] for c in shared.store.conversations if c["hasUnreadMessages"] == 1}
    assert rows
    assert {r["id"] for r in rows} == unread


async def test_single_reservation_and_list_item_agree(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    reservation = shared.store.reservations[10]
    single = (await api.get(f"/reservations/{reservation['id']}")).json()["result"]
    assert single == reservation
    listed = (await api.get("/reservations", params={"limit": 1})).json()["result"][0]
    assert listed["hostProxyEmail"] is None  # only with includeResources=1 in lists
    with_resources = (
        await api.get("/reservations", params={"limit": 1, "includeResources": 1})
    ).json()["result"][0]
    assert with_resources["hostProxyEmail"]
