"""update_calendar: availability, nightly price, minimum stay and note for a range of nights."""

from __future__ import annotations

from datetime import date

from ...errors import ValidationFailed
from ...hostaway import (
    CalendarChange,
    CalendarDay,
    DateRange,
    Hostaway,
    Listing,
    ReservationQuery,
    commands,
)
from ..availability import MAX_STAY_NIGHTS, validate_period
from ..dates import nights_of
from ..formatting import round2
from ..models.writes import Change, WriteOutcome, WriteResult
from .checks import (
    blocking_overlaps,
    booking_label,
    dates_text,
    money_text,
    nights_text,
    occupied_days,
    range_text,
    stay_text,
)
from .engine import PlannedWrite, execute, listing_label

MAX_PRICE = 1_000_000.0
MAX_MIN_STAY = 365


def _validate(start: date, end: date, change: CalendarChange) -> CalendarChange:
    """The change as it will be sent (price rounded); a clear error for values out of range."""
    validate_period(start, end, max_nights=MAX_STAY_NIGHTS)
    if change.price is not None and not 0 < change.price <= MAX_PRICE:
        raise ValidationFailed(
            f"price must be above 0 and at most {MAX_PRICE:,.0f}; got {change.price}."
        )
    if change.min_stay is not None and not 1 <= change.min_stay <= MAX_MIN_STAY:
        raise ValidationFailed(
            f"min_stay must be 1 to {MAX_MIN_STAY} nights; got {change.min_stay}."
        )
    if all(v is None for v in (change.available, change.price, change.min_stay, change.note)):
        raise ValidationFailed(
            "Nothing to change: give at least one of available, price, min_stay or note."
        )
    price = None if change.price is None else round2(change.price)
    return CalendarChange(change.available, price, change.min_stay, change.note)


async def _conflicts(
    hostaway: Hostaway,
    listing_id: int,
    start: date,
    end: date,
    change: CalendarChange,
    days: dict[date, CalendarDay],
    today: date,
) -> list[str]:
    """Refuse to open nights a booking holds; warn about everything else worth knowing."""
    nights = nights_of(start, end)
    booked = occupied_days(days, nights)
    warnings: list[str] = []
    if change.available:
        # Broad documented bounds (inclusiveness is undocumented), exact overlap re-checked here.
        reservations = await hostaway.reservations(
            ReservationQuery([listing_id], arriving=DateRange(last=end), departing=DateRange(start))
        )
        holding = blocking_overlaps(reservations, listing_id, start, end)
        if holding or booked:
            held = "; ".join(booking_label(r) for r in holding) or (
                f"the calendar shows {dates_text(booked)} as reserved"
            )
            raise ValidationFailed(
                "Cannot mark these nights available: a booking holds some of them: "
                f"{held}. Choose nights outside the booking, or move or cancel the booking first "
                "(update_booking / cancel_booking)."
            )
    elif booked:
        warnings.append(
            f"{len(booked)} of these nights are booked ({dates_text(booked)}); this change does "
            "not alter those bookings or their prices."
        )
    missing = sum(1 for night in nights if night not in days)
    if missing:
        warnings.append(f"Hostaway returned no calendar data for {missing} of these nights.")
    if start < today:
        warnings.append("Some of these nights are in the past; Hostaway may ignore them.")
    return warnings


def _describe(
    listing: Listing, change: CalendarChange, current: list[CalendarDay]
) -> tuple[dict[str, str], list[str]]:
    """Before -> after for each value being set, and the same in a few words."""
    currency = listing.currency
    details: dict[str, str] = {}
    words: list[str] = []
    if change.available is not None:
        free = sum(1 for day in current if day.available)
        now = f"now {free} available, {len(current) - free} not"
        details["availability"] = f"{'available' if change.available else 'blocked'} ({now})"
        words.append("available" if change.available else "blocked")
    if change.price is not None:
        price = money_text(change.price, currency)
        details["price"] = (
            f"{price} per night (now {range_text([d.price for d in current], currency or '')})"
        )
        words.append(f"{price} per night")
    if change.min_stay is not None:
        details["minimum_stay"] = (
            f"{change.min_stay} night(s) (now {range_text([d.min_stay for d in current])})"
        )
        words.append(f"minimum stay {change.min_stay} night(s)")
    if change.note is not None:
        details["note"] = f'"{change.note}"' if change.note else "cleared"
        words.append("note set" if change.note else "note cleared")
    return details, words


