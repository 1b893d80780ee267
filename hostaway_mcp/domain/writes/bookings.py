"""Booking writes: change a booking, cancel one; and the live checks that creating one
(`new_booking`) shares: the nights must be free, and what Hostaway answered."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ...errors import ValidationFailed
from ...hostaway import (
    BookingChange,
    CalendarDay,
    DateRange,
    Hostaway,
    Reservation,
    commands,
)
from ..availability import check_capacity, validate_period
from ..dates import nights_of
from ..fencing import NO_SECRETS, KnownSecrets, fence, scrub
from ..formatting import shorten
from ..models.bookings import NOTE_CHARS
from ..models.writes import Change, WriteOutcome, WriteResult
from ..names import secrets_for
from .checks import (
    booking_label,
    dates_text,
    money_text,
    stay_text,
    unfree_nights,
)
from .engine import PlannedWrite, execute, listing_label

# Bookings a host manages in Hostaway itself (direct, booking engine); the others belong to a
# booking site.
HOST_CHANNELS = frozenset({2000, 2013})


def reservation_outcome(booking: Reservation | None) -> WriteOutcome:
    return WriteOutcome(
        kind="reservation",
        id=booking.id if booking and booking.id else None,
        status=booking.status if booking else None,
    )


def _refuse_unfree(nights: list[date], listing_id: int) -> None:
    raise ValidationFailed(
        f"Not free: {dates_text(nights)} (listing {listing_id}) is booked, blocked or has no "
        "calendar data. Pick other dates (check_availability / find_available_properties); this "
        "server never overbooks."
    )


async def free_calendar(
    hostaway: Hostaway,
    listing_id: int,
    arrival: date,
    departure: date,
    own: list[date] | None = None,
) -> dict[date, CalendarDay]:
    """The live calendar through the departure day (its closed-to-departure flag matters too);
    refuses when a night is not free (`own` nights, held by the booking being moved, are)."""
    days = await hostaway.calendar(listing_id, DateRange(arrival, departure), fresh=True)
    taken = unfree_nights(days, nights_of(arrival, departure), own or [])
    if taken:
        _refuse_unfree(taken, listing_id)
    return days


# ---- change ------------------------------------------------------------------------------------


async def _live_booking(hostaway: Hostaway, reservation_id: int, doing: str) -> Reservation:
    booking = await hostaway.reservation(reservation_id)
    if booking.status == "cancelled":
        when = f" on {booking.cancellation_date:%Y-%m-%d}" if booking.cancellation_date else ""
        raise ValidationFailed(
            f"Reservation {reservation_id} is already cancelled{when}; cannot {doing} it."
        )
    return booking


def _channel_warning(booking: Reservation, doing: str) -> list[str]:
    if booking.channel_id is None or booking.channel_id in HOST_CHANNELS:
        return []
    channel = booking.channel or f"channel {booking.channel_id}"
    return [
        f"This booking came from {channel}: {doing} is normally done on {channel}. Hostaway may "
        f"refuse it, or {channel} may not follow; its own policies and refund rules apply."
    ]


async def _new_dates(
    hostaway: Hostaway,
    booking: Reservation,
    arrival_date: date | None,
    departure_date: date | None,
) -> tuple[date, date] | None:
    """The booking's new stay when the dates change (checked free), else None."""
    arrival = arrival_date or booking.arrival
    departure = departure_date or booking.departure
    if (arrival, departure) == (booking.arrival, booking.departure):
        return None
    if arrival is None or departure is None or booking.listing_id is None:
        raise ValidationFailed(
            f"Reservation {booking.id} has no complete dates or listing in Hostaway; "
            "change its dates in Hostaway itself."
        )
    validate_period(arrival, departure, start_name="arrival_date", end_name="departure_date")
    own = (
        nights_of(booking.arrival, booking.departure)
        if booking.blocks_calendar and booking.arrival and booking.departure
        else []
    )
    await free_calendar(hostaway, booking.listing_id, arrival, departure, own)
    return arrival, departure


async def _plan_change(
    hostaway: Hostaway,
    booking: Reservation,
    *,
    guests: int | None,
    guest_note: str | None,
    host_note: str | None,
    arrival_date: date | None,
    departure_date: date | None,
) -> tuple[BookingChange, dict[str, str], list[str]]:
    """Only what differs from the booking now: the change, its before -> after, and warnings."""
    details = {"booking": booking_label(booking)}
    warnings: list[str] = []
    new_guests = guests if guests is not None and guests != booking.guests else None
    if new_guests is not None:
        if booking.listing_id is not None:
            check_capacity(await hostaway.listing(booking.listing_id), new_guests)
        shown = booking.guests if booking.guests is not None else "?"
        details["guests"] = f"{shown} -> {new_guests}"
    notes: dict[str, str | None] = {}
    for key, value, current in (
        ("guest_note", guest_note, booking.guest_note),
        ("host_note", host_note, booking.host_note),
    ):
        changed = value is not None and value != (current or "")
        notes[key] = value if changed else None
        if changed:
            details[key] = f'"{value}"' if value else "cleared"
    stay = await _new_dates(hostaway, booking, arrival_date, departure_date)
    if stay is not None:
        details["dates"] = f"{booking.arrival} to {booking.departure} -> {stay_text(*stay)}"
        warnings.append(
            f"The total price ({money_text(booking.total_price, booking.currency)}) is not changed "
            "by this request; adjust it in Hostaway if the new dates cost more or less."
        )
    if new_guests is not None or stay is not None:
        warnings.extend(_channel_warning(booking, "changing dates or guests"))
    change = BookingChange(
        guests=new_guests,
        guest_note=notes["guest_note"],
        host_note=notes["host_note"],
        arrival=stay[0] if stay and stay[0] != booking.arrival else None,
        departure=stay[1] if stay and stay[1] != booking.departure else None,
    )
    return change, details, warnings


