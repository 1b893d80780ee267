"""How a report period is cut into reservation queries: every stay of the period is in exactly
one slice. (``scan_slices`` is an internal about to move into the adapter: see
``tests/support/internals.py``.)"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.support.internals import scan_slices

D = date.fromisoformat


def test_scan_slices_hold_every_stay_of_the_period_exactly_once() -> None:
    start, end = D("2026-01-01"), D("2027-01-01")
    slices = scan_slices("stay", start, end, [40160])
    assert all(s["listingId"] == 40160 for s in slices)

    def matches(params: dict[str, Any], arrival: date, departure: date) -> bool:
        def within(value: date, low: str, high: str) -> bool:
            return (low not in params or value >= D(str(params[low]))) and (
                high not in params or value <= D(str(params[high]))
            )

        return within(arrival, "arrivalStartDate", "arrivalEndDate") and within(
            departure, "departureStartDate", "departureEndDate"
        )

    for offset in range(-40, 400, 3):
        arrival = start + timedelta(days=offset)
        for nights in (1, 2, 7, 30):
            departure = arrival + timedelta(days=nights)
            hits = sum(matches(s, arrival, departure) for s in slices)
            has_night_inside = arrival < end and departure > start
            assert hits == 1 if has_night_inside else hits <= 1, (arrival, nights)
