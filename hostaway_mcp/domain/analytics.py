"""Pure report arithmetic: revenue by date basis (pro-rated by nights under `stay`), occupancy per
listing, orphan gaps and per-currency totals. No I/O; amounts keep full precision (the output models
round them). Amounts in different currencies are never added together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import pairwise
from typing import Literal

from ..hostaway import (
    BLOCKING_STATUSES,
    CONFIRMED_STATUSES,
    CalendarDay,
    Listing,
    Reservation,
    Stay,
)
from .dates import nights_of

DateBasis = Literal["stay", "arrival", "departure", "booked"]
GroupBy = Literal["listing", "channel", "month"]

REVENUE_STATUSES = ("new", "modified")  # confirmed bookings; the order shown to users
OWNER_STAY = "ownerStay"
CANCELLED = "cancelled"
UNKNOWN = "unknown"


# ---- nights and dates ---------------------------------------------------------------------------


def overlap(r: Stay | Reservation, start: date, end: date) -> tuple[date, date] | None:
    """The part of a booking's nights [arrival, departure) that lies inside [start, end)."""
    if r.arrival is None or r.departure is None:
        return None
    first, stop = max(r.arrival, start), min(r.departure, end)
    return (first, stop) if stop > first else None


def stay_nights(r: Stay) -> int:
    if r.arrival is None or r.departure is None:
        return 0
    return max(0, (r.departure - r.arrival).days)


def nights_inside(r: Stay, start: date, end: date) -> int:
    part = overlap(r, start, end)
    return (part[1] - part[0]).days if part else 0


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_label(key: str) -> str:
    return date.fromisoformat(f"{key}-01").strftime("%B %Y")


def months_of(start: date, end: date) -> list[str]:
    """Every month (YYYY-MM) that has a night in [start, end)."""
    keys: list[str] = []
    day = start
    while day < end:
        keys.append(month_key(day))
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return keys


def nights_by_month(first: date, stop: date) -> dict[str, int]:
    """Nights of [first, stop) per month."""
    counts: dict[str, int] = defaultdict(int)
    for night in nights_of(first, stop):
        counts[month_key(night)] += 1
    return dict(counts)


def basis_date(r: Stay, basis: DateBasis) -> date | None:
    if basis == "arrival":
        return r.arrival
    if basis == "departure":
        return r.departure
    if basis == "booked":
        return r.reservation_date.date() if r.reservation_date else None
    return None


def in_window(r: Stay, basis: DateBasis, start: date, end: date) -> bool:
    """Does this booking belong to the report window under the date basis?"""
    if basis == "stay":
        return nights_inside(r, start, end) > 0
    day = basis_date(r, basis)
    return day is not None and start <= day < end


# ---- revenue ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Sums for one currency (and one group); revenue at full precision."""

    revenue: float = 0.0
    booked_nights: int = 0
    bookings: set[int] = field(default_factory=set)
    cancelled: set[int] = field(default_factory=set)
    unpriced: set[int] = field(default_factory=set)

    @property
    def adr(self) -> float | None:
        return self.revenue / self.booked_nights if self.booked_nights else None


@dataclass
class RevenueSummary:
    by_currency: dict[str, Tally]
    groups: dict[tuple[str, str], Tally]  # (group key, currency)


def currency_of(r: Stay, listing_currency: Mapping[int, str | None]) -> str:
    """The booking's currency; the listing's when Hostaway left it empty."""
    return r.currency or listing_currency.get(r.listing_id or 0) or UNKNOWN


def _shares(
    r: Stay, basis: DateBasis, start: date, end: date, by_month: bool
) -> list[tuple[str | None, int]]:
    """(month or None, nights) this booking contributes; its revenue share is nights / stay."""
    if basis != "stay":
        day = basis_date(r, basis)
        return [(month_key(day) if by_month and day else None, stay_nights(r))]
    part = overlap(r, start, end)
    if part is None:
        return []
    if not by_month:
        return [(None, (part[1] - part[0]).days)]
    return list(nights_by_month(*part).items())


def prorated(price: float | None, nights: int, total_nights: int) -> float:
    """totalPrice * nights / total_nights (the whole price when the booking counts whole)."""
    if price is None:
        return 0.0
    if nights == total_nights or total_nights == 0:
        return price
    return price * nights / total_nights


def group_key(r: Stay, group_by: GroupBy) -> str:
    if group_by == "listing":
        return str(r.listing_id) if r.listing_id is not None else UNKNOWN
    return r.channel or UNKNOWN  # channel; month keys come from the nights


def revenue_summary(
    reservations: Iterable[Stay],
    start: date,
    end: date,
    *,
    basis: DateBasis = "stay",
    group_by: GroupBy = "listing",
    listing_currency: Mapping[int, str | None] | None = None,
) -> RevenueSummary:
    """Revenue = totalPrice of confirmed bookings (new, modified), per currency. Under `stay` a
    booking counts only its nights inside [start, end) and totalPrice * nights_inside / nights;
    other bases count whole bookings whose arrival/departure/reservation date is in the window.
    Cancelled bookings in the window are counted (no revenue); everything else is ignored."""
    currencies = listing_currency or {}
    by_currency: dict[str, Tally] = defaultdict(Tally)
    groups: dict[tuple[str, str], Tally] = defaultdict(Tally)
    seen: set[int] = set()
    for r in reservations:
        if r.id in seen or not in_window(r, basis, start, end):
            continue
        seen.add(r.id)
        currency = currency_of(r, currencies)
        by_month = group_by == "month"
        if r.status == CANCELLED:
            by_currency[currency].cancelled.add(r.id)
            for month, _ in _shares(r, basis, start, end, by_month):
                groups[(month or group_key(r, group_by), currency)].cancelled.add(r.id)
            continue
        if r.status not in CONFIRMED_STATUSES:
            continue
        price = r.total_price
        for month, nights in _shares(r, basis, start, end, by_month):
            revenue = prorated(price, nights, stay_nights(r))
            for tally in (
                by_currency[currency],
                groups[(month or group_key(r, group_by), currency)],
            ):
                tally.revenue += revenue
                tally.booked_nights += nights
                tally.bookings.add(r.id)
                if price is None:
                    tally.unpriced.add(r.id)
    return RevenueSummary(by_currency=dict(by_currency), groups=dict(groups))


# ---- occupancy ----------------------------------------------------------------------------------


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


def sort_groups(
    groups: Mapping[tuple[str, str], Tally], group_by: GroupBy, label: Callable[[str], str]
) -> list[tuple[str, str, Tally]]:
    """Months in order; listings and channels by currency, then highest revenue first."""
    rows = [(key, currency, tally) for (key, currency), tally in groups.items()]
    if group_by == "month":
        return sorted(rows, key=lambda row: (row[0], row[1]))
    return sorted(rows, key=lambda row: (row[1], -row[2].revenue, label(row[0]).lower(), row[0]))
