"""Pure occupancy arithmetic: nights booked, owned and blocked per listing, orphan gaps between
stays, and the per-currency portfolio totals. No I/O; revenue is tallied as in `analytics` (by the
booking's currency, never added across currencies)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise

from ..hostaway import BLOCKING_STATUSES, CONFIRMED_STATUSES, CalendarDay, Listing, Stay
from .analytics import (
    OWNER_STAY,
    UNKNOWN,
    Tally,
    currency_of,
    nights_inside,
    prorated,
    stay_nights,
)
from .dates import nights_of


@dataclass(frozen=True)
class Gap:
    start: date  # first free night (the previous stay's check-out day)
    end: date  # the next stay's arrival day (exclusive)

    @property
    def nights(self) -> int:
        return (self.end - self.start).days


@dataclass
class Occupancy:
    listing_id: int
    name: str
    currency: str | None
    nights_in_period: int
    booked_nights: int
    owner_nights: int
    blocked_nights: int
    revenue: float
    revenue_nights: int  # booked nights of the bookings in `currency` (the ADR divisor)
    other_revenue: dict[str, float]  # confirmed revenue in other currencies (never added)
    gaps: list[Gap]

    @property
    def available_nights(self) -> int:
        return self.nights_in_period - self.owner_nights - self.blocked_nights

    @property
    def occupancy_rate(self) -> float | None:
        available = self.available_nights
        return self.booked_nights / available if available > 0 else None

    @property
    def adr(self) -> float | None:
        return self.revenue / self.revenue_nights if self.revenue_nights else None

    @property
    def revpar(self) -> float | None:
        available = self.available_nights
        return self.revenue / available if available > 0 else None

    @property
    def gap_nights(self) -> int:
        return sum(gap.nights for gap in self.gaps)


@cache
def _period(start: date, end: date) -> frozenset[date]:
    return frozenset(nights_of(start, end))


def _stay_nights_by_kind(stays: Iterable[Stay]) -> tuple[set[date], set[date], set[date]]:
    """Nights of confirmed bookings, of owner stays, and of both (what blocks the calendar)."""
    confirmed: set[date] = set()
    owners: set[date] = set()
    blocking: set[date] = set()
    for r in stays:
        if r.status not in BLOCKING_STATUSES or not r.arrival or not r.departure:
            continue
        nights = nights_of(r.arrival, r.departure)
        blocking.update(nights)
        if r.status in CONFIRMED_STATUSES:
            confirmed.update(nights)
        if r.status == OWNER_STAY:
            owners.update(nights)
    return confirmed, owners, blocking


def closed_nights(days: Mapping[date, CalendarDay]) -> set[date]:
    """The nights a calendar marks unavailable. A night Hostaway sent no calendar data for is
    treated as open (not blocked)."""
    return {night for night, day in days.items() if not day.available}


def blocked_nights(
    stays: Iterable[Stay], closed: AbstractSet[date], start: date, end: date
) -> set[date]:
    """Nights of [start, end) the calendar says are not available and no blocking reservation
    (confirmed or owner stay) covers: closed by hand, not by a booking."""
    return set(_period(start, end).intersection(closed) - _stay_nights_by_kind(stays)[2])


def orphan_gaps(
    reservations: Iterable[Stay],
    closed: AbstractSet[date],
    start: date,
    end: date,
    max_nights: int,
) -> list[Gap]:
    """Runs of free nights strictly between two blocking reservations (confirmed or owner stays)
    at one listing, at most max_nights long and wholly inside [start, end). A run next to a
    calendar block or the window edge is not an orphan gap."""
    spans = sorted(
        (r.arrival, r.departure)
        for r in reservations
        if r.blocks_calendar and r.arrival and r.departure and r.departure > r.arrival
    )
    merged: list[list[date]] = []
    for arrival, departure in spans:
        if merged and arrival <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], departure)
        else:
            merged.append([arrival, departure])
    gaps: list[Gap] = []
    for before, after in pairwise(merged):
        gap = Gap(before[1], after[0])
        if (
            gap.nights <= max_nights
            and start <= gap.start
            and gap.end <= end
            and closed.isdisjoint(nights_of(gap.start, gap.end))
        ):
            gaps.append(gap)
    return gaps


def listing_occupancy(
    listing: Listing,
    closed: AbstractSet[date],
    reservations: Iterable[Stay],
    start: date,
    end: date,
    *,
    gap_max_nights: int = 3,
) -> Occupancy:
    """One listing over [start, end): booked (confirmed) nights, owner nights, blocked nights
    (calendar says unavailable and no blocking reservation covers the night), revenue under the
    `stay` basis, and orphan gaps. `reservations` may hold other listings' rows: they are skipped."""
    mine = {r.id: r for r in reservations if r.listing_id == listing.id}.values()
    period = _period(start, end)
    confirmed, owners, blocking = _stay_nights_by_kind(mine)
    booked = confirmed & period
    owner = (owners & period) - booked
    blocked = period.intersection(closed) - blocking  # as blocked_nights
    by_currency: dict[str, Tally] = defaultdict(Tally)
    own = {listing.id: listing.currency}
    for r in mine:
        if r.status in CONFIRMED_STATUSES and (inside := nights_inside(r, start, end)):
            tally = by_currency[currency_of(r, own)]
            tally.revenue += prorated(r.total_price, inside, stay_nights(r))
            tally.booked_nights += inside
    currency = _main_currency(listing.currency, by_currency)
    main = by_currency.get(currency or "", Tally())
    return Occupancy(
        listing_id=listing.id,
        name=listing.name,
        currency=currency,
        nights_in_period=len(period),
        booked_nights=len(booked),
        owner_nights=len(owner),
        blocked_nights=len(blocked),
        revenue=main.revenue,
        revenue_nights=main.booked_nights,
        other_revenue={c: t.revenue for c, t in sorted(by_currency.items()) if c != currency},
        gaps=orphan_gaps(mine, closed, start, end, gap_max_nights),
    )