def _booking_changes(
    booking: Reservation, change: BookingChange, secrets: KnownSecrets
) -> list[Change]:
    """Before -> after of what the request sets. The guest note is the guest's own text: its
    current value stays fenced. Current notes are shown as get_booking_details shows them."""

    def now(note: str | None) -> str | None:
        return shorten(scrub(note, secrets), NOTE_CHARS) or None

    rows: list[Change] = []
    if change.guests is not None:
        before = None if booking.guests is None else str(booking.guests)
        rows.append(Change(field="guests", label="Guests", before=before, after=str(change.guests)))
    if change.guest_note is not None:
        rows.append(
            Change(
                field="guest_note",
                label="Guest note",
                after=change.guest_note or None,
                untrusted=fence(guest_note=now(booking.guest_note)),
            )
        )
    if change.host_note is not None:
        rows.append(
            Change(
                field="host_note",
                label="Host note",
                before=now(booking.host_note),
                after=change.host_note or None,
            )
        )
    arrival = change.arrival or booking.arrival
    departure = change.departure or booking.departure
    if (change.arrival or change.departure) and arrival and departure:
        before = (
            stay_text(booking.arrival, booking.departure)
            if booking.arrival and booking.departure
            else None
        )
        rows.append(
            Change(field="dates", label="Stay", before=before, after=stay_text(arrival, departure))
        )
    return rows


async def update_booking(
    hostaway: Hostaway,
    *,
    reservation_id: int,
    guests: int | None,
    guest_note: str | None,
    host_note: str | None,
    arrival_date: date | None,
    departure_date: date | None,
    confirm: bool,
) -> WriteResult:
    asked = (guests, guest_note, host_note, arrival_date, departure_date)
    if all(value is None for value in asked):
        raise ValidationFailed(
            "Nothing to change: give at least one of guests, guest_note, host_note, "
            "arrival_date or departure_date."
        )
    booking = await _live_booking(hostaway, reservation_id, "change")
    change, details, warnings = await _plan_change(
        hostaway,
        booking,
        guests=guests,
        guest_note=guest_note,
        host_note=host_note,
        arrival_date=arrival_date,
        departure_date=departure_date,
    )
    moves = "dates" in details
    command = commands.update_reservation(
        reservation_id, change, listing_id=booking.listing_id if moves else None
    )
    if not command.body:
        raise ValidationFailed(
            f"Nothing to change: reservation {reservation_id} already has these values."
        )
    changed = ", ".join(key for key in details if key != "booking")
    notes = change.guest_note is not None or change.host_note is not None
    secrets = await secrets_for(hostaway, [booking.listing_id], [booking]) if notes else NO_SECRETS
    plan = PlannedWrite(
        tool="update_booking",
        command=command,
        verbs=("update", "updated"),
        what=f"{booking_label(booking)}: {changed}",
        details=details,
        target_type="reservation",
        target_id=reservation_id,
        outcome=reservation_outcome,
        how_to_check=(
            f"Check with get_booking_details(reservation_id={reservation_id}); setting the same "
            "values again is harmless."
        ),
        warnings=warnings,
        untrusted=fence(guest_name=booking.guest_name),
        changes=_booking_changes(booking, change, secrets),
    )
    return await execute(hostaway, plan, confirm=confirm)


# ---- cancel ------------------------------------------------------------------------------------


def _cancellation_details(
    booking: Reservation, label: str, cancelled_by: Literal["host", "guest"]
) -> dict[str, str]:
    paid = {True: "paid", False: "not paid", None: "payment unknown"}[booking.is_paid]
    dates = (
        stay_text(booking.arrival, booking.departure)
        if booking.arrival and booking.departure
        else "unknown"
    )
    confirmation = (
        f", confirmation {booking.confirmation_code}" if booking.confirmation_code else ""
    )
    return {
        "booking": f"reservation {booking.id}{confirmation}",
        "property": label,
        "dates": dates,
        "guests": str(booking.guests) if booking.guests is not None else "unknown",
        "amount": f"{money_text(booking.total_price, booking.currency)} ({paid})",
        "channel": booking.channel or "unknown",
        "status": f"{booking.status} -> cancelled",
        "cancelled_by": cancelled_by,
    }


async def cancel_booking(
    hostaway: Hostaway,
    *,
    reservation_id: int,
    cancelled_by: Literal["host", "guest"],
    confirm: bool,
) -> WriteResult:
    booking = await _live_booking(hostaway, reservation_id, "cancel")
    label = await listing_label(hostaway, booking.listing_id, booking.listing_name)
    warnings = _channel_warning(booking, "cancelling")
    if not booking.is_confirmed and booking.status != "ownerStay":
        warnings.append(
            f"Its status is {booking.status}, not a confirmed booking; Hostaway may refuse to "
            "cancel it."
        )
    plan = PlannedWrite(
        tool="cancel_booking",
        command=commands.cancel_reservation(
            reservation_id, cancelled_by, listing_id=booking.listing_id
        ),
        verbs=("cancel", "cancelled"),
        what=f"{booking_label(booking)} at {label} on behalf of the {cancelled_by}",
        details=_cancellation_details(booking, label, cancelled_by),
        target_type="reservation",
        target_id=reservation_id,
        outcome=reservation_outcome,
        how_to_check=(
            f"Check with get_booking_details(reservation_id={reservation_id}) whether its status "
            "is now cancelled."
        ),
        warnings=warnings,
        untrusted=fence(guest_name=booking.guest_name),
        changes=[Change(field="status", label="Status", before=booking.status, after="cancelled")],
    )
    return await execute(hostaway, plan, confirm=confirm)
