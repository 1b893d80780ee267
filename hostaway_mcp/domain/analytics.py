"""Pure report arithmetic: the nights of a stay inside a period, and revenue by date basis
(pro-rated by nights under `stay`) per currency and per listing, channel or month; occupancy is in
`occupancy`. No I/O; amounts keep full precision (the output models round them). Amounts in
different currencies are never added together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from ..hostaway import (
    CONFIRMED_STATUSES,
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


def sort_groups(
    groups: Mapping[tuple[str, str], Tally], group_by: GroupBy, label: Callable[[str], str]
) -> list[tuple[str, str, Tally]]:
    """Months in order; listings and channels by currency, then highest revenue first."""
    rows = [(key, currency, tally) for (key, currency), tally in groups.items()]
    if group_by == "month":
        return sorted(rows, key=lambda row: (row[0], row[1]))
    return sorted(rows, key=lambda row: (row[1], -row[2].revenue, label(row[0]).lower(), row[0]))
