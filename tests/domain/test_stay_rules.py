"""The stay rules shared by check_availability and get_price_quote."""

from __future__ import annotations

from datetime import date, timedelta

from hostaway_mcp.domain.availability import capacity_reason, evaluate_stay
from hostaway_mcp.hostaway import CalendarDay, Listing

START = date(2026, 12, 10)


def free(first: date, nights: int) -> dict[date, CalendarDay]:
    days = (first + timedelta(days=i) for i in range(nights + 1))
    return {day: CalendarDay(date=day, available=True, price=100.0) for day in days}


def test_a_stay_that_began_before_today_is_not_bookable() -> None:
    check = evaluate_stay(
        free(START, 3), START, START + timedelta(days=3), today=START + timedelta(days=1)
    )
    assert not check.available
    assert check.reasons == ["The stay starts on 2026-12-10, in the past (today is 2026-12-11)."]


def test_a_stay_starting_today_is_not_in_the_past() -> None:
    check = evaluate_stay(free(START, 3), START, START + timedelta(days=3), today=START)
    assert check.available and check.total_price == 300.0


def test_capacity_reason_names_the_listing_and_its_limit() -> None:
    listing = Listing(id=7, name="Loft", max_guests=4)
    assert capacity_reason(listing, 4) is None
    assert capacity_reason(listing, 5) == "Loft (listing 7) sleeps at most 4 guests; asked for 5."
    assert capacity_reason(Listing(id=8, name="Unknown size"), 12) is None
