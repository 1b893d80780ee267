"""Report arithmetic (hostaway_mcp.domain.analytics) against hand-computed tables.

Bookings are built from the official reservation example (real field names, mapped by
Reservation.from_api); only ids, dates, statuses, prices and currencies vary.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

import pytest

from hostaway_mcp.domain.analytics import Tally, month_label, months_of, revenue_summary
from hostaway_mcp.domain.models.reports import CurrencyTotals, ListingOccupancy, PortfolioOccupancy
from hostaway_mcp.domain.occupancy import (
    Gap,
    closed_nights,
    listing_occupancy,
    orphan_gaps,
    portfolio_totals,
)
from hostaway_mcp.hostaway.entities import CalendarDay, Listing, Reservation, Stay
from tests.support.records import calendar_day, listing, reservation

D = date.fromisoformat
JUNE = (D("2026-06-01"), D("2026-07-01"))  # 30 nights


def booking(
    rid: int,
    arrival: str,
    departure: str,
    status: str = "new",
    price: float | None = 100,
    currency: str | None = "USD",
    listing_id: int = 1,
    **changes: Any,
) -> Stay:
    raw = reservation(
        rid,
        arrivalDate=arrival,
        departureDate=departure,
        status=status,
        totalPrice=price,
        currency=currency,
        listingMapId=listing_id,
        **changes,
    )
    return Stay.of(Reservation.from_api(raw))


def home(listing_id: int = 1, currency: str | None = "USD", name: str = "Home") -> Listing:
    return Listing.from_api(listing(listing_id, currencyCode=currency, name=name))


def calendar(first: str, last: str, unavailable: Collection[str] = ()) -> dict[date, CalendarDay]:
    """Days first..last inclusive; the listed days are not available."""
    days: dict[date, CalendarDay] = {}
    for day in months_and_days(D(first), D(last)):
        raw = calendar_day(day, isAvailable=0 if day.isoformat() in unavailable else 1)
        parsed = CalendarDay.from_api(raw)
        assert parsed is not None
        days[day] = parsed
    return days


def months_and_days(first: date, last: date) -> list[date]:
    return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]


def totals(tally: Tally, currency: str = "USD") -> dict[str, Any]:
    return CurrencyTotals.of(currency, tally).model_dump()


# ---- revenue: the June mix ---------------------------------------------------------------------

JUNE_MIX = [
    booking(1, "2026-05-29", "2026-06-03", price=500),  # 5 nights, 2 inside -> 200
    booking(2, "2026-06-28", "2026-07-02", status="modified", price=1000),  # 3 of 4 -> 750
    booking(3, "2026-06-10", "2026-06-13", price=300.5, currency="EUR"),  # whole -> 300.5 EUR
    booking(4, "2026-06-15", "2026-06-18", status="cancelled", price=900),  # cancelled
    booking(5, "2026-06-05", "2026-06-07", status="inquiry", price=400),
    booking(6, "2026-06-05", "2026-06-07", status="declined", price=400),
    booking(7, "2026-06-05", "2026-06-07", status="expired", price=400),
    booking(8, "2026-06-23", "2026-06-26", status="ownerStay", price=0),
    booking(9, "2026-06-20", "2026-06-22", price=None),  # no totalPrice: nights count, 0 revenue
    booking(10, "2026-05-25", "2026-06-01", price=700),  # leaves on start_date: no night inside
    booking(11, "2026-07-01", "2026-07-03", price=200),  # arrives on end_date: outside
]


def test_stay_basis_prorates_at_the_window_edges_and_keeps_currencies_apart() -> None:
    summary = revenue_summary(JUNE_MIX, *JUNE, basis="stay", group_by="listing")
    assert set(summary.by_currency) == {"USD", "EUR"}
    assert totals(summary.by_currency["USD"]) == {
        "currency": "USD",
        "revenue": 950.0,  # 200 + 750 + 0
        "booked_nights": 7,  # 2 + 3 + 2
        "bookings": 3,  # 1, 2 (modified counts as confirmed), 9
        "adr": 135.71,  # 950 / 7
        "cancelled_bookings": 1,
        "unpriced_bookings": 1,
    }
    assert totals(summary.by_currency["EUR"], "EUR") == {
        "currency": "EUR",
        "revenue": 300.5,
        "booked_nights": 3,
        "bookings": 1,
        "adr": 100.17,  # 300.5 / 3
        "cancelled_bookings": 0,
        "unpriced_bookings": 0,
    }


@pytest.mark.parametrize(
    ("basis", "usd_revenue", "usd_nights", "usd_ids", "cancelled"),
    [
        # arrival in June: 2 (1000, 4 nights), 9 (null, 2 nights); 4 is cancelled
        ("arrival", 1000.0, 6, {2, 9}, 1),
        # departure in June: 1 (500, 5), 9 (null, 2), 10 (700, 7); 4 is cancelled
        ("departure", 1200.0, 14, {1, 9, 10}, 1),
    ],
)
def test_arrival_and_departure_bases_count_whole_bookings(
    basis: Any, usd_revenue: float, usd_nights: int, usd_ids: set[int], cancelled: int
) -> None:
    usd = revenue_summary(JUNE_MIX, *JUNE, basis=basis).by_currency["USD"]
    assert round(usd.revenue, 2) == usd_revenue
    assert usd.booked_nights == usd_nights
    assert usd.bookings == usd_ids
    assert len(usd.cancelled) == cancelled


def test_booked_basis_uses_the_reservation_date_part() -> None:
    rows = [
        booking(1, "2026-08-01", "2026-08-05", price=400, reservationDate="2026-06-30 23:59:59"),
        booking(2, "2026-06-10", "2026-06-12", price=150, reservationDate="2026-05-31 23:00:00"),
        booking(3, "2026-09-01", "2026-09-02", price=90, reservationDate="2026-07-01 00:00:00"),
    ]
    usd = revenue_summary(rows, *JUNE, basis="booked").by_currency["USD"]
    assert usd.bookings == {1}
    assert usd.revenue == 400
    assert usd.booked_nights == 4


def test_stay_split_across_months_rounds_only_at_the_output() -> None:
    # 100 over 3 nights: Jan 30 and 31 (2/3) and Feb 1 (1/3).
    rows = [booking(1, "2026-01-30", "2026-02-02", price=100)]
    summary = revenue_summary(rows, D("2026-01-01"), D("2026-03-01"), group_by="month")
    jan, feb = summary.groups[("2026-01", "USD")], summary.groups[("2026-02", "USD")]
    assert (jan.booked_nights, feb.booked_nights) == (2, 1)
    assert (round(jan.revenue, 2), round(feb.revenue, 2)) == (66.67, 33.33)
    assert jan.bookings == feb.bookings == {1}
    assert summary.by_currency["USD"].revenue == pytest.approx(100)


def test_full_precision_while_summing() -> None:
    # Three bookings of 100 over 3 nights, one night each inside: 3 x 33.333... = 100.00, where
    # rounding each share first would give 99.99.
    rows = [booking(i, "2026-05-31", "2026-06-03", price=100) for i in (1, 2, 3)]
    summary = revenue_summary(rows, D("2026-06-02"), D("2026-06-03"))
    assert totals(summary.by_currency["USD"])["revenue"] == 100.0


def test_window_cuts_both_ends_of_one_long_stay() -> None:
    # 10 nights Jun 1-11 for 1000; window Jun 3-6 holds 3 nights -> 300.
    rows = [booking(1, "2026-06-01", "2026-06-11", price=1000)]
    usd = revenue_summary(rows, D("2026-06-03"), D("2026-06-06")).by_currency["USD"]
    assert (usd.revenue, usd.booked_nights) == (300.0, 3)


def test_channel_groups_join_airbnb_ids_and_never_mix_currencies() -> None:
    rows = [
        booking(1, "2026-06-01", "2026-06-03", price=200, channelId=2018),
        booking(2, "2026-06-05", "2026-06-06", price=80, channelId=2001),
        booking(3, "2026-06-07", "2026-06-09", price=300, channelId=2005, currency="EUR"),
        booking(4, "2026-06-10", "2026-06-12", price=120, channelId=2005),
        booking(5, "2026-06-12", "2026-06-14", status="cancelled", channelId=2005),
    ]
    groups = revenue_summary(rows, *JUNE, group_by="channel").groups
    assert {k: (round(t.revenue, 2), t.booked_nights) for k, t in groups.items()} == {
        ("airbnb", "USD"): (280.0, 3),
        ("booking.com", "EUR"): (300.0, 2),
        ("booking.com", "USD"): (120.0, 2),
    }
    assert len(groups[("booking.com", "USD")].cancelled) == 1


def test_listing_currency_fills_a_missing_reservation_currency() -> None:
    rows = [booking(1, "2026-06-01", "2026-06-03", currency=None, listing_id=7)]
    summary = revenue_summary(rows, *JUNE, listing_currency={7: "GBP"})
    assert set(summary.by_currency) == {"GBP"}
    assert ("7", "GBP") in summary.groups


def test_duplicate_rows_count_once() -> None:
    rows = [booking(1, "2026-06-01", "2026-06-03", price=200)] * 2
    assert revenue_summary(rows, *JUNE).by_currency["USD"].revenue == 200


def test_months_of_a_period() -> None:
    assert months_of(D("2025-12-15"), D("2026-02-01")) == ["2025-12", "2026-01"]
    assert months_of(D("2026-01-31"), D("2026-02-02")) == ["2026-01", "2026-02"]
    assert month_label("2026-02") == "February 2026"


# ---- occupancy ----------------------------------------------------------------------------------

# Jun 1-14 (14 nights) at listing 1:
#   10 May 30-Jun 1 (leaves on start)   1 Jun 1-4 new 300     2 Jun 5-7 owner stay
#   3 Jun 9-11 modified 400             4 Jun 11-13 cancelled 6 Jun 14-17 new 600 (1 of 3 inside)
#   Calendar unavailable: 1,2,3 (1) 5,6 (2) 9,10 (3) 12 (manual block) 14 (6)
TWO_WEEKS = (D("2026-06-01"), D("2026-06-15"))
STAYS = [
    booking(10, "2026-05-30", "2026-06-01", price=250),
    booking(1, "2026-06-01", "2026-06-04", price=300),
    booking(2, "2026-06-05", "2026-06-07", status="ownerStay", price=0),
    booking(3, "2026-06-09", "2026-06-11", status="modified", price=400),
    booking(4, "2026-06-11", "2026-06-13", status="cancelled", price=500),
    booking(6, "2026-06-14", "2026-06-17", price=600),
    booking(99, "2026-06-04", "2026-06-05", listing_id=2, price=1000),  # another listing
]
CAL = calendar(
    "2026-06-01",
    "2026-06-14",
    {f"2026-06-{d:02d}" for d in (1, 2, 3, 5, 6, 9, 10, 12, 14)},
)


def test_occupancy_by_definition() -> None:
    row = ListingOccupancy.of(listing_occupancy(home(), closed_nights(CAL), STAYS, *TWO_WEEKS))
    assert [(g.start_date.day, g.end_date.day, g.nights) for g in row.gap_nights] == [
        (4, 5, 1),
        (7, 9, 2),
    ]
    assert row.model_dump(exclude={"gap_nights"}) == {
        "listing_id": 1,
        "name": "Home",
        "nights_in_period": 14,
        "booked_nights": 6,  # 1, 2, 3, 9, 10, 14
        "owner_nights": 2,  # 5, 6
        "blocked_nights": 1,  # 12 (reserved nights are not "blocked")
        "available_nights": 11,  # 14 - 2 - 1
        "occupancy_rate": 0.5455,  # 6 / 11
        "revenue": 900.0,  # 300 + 400 + 600 x 1/3
        "adr": 150.0,  # 900 / 6
        "revpar": 81.82,  # 900 / 11
        "currency": "USD",
        "gap_count": 2,
    }


def test_orphan_gaps_need_a_reservation_on_both_sides() -> None:
    gaps = orphan_gaps(STAYS[:6], closed_nights(CAL), *TWO_WEEKS, max_nights=3)
    # Jun 4 (between 1 and the owner stay) and Jun 7-8; Jun 11-13 holds a calendar block (12).
    assert gaps == [Gap(D("2026-06-04"), D("2026-06-05")), Gap(D("2026-06-07"), D("2026-06-09"))]
    assert orphan_gaps(STAYS[:6], closed_nights(CAL), *TWO_WEEKS, max_nights=1) == [gaps[0]]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-06-01", "2026-06-05", [("2026-06-03", "2026-06-05")]),  # ends on end_date: inside
        ("2026-06-01", "2026-06-04", []),  # would run past end_date
        ("2026-06-04", "2026-06-10", []),  # starts before start_date
        ("2026-06-03", "2026-06-10", [("2026-06-03", "2026-06-05")]),
    ],
)
def test_orphan_gaps_lie_inside_the_period(start: str, end: str, expected: list[Any]) -> None:
    stays = [booking(1, "2026-06-01", "2026-06-03"), booking(2, "2026-06-05", "2026-06-08")]
    gaps = orphan_gaps(stays, set(), D(start), D(end), max_nights=3)
    assert [(g.start.isoformat(), g.end.isoformat()) for g in gaps] == expected


def test_no_orphan_gap_next_to_a_calendar_block_or_with_only_one_neighbour() -> None:
    stays = [booking(1, "2026-06-01", "2026-06-03"), booking(2, "2026-06-05", "2026-06-08")]
    blocked = calendar("2026-06-01", "2026-06-10", {"2026-06-04"})
    assert orphan_gaps(stays, closed_nights(blocked), *TWO_WEEKS, max_nights=3) == []
    assert orphan_gaps(stays[:1], set(), *TWO_WEEKS, max_nights=30) == []
    # Cancelled and inquiry neighbours do not block the calendar: no gap either.
    loose = [
        booking(1, "2026-06-01", "2026-06-03"),
        booking(2, "2026-06-05", "2026-06-08", "cancelled"),
    ]
    assert orphan_gaps(loose, set(), *TWO_WEEKS, max_nights=3) == []


def test_overlapping_and_back_to_back_stays_leave_no_gap() -> None:
    stays = [
        booking(1, "2026-06-01", "2026-06-04"),
        booking(2, "2026-06-03", "2026-06-06"),  # overlaps (double booking)
        booking(3, "2026-06-06", "2026-06-08"),  # back to back
        booking(4, "2026-06-10", "2026-06-12"),
    ]
    assert orphan_gaps(stays, set(), *TWO_WEEKS, max_nights=3) == [
        Gap(D("2026-06-08"), D("2026-06-10"))
    ]
    row = listing_occupancy(home(), set(), stays, *TWO_WEEKS)
    assert row.booked_nights == 9  # Jun 1-7 and 10-11, each night once


def test_fully_blocked_listing_has_null_rates() -> None:
    closed = calendar("2026-06-01", "2026-06-14", {f"2026-06-{d:02d}" for d in range(1, 15)})
    row = ListingOccupancy.of(listing_occupancy(home(), closed_nights(closed), [], *TWO_WEEKS))
    assert (row.blocked_nights, row.available_nights) == (14, 0)
    assert row.occupancy_rate is None and row.revpar is None and row.adr is None
    assert row.revenue == 0.0


def test_owner_stay_reduces_available_nights_and_earns_nothing() -> None:
    stays = [booking(1, "2026-06-01", "2026-06-08", status="ownerStay", price=999)]
    row = listing_occupancy(home(), set(), stays, *TWO_WEEKS)
    assert (row.owner_nights, row.booked_nights, row.available_nights) == (7, 0, 7)
    assert row.revenue == 0 and row.occupancy_rate == 0


def test_booking_in_another_currency_is_reported_apart() -> None:
    stays = [
        booking(1, "2026-06-01", "2026-06-03", price=200),
        booking(2, "2026-06-05", "2026-06-06", price=90, currency="EUR"),
    ]
    row = listing_occupancy(home(), set(), stays, *TWO_WEEKS)
    assert (row.currency, row.revenue, row.adr, row.booked_nights) == ("USD", 200, 100, 3)
    assert row.other_revenue == {"EUR": 90.0}


def test_portfolio_totals_per_currency() -> None:
    usd_a = listing_occupancy(
        home(1), set(), [booking(1, "2026-06-01", "2026-06-08", price=700)], *TWO_WEEKS
    )
    usd_b = listing_occupancy(
        home(2), closed_nights(calendar("2026-06-01", "2026-06-14", {"2026-06-14"})), [], *TWO_WEEKS
    )
    eur = listing_occupancy(
        home(3, "EUR"),
        set(),
        [booking(3, "2026-06-01", "2026-06-03", price=500, currency="EUR", listing_id=3)],
        *TWO_WEEKS,
    )
    portfolio = [
        PortfolioOccupancy.of(t).model_dump() for t in portfolio_totals([usd_a, usd_b, eur])
    ]
    assert portfolio == [
        {
            "currency": "EUR",
            "listings": 1,
            "nights_in_period": 14,
            "booked_nights": 2,
            "owner_nights": 0,
            "blocked_nights": 0,
            "available_nights": 14,
            "occupancy_rate": 0.1429,  # 2 / 14
            "revenue": 500.0,
            "adr": 250.0,
            "revpar": 35.71,  # 500 / 14
            "gap_night_count": 0,
        },
        {
            "currency": "USD",
            "listings": 2,
            "nights_in_period": 28,
            "booked_nights": 7,
            "owner_nights": 0,
            "blocked_nights": 1,
            "available_nights": 27,
            "occupancy_rate": 0.2593,  # 7 / 27
            "revenue": 700.0,
            "adr": 100.0,
            "revpar": 25.93,  # 700 / 27
            "gap_night_count": 0,
        },
    ]
