"""Nights and days: a stay or period runs from its first night up to the check-out day, exclusive."""

from __future__ import annotations

from datetime import date, timedelta


def nights_of(start: date, end: date) -> list[date]:
    """The nights of [start, end)."""
    return [start + timedelta(days=i) for i in range((end - start).days)]
