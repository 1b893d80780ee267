"""show_calendar through the in-memory MCP client against the demo sandbox. Each window is chosen
from the sandbox's own data (a hand block, an owner stay, a long stay over both edges, an orphan
gap), and every row is checked whole against the sandbox's raw reservations and calendar days."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from mcp import Client

from hostaway_mcp.hostaway import channel_label
from hostaway_sandbox import Sandbox
from tests.support.accounts import DEMO_TODAY as TODAY
from tests.support.accounts import demo_account
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio

D = date.fromisoformat
BLOCKING = {"new", "modified", "ownerStay"}
CONFIRMED = {"new", "modified"}


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return demo_account()


async def show(sandbox: Sandbox, **args: Any) -> dict[str, Any]:
    async with Client(sandbox_server(sandbox)) as client:
        result = await client.call_tool("show_calendar", args)
    assert not result.is_error, result.content[0].text
    data: dict[str, Any] = result.structured_content  # type: ignore[assignment]
    return data


def nights(start: date, end: date) -> Iterator[date]:
    for offset in range((end - start).days):
        yield start + timedelta(days=offset)


def raw_reservations(sandbox: Sandbox, listing_id: int) -> list[dict[str, Any]]:
    rows = [r for r in sandbox.store.reservations if r["listingMapId"] == listing_id]
    return sorted(rows, key=lambda r: (r["arrivalDate"], r["id"]))


def expected_row(sandbox: Sandbox, listing_id: int, start: date, end: date) -> dict[str, Any]:
    """The row as the sandbox's raw data says it should be (an oracle written out plainly)."""
    rows = raw_reservations(sandbox, listing_id)
    inside = [r for r in rows if D(r["arrivalDate"]) < end and D(r["departureDate"]) > start]
    covered = {
        night
        for r in rows
        if r["status"] in BLOCKING
        for night in nights(D(r["arrivalDate"]), D(r["departureDate"]))
    }
    closed = [
        night
        for night in nights(start, end)
        if sandbox.store.calendar_day(listing_id, night)["isAvailable"] == 0
        and night not in covered
    ]
    blocking = [r for r in rows if r["status"] in BLOCKING]
    gaps = []
    for before, after in pairwise(blocking):
        first, stop = D(before["departureDate"]), D(after["arrivalDate"])
        free = list(nights(first, stop))
        if (
            0 < len(free) <= 3
            and start <= first
            and stop <= end
            and all(sandbox.store.calendar_day(listing_id, n)["isAvailable"] == 1 for n in free)
        ):
            gaps.append({"start_date": str(first), "end_date": str(stop), "nights": len(free)})
    listing = sandbox.store.listing(listing_id)
    return {
        "id": listing_id,
        "name": listing["name"],
        "city": listing["city"],
        "stays": [
            {
                "reservation_id": r["id"],
                "untrusted": {"guest_name": r["guestName"]},
                "channel": channel_label(r["channelId"], r.get("channelName")),
                "status": r["status"],
                "arrival_date": r["arrivalDate"],
                "departure_date": r["departureDate"],
            }
            for r in inside
            if r["status"] in CONFIRMED  # the demo data has no pending holds
        ],
        "owner_stays": [
            {
                "reservation_id": r["id"],
                "arrival_date": r["arrivalDate"],
                "departure_date": r["departureDate"],
            }
            for r in inside
            if r["status"] == "ownerStay"
        ],
        "blocked": runs(closed),
        "gaps": gaps,
    }


def runs(days: list[date]) -> list[dict[str, Any]]:
    found: list[list[date]] = []
    for night in sorted(days):
        if found and found[-1][1] == night:
            found[-1][1] = night + timedelta(days=1)
        else:
            found.append([night, night + timedelta(days=1)])
    return [{"start_date": str(a), "end_date": str(b), "nights": (b - a).days} for a, b in found]


async def check_window(sandbox: Sandbox, listing_id: int, start: date, days: int) -> dict[str, Any]:
    data = await show(sandbox, start_date=str(start), days=days, listing_ids=[listing_id])
    end = start + timedelta(days=days)
    assert (data["start_date"], data["end_date"], data["days"]) == (str(start), str(end), days)
    assert (data["listings_total"], data["truncated"]) == (1, False)
    [row] = data["listings"]
    assert row == expected_row(sandbox, listing_id, start, end)
    return row


# ---- chosen windows -----------------------------------------------------------------------------


