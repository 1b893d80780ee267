"""Pure availability rules: can a stay of nights [start, end) be booked, given calendar days?"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ..errors import ValidationFailed
from ..hostaway import CalendarDay, Listing
from .dates import nights_of
from .formatting import round2

MAX_STAY_NIGHTS = 366


def validate_period(
    start: date,
    end: date,
    *,
    max_nights: int = MAX_STAY_NIGHTS,
    start_name: str = "start_date",
    end_name: str = "end_date",
) -> int:
    """Number of nights in [start, end); a clear error when the range is empty or too long."""
    nights = (end - start).days
    if nights <= 0:
        raise ValidationFailed(
            f"{end_name} ({end}) must be after {start_name} ({start}): {end_name} is the "
            "check-out day / the day after the period, exclusive (one night = the next day; June "
            f"2026 = {start_name}=2026-06-01, {end_name}=2026-07-01)."
        )
    if nights > max_nights:
        raise ValidationFailed(
            f"The period from {start} to {end} has {nights} nights, over the maximum: at most "
            f"{max_nights} nights here. Split it into shorter periods."
        )
    return nights


@dataclass
class StayCheck:
    available: bool
    reasons: list[str] = field(default_factory=list)
    unavailable_dates: list[date] = field(default_factory=list)
    total_price: float | None = None


def evaluate_stay(
    days: Mapping[date, CalendarDay], start: date, end: date, *, today: date | None = None
) -> StayCheck:
    """Every night free, arrival/departure not closed, the stay within the arrival night's minimum
    and maximum stay, and (given `today`) not begun already."""
    nights = nights_of(start, end)
    reasons: list[str] = []
    if today is not None and start < today:
        reasons.append(f"The stay starts on {start}, in the past (today is {today}).")
    unavailable = [night for night in nights if not (night in days and days[night].available)]
    missing = [night for night in nights if night not in days]
    if unavailable:
        shown = ", ".join(d.isoformat() for d in unavailable[:5])
        more = f" and {len(unavailable) - 5} more" if len(unavailable) > 5 else ""
        reasons.append(f"{len(unavailable)} night(s) not available: {shown}{more}.")
    if missing:
        reasons.append(f"{len(missing)} night(s) have no calendar data from Hostaway.")
    arrival = days.get(start)
    if arrival is not None:
        if arrival.min_stay and len(nights) < arrival.min_stay:
            reasons.append(
                f"Minimum stay for arrival on {start} is {arrival.min_stay} nights "
                f"(asked for {len(nights)})."
            )
        if arrival.max_stay and len(nights) > arrival.max_stay:
            reasons.append(f"Maximum stay for arrival on {start} is {arrival.max_stay} nights.")
        if arrival.closed_on_arrival:
            reasons.append(f"Arrivals are closed on {start}.")
    departure = days.get(end)
    if departure is not None and departure.closed_on_departure:
        reasons.append(f"Departures are closed on {end}.")
    prices = [days[night].price for night in nights if night in days]
    total = (
        round2(sum(p for p in prices if p is not None))
        if prices and all(p is not None for p in prices) and len(prices) == len(nights)
        else None
    )
    return StayCheck(
        available=not reasons, reasons=reasons, unavailable_dates=unavailable, total_price=total
    )


def capacity_reason(listing: Listing, guests: int) -> str | None:
    """Why a party does not fit the listing, or None when it does."""
    if listing.max_guests and guests > listing.max_guests:
        return (
            f"{listing.name} (listing {listing.id}) sleeps at most {listing.max_guests} guests; "
            f"asked for {guests}."
        )
    return None


def check_capacity(listing: Listing, guests: int) -> None:
    """Refuse a party larger than the listing sleeps."""
    if (reason := capacity_reason(listing, guests)) is not None:
        raise ValidationFailed(reason)
