"""What the mirror covers: the datasets it copies and the window of dates (reservations, and
calendars up to a year ahead); calendar ranges cut to what one request serves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

CALENDAR_CHUNK_DAYS = 730  # days per calendar request (Hostaway serves up to two years)
CALENDAR_AHEAD_DAYS = 365  # calendars are mirrored up to a year ahead
DATASETS = (
    "listings",
    "reservations",
    "conversations",
    "reviews",
    "tasks",
    "expenses",
    "calendars",
)


@dataclass(frozen=True)
class Window:
    """What the mirror covers: reservations departing from `first` and arriving by `last`;
    calendars from `first` to a year ahead."""

    past_days: int
    future_days: int

    def reservations(self, today: date) -> tuple[date, date]:
        return today - timedelta(days=self.past_days), today + timedelta(days=self.future_days)

    def calendar_last(self, today: date) -> date:
        return today + timedelta(days=CALENDAR_AHEAD_DAYS)


def chunks(first: date, last: date, days: int = CALENDAR_CHUNK_DAYS) -> list[tuple[date, date]]:
    """[first, last] in consecutive pieces of at most ``days`` days."""
    pieces = []
    while first <= last:
        end = min(last, first + timedelta(days=days - 1))
        pieces.append((first, end))
        first = end + timedelta(days=1)
    return pieces


def merge_ranges(ranges: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[list[date]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(a, b) for a, b in merged]
