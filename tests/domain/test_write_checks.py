"""Pure write rules and preview wording: hand-computed tables."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from hostaway_mcp.domain.availability import nights_of
from hostaway_mcp.domain.writes.checks import (
    blocking_overlaps,
    occupied_days,
    range_text,
    split_guest_name,
    unfree_nights,
    utc_text,
)
from hostaway_mcp.hostaway.entities import CalendarDay, Reservation

D = date(2026, 7, 1)


def stay(rid: int, arrive: int, leave: int, status: str = "new", listing: int = 1) -> Reservation:
    return Reservation(
        id=rid,
        listing_id=listing,
        status=status,
        arrival=D + timedelta(days=arrive),
        departure=D + timedelta(days=leave),
    )


@pytest.mark.parametrize(
    ("booking", "overlaps"),
    [
        (stay(1, 0, 2), True),
        (stay(1, -3, 0), False),  # leaves the morning the range starts
        (stay(1, 3, 5), False),  # arrives on the range's check-out day
        (stay(1, 2, 9), True),  # arrives on the last night
        (stay(1, -5, 9), True),  # covers the whole range
        (stay(1, 0, 2, status="cancelled"), False),
        (stay(1, 0, 2, status="inquiry"), False),
        (stay(1, 0, 2, status="ownerStay"), True),
        (stay(1, 0, 2, listing=2), False),
    ],
)
def test_blocking_overlaps_for_nights_d_to_d_plus_3(booking: Reservation, overlaps: bool) -> None:
    found = blocking_overlaps([booking], 1, D, D + timedelta(days=3))
    assert bool(found) is overlaps


def test_blocking_overlaps_skips_the_booking_being_moved() -> None:
    assert blocking_overlaps([stay(7, 0, 2)], 1, D, D + timedelta(days=3), exclude_id=7) == []


def calendar(**statuses: str) -> dict[date, CalendarDay]:
    days = {}
    for offset in range(4):
        status = statuses.get(f"d{offset}", "available")
        day = D + timedelta(days=offset)
        days[day] = CalendarDay(date=day, available=status == "available", status=status)
    return days


def test_unfree_nights_ignores_own_nights_and_counts_missing_ones() -> None:
    days = calendar(d0="reserved", d2="blocked")
    nights = nights_of(D, D + timedelta(days=5))  # d4 has no calendar data
    assert unfree_nights(days, nights) == [D, D + timedelta(days=2), D + timedelta(days=4)]
    assert unfree_nights(days, nights, own=[D]) == [D + timedelta(days=2), D + timedelta(days=4)]


def test_occupied_days_are_reserved_or_pending_not_blocked() -> None:
    days = calendar(d0="reserved", d1="blocked", d2="pending")
    assert occupied_days(days, nights_of(D, D + timedelta(days=4))) == [D, D + timedelta(days=2)]


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Ana Smith", ("Ana", "Smith")),
        ("Maria João  Silva", ("Maria", "João Silva")),
        ("Cher", ("Cher", None)),
        ("  Cher ", ("Cher", None)),
    ],
)
def test_split_guest_name(name: str, split: tuple[str, str | None]) -> None:
    assert split_guest_name(name) == split


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 6, 13, 11, 0, tzinfo=timezone(timedelta(hours=1))), "2026-06-13 10:00:00"),
        (datetime(2026, 6, 13, 0, 30, tzinfo=timezone(timedelta(hours=2))), "2026-06-12 22:30:00"),
        (datetime(2026, 6, 13, 9, 15, 5), "2026-06-13 09:15:05"),  # naive = UTC
    ],
)
def test_utc_text(moment: datetime, text: str) -> None:
    assert utc_text(moment) == text


@pytest.mark.parametrize(
    ("values", "unit", "text"),
    [
        ([200.0, 200.0], "EUR", "200.00 EUR"),
        ([180.0, None, 220.0, 200.0], "EUR", "180.00 to 220.00 EUR"),
        ([None], "", "not set"),
        ([1, 3], "", "1 to 3"),
    ],
)
def test_range_text(values: list[float | int | None], unit: str, text: str) -> None:
    assert range_text(values, unit) == text
