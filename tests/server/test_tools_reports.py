"""Report tools through the in-memory MCP client against the seeded sandbox account; the finance
tests that check the official example payloads get them verbatim from a scripted upstream.

The June 2026 portfolio (`june()` below), hand-computed:
- 40160 (USD): 201 600 (3 of 5 nights), 202 modified 400 (2), 203 300 (3), 211 450 (3)
  -> 1750 over 11 nights; manual block Jun 20; orphan gaps Jun 12-13 and Jun 29-30 (the latter
  closed by 208, which arrives on end_date).
- 40161 (EUR): 210 200 (2), 204 300 (3 of 5); 205 cancelled -> 500 over 5 nights; gap Jun 26-27.
- 40162 (EUR): owner stay Jun 20-24 (5 nights); an inquiry that counts nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import parse_qs

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import listings, seeded
from tests.support.records import example, reservation
from tests.support.scripted import Scripted, paged
from tests.support.servers import sandbox_server, scripted_server

pytestmark = pytest.mark.anyio

D = date.fromisoformat
JUNE = {"start_date": "2026-06-01", "end_date": "2026-07-01"}
CONSOLIDATED = "/finance/report/consolidated"
LISTINGS = ("GET", "/listings")
# Listings in one currency: Hostaway's report is then asked for once (one request per currency).
EUR_LISTINGS = {"listing_ids": [40161, 40162]}


async def call(
    sandbox: Sandbox, name: str, args: dict[str, Any] | None = None, **settings: Any
) -> Any:
    async with Client(sandbox_server(sandbox, **settings)) as client:
        return await client.call_tool(name, args or {})


def stay(rid: int, listing_id: int, arrival: str, departure: str, **changes: Any) -> dict[str, Any]:
    return reservation(
        rid,
        listingMapId=listing_id,
        arrivalDate=arrival,
        departureDate=departure,
        reservationDate="2026-05-01 09:00:00",
        **changes,
    )


def june_reservations() -> list[dict[str, Any]]:
    """40160 USD, 40161 EUR, 40162 EUR (the seeded listings)."""
    usd = {"currency": "USD", "status": "new"}
    eur = {"currency": "EUR", "status": "new"}
    return [
        # 5 nights, 3 in June: 1000 x 3/5 = 600
        stay(201, 40160, "2026-05-30", "2026-06-04", totalPrice=1000, channelId=2018, **usd),
        stay(202, 40160, "2026-06-10", "2026-06-12", totalPrice=400, channelId=2005, **usd)
        | {"status": "modified"},
        stay(203, 40160, "2026-06-14", "2026-06-17", totalPrice=300, channelId=2000, **usd),
        stay(211, 40160, "2026-06-26", "2026-06-29", totalPrice=450, channelId=2000, **usd),
        # arrives on end_date: no June night, but it closes the Jun 29-30 orphan gap
        stay(208, 40160, "2026-07-01", "2026-07-03", totalPrice=500, channelId=2018, **usd),
        stay(209, 40160, "2026-04-01", "2026-04-05", totalPrice=800, channelId=2018, **usd),
        stay(210, 40161, "2026-06-24", "2026-06-26", totalPrice=200, channelId=2005, **eur),
        # 5 nights, 3 in June: 500 x 3/5 = 300
        stay(204, 40161, "2026-06-28", "2026-07-03", totalPrice=500, channelId=2001, **eur),
        stay(205, 40161, "2026-06-05", "2026-06-08", totalPrice=600, channelId=2000, **eur)
        | {"status": "cancelled"},
        stay(206, 40162, "2026-06-20", "2026-06-25", totalPrice=0, channelId=2000, **eur)
        | {"status": "ownerStay"},
        stay(207, 40162, "2026-06-01", "2026-06-03", totalPrice=999, channelId=2000, **eur)
        | {"status": "inquiry"},
    ]


def june(rows: list[dict[str, Any]] | None = None) -> Sandbox:
    """The June portfolio: its bookings hold their nights (new, modified and the owner stay);
    40160 also has a manual block on Jun 20."""
    sandbox = seeded(reservation_rows=june_reservations() if rows is None else rows)
    sandbox.set_calendar(40160, D("2026-06-20"), isAvailable=0)
    return sandbox


# ---- get_revenue_report ------------------------------------------------------------------------


async def test_revenue_by_listing_prorates_and_keeps_currencies_apart() -> None:
    sandbox = june()
    result = await call(sandbox, "get_revenue_report", JUNE)
    sent = [r.params for r in sandbox.requests("GET", "/reservations")]
    data = result.structured_content
    assert data["currency_totals"] == [
        {
            "currency": "EUR",
            "revenue": 500.0,
            "booked_nights": 5,
            "bookings": 2,
            "adr": 100.0,
            "cancelled_bookings": 1,
            "unpriced_bookings": 0,
        },
        {
            "currency": "USD",
            "revenue": 1750.0,
            "booked_nights": 11,
            "bookings": 4,  # 202 is `modified`: a live booking
            "adr": 159.09,
            "cancelled_bookings": 0,
            "unpriced_bookings": 0,
        },
    ]
    assert [(g["key"], g["label"], g["currency"], g["revenue"]) for g in data["groups"]] == [
        ("40161", "Seaside Loft", "EUR", 500.0),
        ("40162", "Family House", "EUR", 0.0),  # owner stay and inquiry earn nothing
        ("40160", "Beautiful and cozy apartment close to city center", "USD", 1750.0),
    ]
    assert data["statuses_counted"] == ["new", "modified"]
    assert (data["date_basis"], data["start_date"], data["end_date"]) == (
        "stay",
        "2026-06-01",
        "2026-07-01",
    )
    assert len(sent) == 1
    assert sent[0]["departureStartDate"] == "2026-06-01"
    assert sent[0]["arrivalEndDate"] == "2026-06-30"  # the last night
    assert "listingId" not in sent[0]


async def test_revenue_for_one_listing_filters_upstream_by_listing() -> None:
    sandbox = june()
    result = await call(sandbox, "get_revenue_report", {**JUNE, "listing_ids": [40161]})
    sent = sandbox.requests("GET", "/reservations")[0].params
    assert sent["listingId"] == "40161"
    groups = result.structured_content["groups"]
    assert [(g["key"], g["revenue"], g["cancelled_bookings"]) for g in groups] == [
        ("40161", 500.0, 1)
    ]


async def test_revenue_by_channel() -> None:
    sandbox = june()
    result = await call(sandbox, "get_revenue_report", {**JUNE, "group_by": "channel"})
    groups = {(g["key"], g["currency"]): g for g in result.structured_content["groups"]}
    assert {k: g["revenue"] for k, g in groups.items()} == {
        ("airbnb", "EUR"): 300.0,  # channel 2001
        ("booking.com", "EUR"): 200.0,
        ("direct", "EUR"): 0.0,  # only the cancelled 205
        ("airbnb", "USD"): 600.0,  # channel 2018
        ("booking.com", "USD"): 400.0,
        ("direct", "USD"): 750.0,
    }
    assert groups[("direct", "EUR")]["cancelled_bookings"] == 1
    assert groups[("direct", "USD")]["adr"] == 125.0  # 750 / 6


async def test_revenue_by_month_splits_stays_across_months() -> None:
    sandbox = june()
    result = await call(
        sandbox,
        "get_revenue_report",
        {"start_date": "2026-05-15", "end_date": "2026-07-15", "group_by": "month"},
    )
    groups = {(g["key"], g["currency"]): g for g in result.structured_content["groups"]}
    assert {k: g["revenue"] for k, g in groups.items()} == {
        ("2026-05", "EUR"): 0.0,
        ("2026-05", "USD"): 400.0,  # 201: May 30-31 = 2/5 of 1000
        ("2026-06", "EUR"): 500.0,
        ("2026-06", "USD"): 1750.0,
        ("2026-07", "EUR"): 200.0,  # 204: Jul 1-2 = 2/5 of 500
        ("2026-07", "USD"): 500.0,  # 208
    }
    assert groups[("2026-06", "USD")]["label"] == "June 2026"
    assert list(groups)[:2] == [("2026-05", "EUR"), ("2026-05", "USD")]


@pytest.mark.parametrize(
    ("basis", "filters", "usd_revenue"),
    [
        # arrivals in June: 202, 203, 211 whole
        ("arrival", {"arrivalStartDate": "2026-06-01", "arrivalEndDate": "2026-06-30"}, 1150.0),
        # departures in June: 201 (1000), 202, 203, 211
        (
            "departure",
            {"departureStartDate": "2026-06-01", "departureEndDate": "2026-06-30"},
            2150.0,
        ),
    ],
)
async def test_whole_booking_bases_use_the_matching_upstream_filters(
    basis: str, filters: dict[str, str], usd_revenue: float
) -> None:
    sandbox = june()
    result = await call(sandbox, "get_revenue_report", {**JUNE, "date_basis": basis})
    sent = dict(sandbox.requests("GET", "/reservations")[0].params)
    assert {k: v for k, v in sent.items() if k.endswith("Date")} == filters
    usd = next(t for t in result.structured_content["currency_totals"] if t["currency"] == "USD")
    assert usd["revenue"] == usd_revenue


async def test_booked_basis_scans_without_a_date_filter_and_says_so() -> None:
    sandbox = june()
    result = await call(
        sandbox,
        "get_revenue_report",
        {"start_date": "2026-05-01", "end_date": "2026-05-02", "date_basis": "booked"},
    )
    sent = dict(sandbox.requests("GET", "/reservations")[0].params)
    assert not any(k.endswith("Date") for k in sent)
    data = result.structured_content
    usd = next(t for t in data["currency_totals"] if t["currency"] == "USD")
    assert usd["bookings"] == 6  # every USD confirmed booking was made on May 1
    assert any("booked" in note for note in data["notes"])


async def test_null_total_price_is_flagged() -> None:
    rows = june_reservations()
    rows[1]["totalPrice"] = None  # 202
    sandbox = june(rows)
    result = await call(sandbox, "get_revenue_report", {**JUNE, "listing_ids": [40160]})
    data = result.structured_content
    assert data["currency_totals"][0]["revenue"] == 1350.0
    assert data["currency_totals"][0]["booked_nights"] == 11
    assert data["currency_totals"][0]["unpriced_bookings"] == 1
    assert any("202" in note for note in data["notes"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"start_date": "2026-06-10", "end_date": "2026-06-10"}, "exclusive"),
        ({"start_date": "2026-01-01", "end_date": "2027-01-03"}, "at most 366"),
        ({**JUNE, "group_by": "guest"}, "group_by must be one of: listing, channel, month"),
        (
            {**JUNE, "date_basis": "checkin"},
            "date_basis must be one of: stay, arrival, departure, booked",
        ),
        ({**JUNE, "listing_ids": list(range(1, 202))}, "listing_ids takes at most 200 values"),
    ],
)
async def test_revenue_input_is_checked_before_any_request(
    args: dict[str, Any], message: str
) -> None:
    sandbox = seeded()
    result = await call(sandbox, "get_revenue_report", args)
    assert not sandbox.requests("GET", "/reservations")
    assert result.is_error
    assert message in result.content[0].text


async def test_year_long_revenue_pages_in_concurrent_disjoint_slices() -> None:
    year = {"start_date": "2026-01-01", "end_date": "2027-01-01"}
    sandbox = june()
    result = await call(sandbox, "get_revenue_report", year)
    sent = [dict(r.params) for r in sandbox.requests("GET", "/reservations")]

    def by_items(params: dict[str, str]) -> list[tuple[str, str]]:
        return sorted(params.items())

    assert sorted(sent, key=by_items) == sorted(
        [
            {"departureStartDate": "2026-01-01", "arrivalEndDate": "2025-12-31", "limit": "100"},
            {"arrivalStartDate": "2026-01-01", "arrivalEndDate": "2026-04-01", "limit": "100"},
            {"arrivalStartDate": "2026-04-02", "arrivalEndDate": "2026-07-01", "limit": "100"},
            {"arrivalStartDate": "2026-07-02", "arrivalEndDate": "2026-09-30", "limit": "100"},
            {"arrivalStartDate": "2026-10-01", "arrivalEndDate": "2026-12-31", "limit": "100"},
        ],
        key=by_items,
    )
    totals = {t["currency"]: t for t in result.structured_content["currency_totals"]}
    assert (totals["USD"]["revenue"], totals["USD"]["bookings"]) == (3450.0, 6)
    assert (totals["EUR"]["revenue"], totals["EUR"]["cancelled_bookings"]) == (700.0, 1)


# ---- get_occupancy_report ----------------------------------------------------------------------


async def test_occupancy_report_by_definition() -> None:
    sandbox = june()
    result = await call(sandbox, "get_occupancy_report", JUNE)
    sent = sandbox.requests("GET", "/reservations")[0].params
    calendars = sandbox.requests("GET", "/listings/40160/calendar")
    data = result.structured_content
    rows = {row["listing_id"]: row for row in data["listings"]}
    assert rows[40160] == {
        "listing_id": 40160,
        "name": "Beautiful and cozy apartment close to city center",
        "nights_in_period": 30,
        "booked_nights": 11,
        "owner_nights": 0,
        "blocked_nights": 1,  # Jun 20; reserved nights are not "blocked"
        "available_nights": 29,
        "occupancy_rate": 0.3793,  # 11 / 29
        "revenue": 1750.0,
        "adr": 159.09,
        "revpar": 60.34,  # 1750 / 29
        "currency": "USD",
        "gap_nights": [
            {"start_date": "2026-06-12", "end_date": "2026-06-14", "nights": 2},
            {"start_date": "2026-06-29", "end_date": "2026-07-01", "nights": 2},
        ],
        "gap_count": 2,
    }
    assert (data["listings_total"], data["revenue_other_currencies"]) == (3, [])
    assert data["gaps_condensed"] is False
    assert (rows[40161]["booked_nights"], rows[40161]["available_nights"]) == (5, 30)
    assert rows[40161]["occupancy_rate"] == 0.1667
    assert rows[40161]["gap_nights"] == [
        {"start_date": "2026-06-26", "end_date": "2026-06-28", "nights": 2}
    ]
    family = rows[40162]
    assert (family["owner_nights"], family["blocked_nights"], family["available_nights"]) == (
        5,
        0,
        25,
    )
    assert (family["booked_nights"], family["revenue"]) == (0, 0.0) and "adr" not in family
    assert data["portfolio"] == [
        {
            "currency": "EUR",
            "listings": 2,
            "nights_in_period": 60,
            "booked_nights": 5,
            "owner_nights": 5,
            "blocked_nights": 0,
            "available_nights": 55,
            "occupancy_rate": 0.0909,
            "revenue": 500.0,
            "adr": 100.0,
            "revpar": 9.09,
            "gap_night_count": 2,
        },
        {
            "currency": "USD",
            "listings": 1,
            "nights_in_period": 30,
            "booked_nights": 11,
            "owner_nights": 0,
            "blocked_nights": 1,
            "available_nights": 29,
            "occupancy_rate": 0.3793,
            "revenue": 1750.0,
            "adr": 159.09,
            "revpar": 60.34,
            "gap_night_count": 4,
        },
    ]
    assert sent["departureStartDate"] == "2026-06-01"
    assert sent["arrivalEndDate"] == "2026-07-01"  # to see a stay closing a gap on end_date
    assert len(calendars) == 1
    assert calendars[0].params["startDate"] == "2026-06-01"
    assert calendars[0].params["endDate"] == "2026-06-30"


async def test_occupancy_caches_calendars_and_listings_and_reports_progress() -> None:
    updates: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        updates.append((done, total, message))

    sandbox = june()
    sandbox.page_cap = 2
    async with Client(sandbox_server(sandbox)) as client:
        first = await client.call_tool("get_occupancy_report", JUNE, progress_callback=on_progress)
        calendar_calls = sum(
            len(sandbox.requests("GET", f"/listings/{i}/calendar")) for i in (40160, 40161, 40162)
        )
        listing_calls = len(sandbox.requests("GET", "/listings"))
        second = await client.call_tool("get_occupancy_report", JUNE)
        calendar_again = sum(
            len(sandbox.requests("GET", f"/listings/{i}/calendar")) for i in (40160, 40161, 40162)
        )
        listing_again = len(sandbox.requests("GET", "/listings"))
    pages = len(sandbox.requests("GET", "/reservations"))
    assert first.structured_content == second.structured_content
    assert calendar_calls == 3 and listing_calls == 2  # pages of 2
    assert (calendar_again, listing_again) == (3, 2)  # nothing re-read but reservations
    values = [done for done, _, _ in updates]
    assert values == sorted(set(values))  # strictly increasing
    assert len(values) >= 3 + pages // 2  # each calendar and each reservation page


async def test_year_long_occupancy_reads_one_calendar_per_listing() -> None:
    sandbox = june()
    result = await call(
        sandbox,
        "get_occupancy_report",
        {"start_date": "2024-01-01", "end_date": "2025-01-01", "listing_ids": [40160, 40161]},
    )
    calendars = [sandbox.requests("GET", f"/listings/{i}/calendar") for i in (40160, 40161, 40162)]
    rows = result.structured_content["listings"]
    assert [row["nights_in_period"] for row in rows] == [366, 366]  # a leap year
    assert [len(c) for c in calendars] == [1, 1, 0]
    assert calendars[0][0].params["endDate"] == "2024-12-31"


async def test_occupancy_unknown_listing_is_a_clear_error() -> None:
    sandbox = seeded()
    result = await call(sandbox, "get_occupancy_report", {**JUNE, "listing_ids": [99999]})
    assert result.is_error and "list_all_properties" in result.content[0].text


@pytest.mark.parametrize("gap", [0, 31])
async def test_occupancy_gap_bounds(gap: int) -> None:
    sandbox = seeded()
    result = await call(sandbox, "get_occupancy_report", {**JUNE, "gap_max_nights": gap})
    assert not sandbox.requests("GET", "/reservations")
    assert result.is_error


# ---- get_financial_report ----------------------------------------------------------------------


async def test_financial_report_sends_form_data_and_returns_records() -> None:
    upstream = Scripted(
        {
            ("POST", CONSOLIDATED): example("financialReporting_reportConsolidated"),
            LISTINGS: paged(listings()),  # the report is asked once per currency of listings
        }
    )
    async with Client(scripted_server(upstream)) as client:
        result = await client.call_tool(
            "get_financial_report",
            {
                **JUNE,
                **EUR_LISTINGS,
                "date_type": "departureDate",
                "channel_ids": [2005],
                "statuses": ["new", "modified"],
            },
        )
    posts = upstream.calls("POST", CONSOLIDATED)
    assert len(posts) == 1
    assert posts[0].headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(posts[0].content.decode()) == {
        "fromDate": ["2026-06-01"],
        "toDate": ["2026-06-30"],  # Hostaway's inclusive end
        "dateType": ["departureDate"],
        "format": ["json"],
        "listingMapIds[]": ["40161", "40162"],
        "channelIds[]": ["2005"],
        "statuses[]": ["new", "modified"],
    }
    data = result.structured_content
    assert (data["currency"], data["row_count"], data["to_date"]) == ("RUB", 2, "2026-06-30")
    first = data["rows"][0]
    assert first["id"] == 755143 and first["status"] == "cancelled"
    assert first["pmCommission"] == 420.6
    assert "hotelTax" in data["empty_columns"] and "hotelTax" not in first
    assert data["totals"]["totalTax"] == 1354.25  # rounded at the output
    assert "id" not in data["totals"]
    assert {"name": "ownerPayout", "title": "Owner payout", "value_type": "money"} in data[
        "columns"
    ]


async def test_financial_report_not_enabled_points_to_the_revenue_report() -> None:
    sandbox = seeded()
    sandbox.finance_enabled = False  # HTTP 403, as for accounts without financial reporting
    refused = await call(sandbox, "get_financial_report", JUNE)
    sandbox.faults.inject(CONSOLIDATED, "fail", message="Feature is not enabled")  # HTTP 200
    failed = await call(sandbox, "get_financial_report", JUNE)
    assert refused.is_error and "get_revenue_report" in refused.content[0].text
    assert failed.is_error and "get_revenue_report" in failed.content[0].text
    assert "Feature is not enabled" in failed.content[0].text


async def test_financial_report_is_retried_because_it_creates_nothing() -> None:
    sandbox = june()
    sandbox.faults.inject(CONSOLIDATED, "status", status=503)
    result = await call(sandbox, "get_financial_report", {**JUNE, **EUR_LISTINGS})
    posts = sandbox.requests("POST", CONSOLIDATED)
    assert not result.is_error
    assert len(posts) == 2


async def test_financial_report_rows_are_cut_at_record_boundaries() -> None:
    report = example("financialReporting_reportConsolidated")
    table = report["result"]
    table["rows"] = [list(table["rows"][i % 2]) for i in range(60)]
    async with Client(
        scripted_server(
            Scripted({("POST", CONSOLIDATED): report, LISTINGS: paged(listings())}),
            max_result_chars=8000,
        )
    ) as client:
        result = await client.call_tool("get_financial_report", {**JUNE, **EUR_LISTINGS})
    data = result.structured_content
    assert data["truncated"] is True
    assert data["row_count"] == 60
    assert 0 < len(data["rows"]) < 60
    assert data["totals"]["ownerPayout"] == 372366.25  # totals survive the cut


# ---- owner statements --------------------------------------------------------------------------


async def test_owner_statements_list_and_compact_detail() -> None:
    upstream = Scripted(
        {
            ("GET", "/ownerStatements"): example("ownerStatement_retrieveList"),
            ("GET", "/ownerStatement/1"): example("ownerStatement_retrieve"),
            LISTINGS: paged(listings()),
        }
    )
    async with Client(scripted_server(upstream)) as client:
        listed = await client.call_tool("list_owner_statements", {})
        detail = await client.call_tool("get_owner_statement", {"statement_id": 1})
    paths = [request.url.path for request in upstream.requests]
    assert listed.structured_content["statements"] == [
        {"id": 1, "name": "statement-test-1"},
        {"id": 1, "name": "statement-test-2"},
    ]
    assert "/v1/ownerStatement/1" in paths  # singular
    data = detail.structured_content
    assert data["name"] == "owner-statement-test-1"
    assert (data["period_from"], data["period_to"]) == ("2021-03-01", "2021-03-19")
    assert data["listing_ids"] == [40269, 40270]
    assert data["summary"][0] == {"name": "ownerPayout", "total": 37681.75}
    assert data["grand_total"] == 17643.55
    assert data["expenses_total"] == 126.75
    assert data["formula_totals"][1] == {"name": "pmCommission", "total": 17516.8}
    assert data["row_count"] == 0
    assert len(detail.content[0].text) < 2000  # compact: no raw JSON blobs


async def test_unknown_owner_statement_points_to_the_list() -> None:
    sandbox = seeded()
    result = await call(sandbox, "get_owner_statement", {"statement_id": 77})
    assert result.is_error and "list_owner_statements" in result.content[0].text


async def test_occupancy_booking_in_another_currency_is_listed_apart() -> None:
    rows = june_reservations()
    rows[6]["currency"] = "USD"  # 210 at the EUR Seaside Loft
    sandbox = june(rows)
    result = await call(sandbox, "get_occupancy_report", {**JUNE, "listing_ids": [40161]})
    data = result.structured_content
    row = data["listings"][0]
    assert (row["currency"], row["revenue"], row["booked_nights"]) == ("EUR", 300.0, 5)
    assert data["revenue_other_currencies"] == [
        {"listing_id": 40161, "currency": "USD", "revenue": 200.0}
    ]


async def test_occupancy_listings_are_cut_but_the_portfolio_stays_whole() -> None:
    sandbox = june()
    result = await call(sandbox, "get_occupancy_report", JUNE, max_result_chars=1400)
    data = result.structured_content
    assert data["truncated"] is True
    assert data["listings_total"] == 3 and 0 < len(data["listings"]) < 3
    assert sum(p["listings"] for p in data["portfolio"]) == 3
