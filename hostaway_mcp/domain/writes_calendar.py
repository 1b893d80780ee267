"""update_calendar: availability, nightly price, minimum stay and note for a range of nights."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import ValidationFailed
from ..hostaway.adapter import Gateway, last_night
from .availability import MAX_STAY_NIGHTS, nights_of, validate_period
from .formatting import round2
from .models.writes import WriteOutcome, WriteResult
from .write_checks import (
    blocking_overlaps,
    booking_label,
    dates_text,
    money_text,
    occupied_days,
    range_text,
    stay_text,
)
from .writes import PlannedWrite, execute, fresh_calendar, listing_label, require_change

MAX_PRICE = 1_000_000.0
MAX_MIN_STAY = 365


def _check_values(price: float | None, min_stay: int | None) -> None:
    if price is not None and not 0 < price <= MAX_PRICE:
        raise ValidationFailed(f"price must be above 0 and at most {MAX_PRICE:,.0f}; got {price}.")
    if min_stay is not None and not 1 <= min_stay <= MAX_MIN_STAY:
        raise ValidationFailed(f"min_stay must be 1 to {MAX_MIN_STAY} nights; got {min_stay}.")


async def update_calendar(
    gateway: Gateway,
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
    validate_period(start_date, end_date, max_nights=MAX_STAY_NIGHTS)
    nights = nights_of(start_date, end_date)
    _check_values(price, min_stay)
    changes: dict[str, Any] = {
        "isAvailable": None if available is None else int(available),
        "price": None if price is None else round2(price),
        "minimumStay": min_stay,
        "note": note,
    }
    changes = {key: value for key, value in changes.items() if value is not None}
    require_change(changes, "available, price, min_stay or note")

    listing = await gateway.listing(listing_id)
    last = last_night(end_date)
    days = await fresh_calendar(gateway, listing_id, start_date, last)
    current = [days[night] for night in nights if night in days]
    warnings: list[str] = []
    booked = occupied_days(days, nights)
    if available:
        reservations = await gateway.reservations(
            # Broad documented bounds (inclusiveness is undocumented), exact overlap re-checked here.
            {
                "listingId": listing_id,
                "arrivalEndDate": end_date.isoformat(),
                "departureStartDate": start_date.isoformat(),
            }
        )
        holding = blocking_overlaps(reservations, listing_id, start_date, end_date)
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
    if len(current) < len(nights):
        warnings.append(
            f"Hostaway returned no calendar data for {len(nights) - len(current)} of these nights."
        )
    if start_date < (today or date.today()):
        warnings.append("Some of these nights are in the past; Hostaway may ignore them.")

    label = await listing_label(gateway, listing_id, listing.name)
    currency = listing.currency
    details = {
        "property": label,
        "nights": stay_text(start_date, end_date),
        "hostaway_range": f"startDate {start_date} to endDate {last} (Hostaway includes endDate)",
    }
    words: list[str] = []
    if available is not None:
        free = sum(1 for day in current if day.available)
        now = f"now {free} available, {len(current) - free} not"
        details["availability"] = f"{'available' if available else 'blocked'} ({now})"
        words.append("available" if available else "blocked")
    if price is not None:
        details["price"] = (
            f"{money_text(price, currency)} per night (now "
            f"{range_text([day.price for day in current], currency or '')})"
        )
        words.append(f"{money_text(price, currency)} per night")
    if min_stay is not None:
        details["minimum_stay"] = (
            f"{min_stay} night(s) (now {range_text([day.min_stay for day in current])})"
        )
        words.append(f"minimum stay {min_stay} night(s)")
    if note is not None:
        details["note"] = f'"{note}"' if note else "cleared"
        words.append("note set" if note else "note cleared")

    def outcome(result: Any) -> WriteOutcome:
        return WriteOutcome(
            kind="calendar",
            id=listing_id,
            days_updated=len(result) if isinstance(result, list) else None,
        )

    plan = PlannedWrite(
        tool="update_calendar",
        method="PUT",
        path=f"/listings/{listing_id}/calendar",
        body={"startDate": start_date.isoformat(), "endDate": last.isoformat(), **changes},
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
        touches_listing=listing_id,
    )
    return await execute(gateway, plan, confirm=confirm)
