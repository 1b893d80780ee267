"""How a report period is cut into reservation queries: every stay of the period is in exactly
one slice."""

from __future__ import annotations

from datetime import date, timedelta

from hostaway_mcp.domain.reports import scan_slices
from hostaway_mcp.hostaway import DateRange, ReservationQuery

D = date.fromisoformat


def test_scan_slices_hold_every_stay_of_the_period_exactly_once() -> None:
    start, end = D("2026-01-01"), D("2027-01-01")
    slices = scan_slices("stay", start, end, [40160])
    assert all(list(s.listing_ids or []) == [40160] for s in slices)

    def matches(query: ReservationQuery, arrival: date, departure: date) -> bool:
        def within(value: date, days: DateRange | None) -> bool:
            return days is None or (
                (days.first is None or value >= days.first)
                and (days.last is None or value <= days.last)
            )

        return within(arrival, query.arriving) and within(departure, query.departing)

    for offset in range(-40, 400, 3):
        arrival = start + timedelta(days=offset)
        for nights in (1, 2, 7, 30):
            departure = arrival + timedelta(days=nights)
            hits = sum(matches(s, arrival, departure) for s in slices)
            has_night_inside = arrival < end and departure > start
            assert hits == 1 if has_night_inside else hits <= 1, (arrival, nights)