async def test_a_hand_block_is_one_run_of_its_nights(sandbox: Sandbox) -> None:
    listing_id, night = next(
        (listing["id"], TODAY + timedelta(days=offset))
        for offset in range(1, 120)
        for listing in sandbox.store.listings
        if sandbox.store.calendar_day(listing["id"], TODAY + timedelta(days=offset))["status"]
        == "blocked"
    )
    row = await check_window(sandbox, listing_id, night - timedelta(days=5), 21)
    assert any(D(run["start_date"]) <= night < D(run["end_date"]) for run in row["blocked"]), row[
        "blocked"
    ]


async def test_an_owner_stay_is_shaded_apart_with_its_real_dates(sandbox: Sandbox) -> None:
    owner = next(
        r
        for r in sorted(sandbox.store.reservations, key=lambda r: r["arrivalDate"])
        if r["status"] == "ownerStay" and D(r["arrivalDate"]) > TODAY
    )
    start = D(owner["arrivalDate"]) + timedelta(days=1)  # it began before the window
    row = await check_window(sandbox, owner["listingMapId"], start, 14)
    assert {
        "reservation_id": owner["id"],
        "arrival_date": owner["arrivalDate"],
        "departure_date": owner["departureDate"],
    } in row["owner_stays"]
    assert owner["id"] not in [stay["reservation_id"] for stay in row["stays"]]


async def test_a_stay_over_both_edges_keeps_its_real_dates(sandbox: Sandbox) -> None:
    long_stay = next(
        r
        for r in sorted(sandbox.store.reservations, key=lambda r: r["arrivalDate"])
        if r["status"] in CONFIRMED
        and D(r["arrivalDate"]) > TODAY
        and (D(r["departureDate"]) - D(r["arrivalDate"])).days >= 5
    )
    arrival, departure = D(long_stay["arrivalDate"]), D(long_stay["departureDate"])
    start, days = arrival + timedelta(days=1), (departure - arrival).days - 2
    row = await check_window(sandbox, long_stay["listingMapId"], start, days)
    [stay] = row["stays"]  # the window lies inside it
    assert (stay["reservation_id"], stay["arrival_date"], stay["departure_date"]) == (
        long_stay["id"],
        long_stay["arrivalDate"],
        long_stay["departureDate"],
    )
    assert D(stay["arrival_date"]) < start and D(stay["departure_date"]) > start + timedelta(days)
    assert row["gaps"] == [] and row["blocked"] == []


async def test_an_orphan_gap_between_two_stays(sandbox: Sandbox) -> None:
    def candidates() -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
        for listing in sandbox.store.listings:
            blocking = [
                r for r in raw_reservations(sandbox, listing["id"]) if r["status"] in BLOCKING
            ]
            for before, after in pairwise(blocking):
                free = (D(after["arrivalDate"]) - D(before["departureDate"])).days
                if D(before["arrivalDate"]) > TODAY and 1 <= free <= 3:
                    yield listing["id"], before, after

    listing_id, before, after = next(candidates())
    start = D(before["arrivalDate"]) - timedelta(days=2)
    row = await check_window(sandbox, listing_id, start, 20)
    gap = {
        "start_date": before["departureDate"],
        "end_date": after["arrivalDate"],
        "nights": (D(after["arrivalDate"]) - D(before["departureDate"])).days,
    }
    assert gap in row["gaps"]


@pytest.mark.parametrize("offset", [0, 30, 45])
async def test_every_row_of_the_portfolio_matches_the_sandbox(
    sandbox: Sandbox, offset: int
) -> None:
    start = TODAY + timedelta(days=offset)
    async with Client(sandbox_server(sandbox, max_result_chars=1_000_000)) as client:
        result = await client.call_tool("show_calendar", {"start_date": str(start), "days": 31})
    data = result.structured_content
    assert data is not None
    active = [listing for listing in sandbox.store.listings if not listing.get("specialStatus")]
    assert data["listings_total"] == len(active) == len(data["listings"])
    assert [row["name"] for row in data["listings"]] == sorted(
        (listing["name"] for listing in active), key=str.lower
    )
    end = start + timedelta(days=31)
    for row in data["listings"]:
        assert row == expected_row(sandbox, row["id"], start, end)
    # Over the whole portfolio every kind of mark appears at least once.
    assert all(any(row[kind] for row in data["listings"]) for kind in ("stays", "blocked", "gaps"))


# ---- arguments, defaults, budget ----------------------------------------------------------------


async def test_defaults_are_two_weeks_from_today_for_every_property(sandbox: Sandbox) -> None:
    data = await show(sandbox)
    assert data["days"] == 14
    # Today where the listings are (Lisbon, Porto, London, Austin, Miami): at most a day apart.
    assert abs((D(data["today"]) - TODAY).days) <= 1
    assert data["start_date"] == data["today"]
    assert data["listings_total"] == len(sandbox.store.listings) == len(data["listings"])


