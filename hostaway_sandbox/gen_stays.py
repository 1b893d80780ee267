"""Plan each listing's timeline: non-overlapping blocking stays, non-blocking extras, owner blocks."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

PAST_DAYS = 365
FUTURE_DAYS = 182
NIGHT_CHOICES = (1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 7, 10, 14)
GAP_CHOICES = (0, 0, 0, 1, 1, 2, 2, 3, 4, 6, 9)
BLOCK_NOTES = (
    "Owner block: family visit",
    "Maintenance: deep clean and repainting",
    "Maintenance: air conditioning service",
    "Blocked: photo shoot for new listing pictures",
)
# Non-blocking reservations added per listing, rotating so every status appears.
ROTATING_EXTRAS = ("declined", "inquiryPreapproved", "expired", "inquiryNotPossible")


@dataclass
class Stay:
    listing: dict[str, Any]
    arrival: date
    departure: date
    status: str
    anchor: bool = False

    @property
    def nights(self) -> int:
        return (self.departure - self.arrival).days


def _walk(
    rng: random.Random, listing: dict[str, Any], start: date, end: date, today: date
) -> list[tuple[date, date]]:
    """Back-to-back stays with short gaps; the far future is sparser (not yet booked)."""
    min_nights = int(listing["minNights"])

    def gap(day: date) -> int:
        extra = rng.randint(0, (day - today).days // 12) if day > today else 0
        return rng.choice(GAP_CHOICES) + extra

    stays: list[tuple[date, date]] = []
    day = start + timedelta(days=gap(start))
    while True:
        nights = max(min_nights, rng.choice(NIGHT_CHOICES))
        departure = day + timedelta(days=nights)
        if departure > end:
            return stays
        stays.append((day, departure))
        day = departure + timedelta(days=gap(departure))


def _blocking_stays(
    rng: random.Random, listing: dict[str, Any], index: int, today: date
) -> list[Stay]:
    start, end = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
    min_nights = max(2, int(listing["minNights"]))
    stays: list[Stay] = []
    if index % 2 == 0:
        # A same-day turnover within three days of today: one guest leaves, the next arrives.
        turnover = today + timedelta(days=rng.randint(-3, 3))
        before = (turnover - timedelta(days=rng.randint(min_nights, 6)), turnover)
        after = (turnover, turnover + timedelta(days=rng.randint(min_nights, 7)))
        for arrival, departure in _walk(rng, listing, start, before[0], today):
            stays.append(Stay(listing, arrival, departure, "new"))
        stays.append(Stay(listing, *before, "new", anchor=True))
        stays.append(Stay(listing, *after, "new", anchor=True))
        tail = _walk(rng, listing, after[1], end, today)
    else:
        tail = _walk(rng, listing, start, end, today)
    stays.extend(Stay(listing, arrival, departure, "new") for arrival, departure in tail)
    for stay in stays:
        if stay.anchor:
            continue
        roll = rng.random()
        if roll < 0.005:
            stay.status = "ownerStay"
        elif roll < 0.06:
            stay.status = "modified"
    if index % 3 == 0:
        future = [s for s in stays if not s.anchor and s.arrival > today + timedelta(days=7)]
        if future:
            rng.choice(future).status = "ownerStay"
    return stays


def _extras(rng: random.Random, listing: dict[str, Any], index: int, today: date) -> list[Stay]:
    """Reservations that never block the calendar; they may overlap anything."""

    def random_stay(status: str, earliest: int, latest: int) -> Stay:
        arrival = today + timedelta(days=rng.randint(earliest, latest))
        return Stay(listing, arrival, arrival + timedelta(days=rng.randint(2, 7)), status)

    extras = [random_stay("cancelled", -PAST_DAYS + 10, FUTURE_DAYS - 14)]
    extras += [random_stay("cancelled", -60, 90) for _ in range(rng.randint(0, 3))]
    extras += [random_stay("inquiry", 3, 120) for _ in range(rng.randint(0, 2))]
    extras.append(random_stay(ROTATING_EXTRAS[index % len(ROTATING_EXTRAS)], -120, 60))
    return extras


def _owner_blocks(
    rng: random.Random, listing: dict[str, Any], stays: list[Stay], today: date
) -> dict[date, dict[str, Any]]:
    """Block a few free stretches (owner visits, maintenance) with a note, one of them upcoming."""
    occupied = sorted(
        (s.arrival, s.departure) for s in stays if s.status in ("new", "modified", "ownerStay")
    )
    cursor = today - timedelta(days=PAST_DAYS)
    gaps: list[tuple[date, date]] = []
    for arrival, departure in [*occupied, (today + timedelta(days=FUTURE_DAYS), today)]:
        if (arrival - cursor).days >= 3:
            gaps.append((cursor, arrival))
        cursor = max(cursor, departure)
    upcoming = [g for g in gaps if g[0] > today + timedelta(days=5)]
    chosen = rng.sample(gaps, min(2, len(gaps)))
    if upcoming:
        chosen.append(rng.choice(upcoming))
    overrides: dict[date, dict[str, Any]] = {}
    for gap_start, gap_end in chosen:
        length = (gap_end - gap_start).days
        first = gap_start + timedelta(days=rng.randint(0, length - 2))
        days = rng.randint(1, min(4, (gap_end - first).days))
        note = rng.choice(BLOCK_NOTES)
        for offset in range(days):
            overrides[first + timedelta(days=offset)] = {"isAvailable": 0, "note": note}
    return overrides


def plan_listing(
    rng: random.Random, listing: dict[str, Any], index: int, today: date
) -> tuple[list[Stay], dict[date, dict[str, Any]]]:
    stays = _blocking_stays(rng, listing, index, today)
    blocks = _owner_blocks(rng, listing, stays, today)
    return stays + _extras(rng, listing, index, today), blocks