def _main_currency(listing_currency: str | None, tallies: Mapping[str, Tally]) -> str | None:
    """The currency carrying most booked nights; the listing's own when there are none."""
    if not tallies:
        return listing_currency
    return max(tallies, key=lambda c: (tallies[c].booked_nights, c == listing_currency))


@dataclass
class PortfolioTotals:
    currency: str
    listings: int = 0
    nights_in_period: int = 0
    booked_nights: int = 0
    owner_nights: int = 0
    blocked_nights: int = 0
    available_nights: int = 0
    revenue: float = 0.0
    revenue_nights: int = 0
    gap_nights: int = 0

    @property
    def occupancy_rate(self) -> float | None:
        return self.booked_nights / self.available_nights if self.available_nights > 0 else None

    @property
    def adr(self) -> float | None:
        return self.revenue / self.revenue_nights if self.revenue_nights else None

    @property
    def revpar(self) -> float | None:
        return self.revenue / self.available_nights if self.available_nights > 0 else None


def portfolio_totals(rows: Iterable[Occupancy]) -> list[PortfolioTotals]:
    """Listings summed per currency (a listing belongs to its row's currency)."""
    totals: dict[str, PortfolioTotals] = {}
    for row in rows:
        key = row.currency or UNKNOWN
        t = totals.setdefault(key, PortfolioTotals(currency=key))
        t.listings += 1
        t.nights_in_period += row.nights_in_period
        t.booked_nights += row.booked_nights
        t.owner_nights += row.owner_nights
        t.blocked_nights += row.blocked_nights
        t.available_nights += row.available_nights
        t.revenue += row.revenue
        t.revenue_nights += row.revenue_nights
        t.gap_nights += row.gap_nights
    return [totals[key] for key in sorted(totals)]