async def test_city_and_listing_ids(sandbox: Sandbox) -> None:
    porto = [listing["id"] for listing in sandbox.store.listings if listing["city"] == "Porto"]
    lisbon = [listing["id"] for listing in sandbox.store.listings if listing["city"] == "Lisbon"]
    data = await show(sandbox, city="Porto")
    assert sorted(row["id"] for row in data["listings"]) == sorted(porto)
    assert {row["city"] for row in data["listings"]} == {"Porto"}
    asked = [lisbon[1], porto[0], lisbon[0]]
    data = await show(sandbox, listing_ids=asked)
    assert [row["id"] for row in data["listings"]] == asked  # in the order asked
    data = await show(sandbox, listing_ids=asked, city="Lisbon")
    assert [row["id"] for row in data["listings"]] == [lisbon[1], lisbon[0]]
    assert data["listings_total"] == 2


async def test_one_listing_is_filtered_upstream(sandbox: Sandbox) -> None:
    listing_id = sandbox.store.listings[0]["id"]
    before = len(sandbox.request_log)
    await show(sandbox, listing_ids=[listing_id])
    scans = [r for r in sandbox.request_log[before:] if r.path.endswith("/reservations")]
    assert scans
    assert all(r.query.get("listingId") == [str(listing_id)] for r in scans)


async def test_the_budget_cuts_listings_and_their_calendars_are_not_read(
    sandbox: Sandbox,
) -> None:
    before = sandbox.count("GET", "/listings/*")
    async with Client(sandbox_server(sandbox, max_result_chars=6000)) as client:
        result = await client.call_tool("show_calendar", {"days": 62})
    data = result.structured_content
    assert data is not None
    assert data["truncated"] is True
    assert data["listings_total"] == len(sandbox.store.listings)
    shown = len(data["listings"])
    assert 1 <= shown < data["listings_total"]
    assert len(json.dumps(data, ensure_ascii=False)) <= 6000
    calendars = sandbox.count("GET", "/listings/*") - before
    assert shown <= calendars < data["listings_total"]


async def test_text_is_the_same_answer_in_compact_json(sandbox: Sandbox) -> None:
    async with Client(sandbox_server(sandbox)) as client:
        result = await client.call_tool("show_calendar", {"days": 7})
    text = result.content[0].text  # type: ignore[union-attr]
    assert ": " not in text.replace('": "', "")  # no padding between tokens
    structured = result.structured_content
    assert structured is not None
    assert json.loads(text) == drop_nulls(structured)


def drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(item) for item in value]
    return value


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ({"days": 0}, "days"),
        ({"days": 63}, "days"),
        ({"start_date": "12/01/2026"}, "start_date"),
        ({"listing_ids": [0]}, "listing_ids"),
    ],
)
async def test_bad_arguments_are_refused(
    sandbox: Sandbox, args: dict[str, Any], words: str
) -> None:
    async with Client(sandbox_server(sandbox)) as client:
        result = await client.call_tool("show_calendar", args)
    assert result.is_error
    assert words in result.content[0].text  # type: ignore[union-attr]


async def test_an_unknown_listing_is_a_clear_error(sandbox: Sandbox) -> None:
    async with Client(sandbox_server(sandbox)) as client:
        result = await client.call_tool("show_calendar", {"listing_ids": [99999]})
    assert result.is_error
    assert "99999" in result.content[0].text  # type: ignore[union-attr]


async def test_progress_per_page_and_calendar_and_a_second_call_reads_only_reservations(
    sandbox: Sandbox,
) -> None:
    updates: list[tuple[float, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        updates.append((done, message))

    args = {"start_date": str(TODAY + timedelta(days=3)), "days": 10, "city": "Lisbon"}
    lisbon = sum(1 for listing in sandbox.store.listings if listing["city"] == "Lisbon")
    async with Client(sandbox_server(sandbox)) as client:
        first = await client.call_tool("show_calendar", args, progress_callback=on_progress)
        before = (sandbox.count("GET", "/listings*"), sandbox.count("GET", "/reservations"))
        second = await client.call_tool("show_calendar", args)
        after = (sandbox.count("GET", "/listings*"), sandbox.count("GET", "/reservations"))
    assert first.structured_content == second.structured_content
    assert after[0] == before[0]  # listings and calendars come from the cache
    assert after[1] > before[1]  # reservations are read again
    values = [done for done, _ in updates]
    assert values == sorted(set(values))  # strictly increasing
    calendars = [message for _, message in updates if message and "calendar" in message]
    assert len(calendars) == lisbon
    assert calendars[-1] == f"read calendar {lisbon} of {lisbon}"