def _changes(listing: Listing, change: CalendarChange, current: list[CalendarDay]) -> list[Change]:
    """Each value being set: what the nights hold now (one value, a range, or how it varies)
    -> the new value."""
    rows: list[Change] = []
    if change.available is not None:
        free = sum(1 for day in current if day.available)
        now = {len(current): "available", 0: "not available"}.get(free)
        rows.append(
            Change(
                field="availability",
                label="Availability",
                before=(now or f"{free} available, {len(current) - free} not") if current else None,
                after="available" if change.available else "blocked",
            )
        )
    if change.price is not None:
        now = range_text([day.price for day in current], listing.currency or "")
        rows.append(
            Change(
                field="price",
                label="Price per night",
                before=None if now == "not set" else now,
                after=money_text(change.price, listing.currency),
            )
        )
    if change.min_stay is not None:
        stays = sorted({day.min_stay for day in current if day.min_stay is not None})
        rows.append(
            Change(
                field="minimum_stay",
                label="Minimum stay",
                before=(
                    None
                    if not stays
                    else nights_text(stays[0])
                    if len(stays) == 1
                    else f"{stays[0]} to {stays[-1]} nights"
                ),
                after=nights_text(change.min_stay),
            )
        )
    if change.note is not None:
        notes = {day.note or None for day in current}
        noted = sum(1 for day in current if day.note)
        before = (
            None
            if noted == 0
            else next(iter(notes))
            if len(notes) == 1
            else f"differs by night ({noted} of {len(current)} nights have a note)"
        )
        rows.append(Change(field="note", label="Note", before=before, after=change.note or None))
    return rows


async def update_calendar(
    hostaway: Hostaway,
    *,
    listing_id: int,
    start_date: date,
    end_date: date,
    available: bool | None,
    price: float | None,
    min_stay: int | None,
    note: str | None,
    confirm: bool,
    today: date | None = None,
) -> WriteResult:
    change = _validate(start_date, end_date, CalendarChange(available, price, min_stay, note))
    listing = await hostaway.listing(listing_id)
    nights = DateRange.of_nights(start_date, end_date)
    days = await hostaway.calendar(listing_id, nights, fresh=True)
    warnings = await _conflicts(
        hostaway, listing_id, start_date, end_date, change, days, today or date.today()
    )
    current = [days[night] for night in nights_of(start_date, end_date) if night in days]
    command = commands.update_calendar(listing_id, nights, change)
    label = await listing_label(hostaway, listing_id, listing.name)
    described, words = _describe(listing, change, current)
    details = {
        "property": label,
        "nights": stay_text(start_date, end_date),
        "hostaway_range": command.range_note or "",
        **described,
    }

    def outcome(days_updated: int | None) -> WriteOutcome:
        return WriteOutcome(kind="calendar", id=listing_id, days_updated=days_updated)

    plan = PlannedWrite(
        tool="update_calendar",
        command=command,
        verbs=("update", "updated"),
        what=f"the calendar of {label} for {stay_text(start_date, end_date)}: {', '.join(words)}",
        details=details,
        target_type="listing",
        target_id=listing_id,
        outcome=outcome,
        how_to_check=(
            f"Check the nights with check_availability(listing_id={listing_id}, "
            f"start_date={start_date}, end_date={end_date}); setting the same values again is "
            "harmless."
        ),
        warnings=warnings,
        changes=_changes(listing, change, current),
    )
    return await execute(hostaway, plan, confirm=confirm)
