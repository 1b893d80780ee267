"""Values said the way people say them: hours, discounts."""

from __future__ import annotations

import pytest

from hostaway_mcp.domain.formatting import clock
from hostaway_mcp.hostaway._values import percent_off


@pytest.mark.parametrize(
    ("hour", "text"),
    [(15, "15:00"), (9, "09:00"), (0, "00:00"), (None, None), (25, None), (-1, None)],
)
def test_hours_read_like_a_clock(hour: int | None, text: str | None) -> None:
    assert clock(hour) == text


@pytest.mark.parametrize(
    ("stored", "percent"),
    [
        (0.95, 5.0),  # the share of the price paid: 5 % off
        (0.71, 29.0),  # the official listing example
        ("0.9", 10.0),
        (1, 0.0),
        (15, 15.0),  # above 1: a percent already
        (0, None),
        (None, None),
        ("n/a", None),
    ],
)
def test_discounts_are_percent_off(stored: object, percent: float | None) -> None:
    assert percent_off(stored) == percent
