"""Pure rules and wording for the write tools: which nights a write would collide with, and how to
say dates, money and values in a preview. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime

from ...hostaway import CalendarDay, Reservation
from ..formatting import round2

# Calendar day statuses that mean a booking (or a booking request) holds the night.
OCCUPIED_DAY_STATUSES = frozenset({"reserved", "pending"})
SHOWN_DATES = 5


def blocking_overlaps(
    reservations: Iterable[Reservation],
    listing_id: int,
    start: date,
    end: date,
    *,
    exclude_id: int | None = None,
) -> list[Reservation]:
    """Live bookings and owner stays of this listing holding any night of [start, end)."""
    return sorted(
        (
            r
            for r in reservations
            if r.blocks_calendar
            and r.listing_id == listing_id
            and r.id != exclude_id
            and r.arrival is not None
            and r.departure is not None
            and r.arrival < end
            and r.departure > start
        ),
        key=lambda r: (r.arrival or date.min, r.id),
    )


def occupied_days(days: Mapping[date, CalendarDay], nights: Iterable[date]) -> list[date]:
    """Nights the calendar itself shows as reserved or pending."""
    return [
        night for night in nights if night in days and days[night].status in OCCUPIED_DAY_STATUSES
    ]


def unfree_nights(
    days: Mapping[date, CalendarDay], nights: Iterable[date], own: Iterable[date] = ()
) -> list[date]:
    """Nights that are not available (or have no calendar data), ignoring `own` nights (those a
    booking being moved already holds)."""
    mine = set(own)
    return [
        night
        for night in nights
        if night not in mine and not (night in days and days[night].available)
    ]


def split_guest_name(name: str) -> tuple[str, str | None]:
    """'Ana Maria Smith' -> ('Ana', 'Maria Smith'): first word, then the rest; one word stays whole."""
    parts = name.split()
    if len(parts) < 2:
        return name.strip(), None
    return parts[0], " ".join(parts[1:])


def as_utc(moment: datetime) -> datetime:
    """A naive datetime is taken as UTC (and the preview says so)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc_text(moment: datetime) -> str:
    """Hostaway's datetime format: zone-less UTC."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S")


def dates_text(dates: list[date]) -> str:
    shown = ", ".join(d.isoformat() for d in dates[:SHOWN_DATES])
    more = len(dates) - SHOWN_DATES
    return f"{shown} and {more} more" if more > 0 else shown


def stay_text(start: date, end: date) -> str:
    return f"{nights_text((end - start).days)}, {start} to check-out {end}"


def nights_text(nights: int) -> str:
    return f"{nights} night{'s' if nights != 1 else ''}"


def money_text(amount: float | None, currency: str | None) -> str:
    if amount is None:
        return "not set"
    return f"{round2(amount):,.2f} {currency or '(currency unknown)'}"


def range_text(values: Iterable[float | int | None], unit: str = "") -> str:
    """The current values of some nights in a few words: '200.00', '180.00 to 220.00', 'not set'."""
    present = sorted({v for v in values if v is not None})
    suffix = f" {unit}" if unit else ""
    if not present:
        return "not set"
    shown = [f"{v:,.2f}" if isinstance(v, float) else str(v) for v in (present[0], present[-1])]
    if len(present) == 1:
        return f"{shown[0]}{suffix}"
    return f"{shown[0]} to {shown[1]}{suffix}"


def booking_label(r: Reservation) -> str:
    """'reservation 101 (2026-06-10 to 2026-06-13, airbnb)' for previews and refusals. Never the
    guest's name: that is the guest's text, and it travels in its own (fenced) field."""
    parts = [p for p in (_dates(r), r.channel) if p]
    return f"reservation {r.id}" + (f" ({', '.join(parts)})" if parts else "")


def _dates(r: Reservation) -> str | None:
    if r.arrival is None or r.departure is None:
        return None
    return f"{r.arrival} to {r.departure}"
