"""The multi-calendar's pure pieces (hostaway_mcp.domain.calendar) against hand-made tables: rows
(stays, owner stays, blocked runs, orphan gaps), runs of nights, the listings' today, and how many
rows can fit the output budget. Entities are mapped from raw Hostaway objects (real field names)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest

from hostaway_mcp.domain.calendar import (
    calendar_row,
    json_chars,
    local_today,
    night_runs,
    rows_within,
    show_calendar,
)
from hostaway_mcp.domain.models.calendar import Calendar, NightRun
from hostaway_mcp.domain.occupancy import closed_nights, listing_occupancy
from hostaway_mcp.errors import ValidationFailed
from hostaway_mcp.hostaway import CalendarDay, Hostaway, Listing, Reservation

D = date.fromisoformat
START, END = D("2026-12-01"), D("2026-12-15")  # 14 nights
HOME = Listing.from_api(
    {"id": 40160, "name": "Alfama Studio", "city": "Lisbon", "timeZoneName": "Europe/Lisbon"}
)


def booking(rid: int, arrival: str, departure: str, status: str = "new", **raw: Any) -> Reservation:
    return Reservation.from_api(
        {
            "id": rid,
            "listingMapId": HOME.id,
            "arrivalDate": arrival,
            "departureDate": departure,
            "status": status,
            "guestName": f"Guest {rid}",
            "channelId": 2018,
            **raw,
        }
    )


def closed(*nights: str) -> dict[date, CalendarDay]:
    """A calendar of the window where only these nights are not available."""
    days = {}
    for offset in range((END - START).days):
        night = START + timedelta(days=offset)
        day = CalendarDay.from_api(
            {"date": night.isoformat(), "isAvailable": 0 if night.isoformat() in nights else 1}
        )
        assert day is not None
        days[night] = day
    return days


def runs(*spans: tuple[str, str]) -> list[NightRun]:
    return [NightRun.of(D(first), D(stop)) for first, stop in spans]


# ---- rows ---------------------------------------------------------------------------------------


def test_stays_keep_their_real_dates_where_they_cross_the_window() -> None:
    before = booking(1, "2026-11-28", "2026-12-03")  # 2 nights inside
    after = booking(2, "2026-12-12", "2026-12-19", channelId=2005)  # 3 nights inside
    row = calendar_row(HOME, [after, before], START, END, closed())
    assert [(s.reservation_id, s.arrival_date, s.departure_date) for s in row.stays] == [
        (1, D("2026-11-28"), D("2026-12-03")),
        (2, D("2026-12-12"), D("2026-12-19")),
    ]
    assert [
        (s.untrusted.guest_name if s.untrusted else None, s.channel, s.status) for s in row.stays
    ] == [
        ("Guest 1", "airbnb", "new"),
        ("Guest 2", "booking.com", "new"),
    ]
    assert (row.id, row.name, row.city) == (40160, "Alfama Studio", "Lisbon")


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("new", True),
        ("modified", True),
        ("pending", True),
        ("awaitingPayment", True),
        ("awaitingGuestVerification", True),
        ("unconfirmed", True),
        ("cancelled", False),
        ("declined", False),
        ("expired", False),
        ("inquiry", False),
        ("inquiryPreapproved", False),
        ("unknown", False),
        ("ownerStay", False),  # an owner stay, not a guest's
    ],
)
def test_which_bookings_are_drawn_as_stays(status: str, shown: bool) -> None:
    row = calendar_row(HOME, [booking(7, "2026-12-05", "2026-12-08", status)], START, END, None)
    assert [s.reservation_id for s in row.stays] == ([7] if shown else [])


@pytest.mark.parametrize(
    ("arrival", "departure", "inside"),
    [
        ("2026-11-25", "2026-12-01", False),  # leaves on the first day: no night inside
        ("2026-11-25", "2026-12-02", True),
        ("2026-12-14", "2026-12-16", True),  # the last night
        ("2026-12-15", "2026-12-18", False),  # arrives on end_date
        ("2026-11-01", "2027-01-01", True),  # both ends outside
    ],
)
def test_a_stay_is_shown_when_a_night_lies_in_the_window(
    arrival: str, departure: str, inside: bool
) -> None:
    row = calendar_row(HOME, [booking(9, arrival, departure)], START, END, closed())
    assert len(row.stays) == int(inside)


def test_owner_stays_are_apart_and_keep_their_real_dates() -> None:
    owner = booking(3, "2026-11-28", "2026-12-02", "ownerStay", guestName="The Owner")
    row = calendar_row(HOME, [owner], START, END, closed("2026-12-01"))
    assert row.stays == []
    assert [(o.reservation_id, o.arrival_date, o.departure_date) for o in row.owner_stays] == [
        (3, D("2026-11-28"), D("2026-12-02"))
    ]
    assert row.blocked == []  # the closed night is the owner's


def test_blocked_runs_are_closed_nights_no_booking_or_owner_stay_covers() -> None:
    stays = [
        booking(1, "2026-12-02", "2026-12-04"),  # covers its closed nights
        booking(2, "2026-12-10", "2026-12-12", "pending"),  # a hold does not: blocked
    ]
    days = closed(
        "2026-12-02", "2026-12-03", "2026-12-06", "2026-12-07", "2026-12-10", "2026-12-14"
    )
    row = calendar_row(HOME, stays, START, END, days)
    assert row.blocked == runs(
        ("2026-12-06", "2026-12-08"), ("2026-12-10", "2026-12-11"), ("2026-12-14", "2026-12-15")
    )
    assert [r.nights for r in row.blocked] == [2, 1, 1]
    # The same definition as the occupancy report.
    occupancy = listing_occupancy(HOME, closed_nights(days), stays, START, END)
    assert sum(r.nights for r in row.blocked) == occupancy.blocked_nights


def test_orphan_gaps_between_stays_as_the_occupancy_report_finds_them() -> None:
    stays = [
        booking(1, "2026-11-29", "2026-12-01"),  # leaves on start_date: closes the first gap
        booking(2, "2026-12-03", "2026-12-05"),
        booking(3, "2026-12-08", "2026-12-09"),
        booking(4, "2026-12-13", "2026-12-15"),  # 4 free nights before it: not an orphan gap
        booking(5, "2026-12-15", "2026-12-20"),
    ]
    row = calendar_row(HOME, stays, START, END, closed())
    assert row.gaps == runs(("2026-12-01", "2026-12-03"), ("2026-12-05", "2026-12-08"))
    assert [s.reservation_id for s in row.stays] == [2, 3, 4]  # 1 and 5 only touch the window
    occupancy = listing_occupancy(HOME, closed_nights(closed()), stays, START, END)
    assert [(g.start, g.end) for g in occupancy.gaps] == [
        (r.start_date, r.end_date) for r in row.gaps
    ]


def test_a_closed_night_makes_a_gap_a_block() -> None:
    stays = [booking(1, "2026-12-02", "2026-12-04"), booking(2, "2026-12-06", "2026-12-09")]
    row = calendar_row(HOME, stays, START, END, closed("2026-12-05"))
    assert row.gaps == []
    assert row.blocked == runs(("2026-12-05", "2026-12-06"))


def test_a_row_skips_other_listings_and_repeated_rows() -> None:
    mine = booking(1, "2026-12-02", "2026-12-04")
    elsewhere = booking(2, "2026-12-02", "2026-12-04", listingMapId=40161)
    row = calendar_row(HOME, [mine, elsewhere, mine], START, END, closed())
    assert [s.reservation_id for s in row.stays] == [1]


def test_without_a_calendar_a_row_has_no_blocks_and_no_gaps() -> None:
    stays = [booking(1, "2026-12-02", "2026-12-04"), booking(2, "2026-12-05", "2026-12-07")]
    row = calendar_row(HOME, stays, START, END, None)
    assert (len(row.stays), row.blocked, row.gaps) == (2, [], [])
    assert calendar_row(HOME, stays, START, END, closed()).gaps == runs(
        ("2026-12-04", "2026-12-05")
    )


# ---- runs, today, budget ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nights", "expected"),
    [
        ([], []),
        (["2026-12-03"], [("2026-12-03", "2026-12-04")]),
        (["2026-12-03", "2026-12-04", "2026-12-05"], [("2026-12-03", "2026-12-06")]),
        (
            ["2026-12-09", "2026-12-03", "2026-12-04", "2026-12-09"],  # unordered, repeated
            [("2026-12-03", "2026-12-05"), ("2026-12-09", "2026-12-10")],
        ),
        (["2026-12-31", "2027-01-01"], [("2026-12-31", "2027-01-02")]),  # across a year
    ],
)
def test_night_runs(nights: list[str], expected: list[tuple[str, str]]) -> None:
    assert night_runs(D(n) for n in nights) == runs(*expected)


NOW = datetime(2026, 12, 2, 3, 30, tzinfo=UTC)  # still Dec 1 in the Americas


@pytest.mark.parametrize(
    ("zones", "expected"),
    [
        (["Europe/Lisbon"], "2026-12-02"),
        (["America/Chicago"], "2026-12-01"),
        (["America/Chicago", "Europe/London", "Europe/London"], "2026-12-02"),  # most listings
        (["America/New_York", "Europe/Lisbon"], "2026-12-01"),  # a tie: the first listed
        (["Pacific/Kiritimati"], "2026-12-02"),  # UTC+14
        (["Mars/Olympus_Mons", None, "", "America/Chicago"], "2026-12-01"),  # unknown skipped
    ],
)
def test_today_is_where_most_listings_are(zones: list[str | None], expected: str) -> None:
    assert local_today(NOW, zones) == D(expected)


def test_today_without_a_known_time_zone_is_the_servers() -> None:
    assert local_today(NOW, [None, "Not/AZone"]) == NOW.astimezone().date()


@pytest.mark.parametrize(
    ("shell", "sizes", "max_chars", "expected"),
    [
        # "listings": [] is in the shell; three rows add 50 + ", " + 50 + ", " + 50 inside it.
        (100, [50, 50, 50], 254, 3),
        (100, [50, 50, 50], 253, 2),
        (100, [50, 50, 50], 202, 2),
        (100, [50, 50, 50], 201, 1),
        (100, [500], 120, 1),  # one row always, even when too big (the budget shortens it)
        (100, [], 120, 0),
    ],
)
def test_rows_within_the_budget(
    shell: int, sizes: list[int], max_chars: int, expected: int
) -> None:
    assert rows_within(shell, sizes, max_chars) == expected


def test_rows_within_matches_the_serialized_answer() -> None:
    stays = [booking(i, "2026-12-02", "2026-12-04") for i in range(1, 4)]
    rows = [calendar_row(HOME, stays, START, END, None) for _ in range(3)]
    shell = Calendar(
        start_date=START, end_date=END, days=14, today=START, listings_total=3, listings=[]
    )
    full = shell.model_copy(update={"listings": rows})
    assert rows_within(json_chars(shell), [json_chars(r) for r in rows], json_chars(full)) == 3
    assert rows_within(json_chars(shell), [json_chars(r) for r in rows], json_chars(full) - 1) == 2


@pytest.mark.anyio
@pytest.mark.parametrize("days", [0, 63])
async def test_the_window_is_checked_before_any_read(days: int) -> None:
    nothing = cast(Hostaway, object())  # any read would fail on it
    with pytest.raises(ValidationFailed, match="days must be between 1 and 62"):
        await show_calendar(nothing, start=None, days=days, listing_ids=None, city=None)
