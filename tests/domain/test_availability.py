"""Stay rules over calendar days (hand-computed table) and period validation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hostaway_mcp.domain.availability import evaluate_stay, validate_period
from hostaway_mcp.errors import ValidationFailed
from hostaway_mcp.hostaway.entities import CalendarDay

D0 = date(2026, 7, 1)


def days(n: int, **overrides: dict[str, object]) -> dict[date, CalendarDay]:
    out = {}
    for i in range(n):
        day = D0 + timedelta(days=i)
        fields: dict[str, object] = {"date": day, "available": True, "price": 100.0, "min_stay": 1}
        fields.update(overrides.get(day.isoformat(), {}))
        out[day] = CalendarDay(**fields)  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize(
    ("calendar", "nights", "available", "unavailable", "total"),
    [
        (days(5), 3, True, [], 300.0),
        (days(5, **{"2026-07-02": {"available": False}}), 3, False, [date(2026, 7, 2)], 300.0),
        (days(5, **{"2026-07-04": {"available": False}}), 3, True, [], 300.0),  # check-out day
        (days(5, **{"2026-07-01": {"min_stay": 4}}), 3, False, [], 300.0),
        (days(5, **{"2026-07-02": {"min_stay": 4}}), 3, True, [], 300.0),  # arrival night rules
        (days(5, **{"2026-07-01": {"max_stay": 2}}), 3, False, [], 300.0),
        (days(5, **{"2026-07-01": {"closed_on_arrival": True}}), 3, False, [], 300.0),
        (days(5, **{"2026-07-04": {"closed_on_departure": True}}), 3, False, [], 300.0),
        (days(2), 3, False, [date(2026, 7, 3)], None),  # no data for a night
        (days(5, **{"2026-07-02": {"price": None}}), 3, True, [], None),
    ],
)
def test_evaluate_stay(
    calendar: dict[date, CalendarDay],
    nights: int,
    available: bool,
    unavailable: list[date],
    total: float | None,
) -> None:
    check = evaluate_stay(calendar, D0, D0 + timedelta(days=nights))
    assert check.available is available
    assert check.unavailable_dates == unavailable
    assert check.total_price == total
    assert bool(check.reasons) is (not available)


def test_validate_period() -> None:
    assert validate_period(D0, D0 + timedelta(days=1)) == 1
    with pytest.raises(ValidationFailed, match="exclusive"):
        validate_period(D0, D0)
    with pytest.raises(ValidationFailed, match="maximum"):
        validate_period(D0, D0 + timedelta(days=400))
