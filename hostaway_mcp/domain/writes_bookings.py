"""Booking writes: create a direct booking, change one, cancel one."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ..errors import ValidationFailed
from ..hostaway.adapter import Gateway
from ..hostaway.entities import Listing, Reservation
from .availability import evaluate_stay, nights_of, validate_period
from .formatting import round2
from .models.writes import WriteOutcome, WriteResult
from .write_checks import (
    booking_label,
    dates_text,
    money_text,
    split_guest_name,
    stay_text,
    unfree_nights,
)
from .writes import PlannedWrite, execute, fresh_calendar, listing_label, not_blank

DIRECT_CHANNEL_ID = 2000
# Bookings a host manages in Hostaway itself; the others belong to a booking site.
HOST_CHANNELS = frozenset({2000, 2013})


def _reservation_outcome(result: Any) -> WriteOutcome:
    booking = Reservation.from_api(result) if isinstance(result, dict) else None
    return WriteOutcome(
        kind="reservation",
        id=booking.id if booking and booking.id else None,
        status=booking.status if booking else None,
    )


def _check_capacity(listing: Listing, guests: int) -> None:
    if listing.max_guests and guests > listing.max_guests:
        raise ValidationFailed(
            f"{listing.name} (listing {listing.id}) sleeps at most {listing.max_guests} guests; "
            f"asked for {guests}."
        )


def _refuse_unfree(nights: list[date], listing_id: int) -> None:
    raise ValidationFailed(
        f"Not free: {dates_text(nights)} (listing {listing_id}) is booked, blocked or has no "
        "calendar data. Pick other dates (check_availability / find_available_properties); this "
        "server never overbooks."
    )


async def create_booking(
    gateway: Gateway,
    *,
    listing_id: int,
    arrival_date: date,
    departure_date: date,
    guest_name: str,
    guests: int,
    guest_email: str | None,
    phone: str | None,
    total_price: float | None,
    note: str | None,
    confirm: bool,
    today: date | None = None,
) -> WriteResult:
    validate_period(
        arrival_date, departure_date, start_name="arrival_date", end_name="departure_date"
    )
    name = not_blank(guest_name, "guest_name")
    if total_price is not None and total_price < 0:
        raise ValidationFailed(f"total_price must not be negative; got {total_price}.")
    listing = await gateway.listing(listing_id)
    _check_capacity(listing, guests)
    # Through the departure day: its closed-on-departure flag matters too.
    days = await fresh_calendar(gateway, listing_id, arrival_date, departure_date)
    taken = unfree_nights(days, nights_of(arrival_date, departure_date))
    if taken:
        _refuse_unfree(taken, listing_id)
    stay = evaluate_stay(days, arrival_date, departure_date)
    warnings = [
        f"{reason} A booking made here is not stopped by this rule: make sure it is intended."
        for reason in stay.reasons
    ]
    if arrival_date < (today or date.today()):
        warnings.append("The arrival date is in the past.")
    currency = listing.currency
    if total_price is None:
        nightly = money_text(stay.total_price, currency)
        warnings.append(
            "No total_price given, so none is sent: check the booking's price in Hostaway "
            f"afterwards. The nightly rates add up to {nightly} (before fees; get_price_quote "
            "gives Hostaway's full price)."
        )
    if currency is None:
        warnings.append("The listing has no currency in Hostaway, so none is sent.")

    first, last = split_guest_name(name)
    body: dict[str, Any] = {
        "channelId": DIRECT_CHANNEL_ID,
        "listingMapId": listing_id,
        "arrivalDate": arrival_date.isoformat(),
        "departureDate": departure_date.isoformat(),
        "guestName": name,
        "guestFirstName": first,
        "guestLastName": last,
        "guestEmail": guest_email,
        "phone": phone,
        "numberOfGuests": guests,
        "totalPrice": None if total_price is None else round2(total_price),
        "currency": currency,
        "hostNote": note,
    }
    body = {key: value for key, value in body.items() if value is not None}
    label = await listing_label(gateway, listing_id, listing.name)
    capacity = f" (sleeps {listing.max_guests})" if listing.max_guests else ""
    details = {
        "property": label,
        "stay": stay_text(arrival_date, departure_date),
        "guest": name,
        "guests": f"{guests}{capacity}",
        "email": guest_email or "none",
        "phone": phone or "none",
        "total_price": money_text(total_price, currency),
        "channel": f"direct (channelId {DIRECT_CHANNEL_ID})",
    }
    if note:
        details["host_note"] = note
    plan = PlannedWrite(
        tool="create_booking",
        method="POST",
        path="/reservations",
        body=body,
        verbs=("create", "created"),
        what=(
            f"a direct booking at {label} for {name}, {guests} guest(s), "
            f"{stay_text(arrival_date, departure_date)}"
        ),
        details=details,
        target_type="listing",
        target_id=listing_id,
        outcome=_reservation_outcome,
        how_to_check=(
            f"First check with search_bookings(listing_id={listing_id}, "
            f"arrival_from={arrival_date}, arrival_to={arrival_date}) whether the booking was "
            "created; another create_booking could make a duplicate."
        ),
        warnings=warnings,
        creates=True,
        touches_listing=listing_id,
    )
    return await execute(gateway, plan, confirm=confirm)


async def _live_booking(gateway: Gateway, reservation_id: int, doing: str) -> Reservation:
    booking = await gateway.reservation(reservation_id)
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


async def update_booking(
    gateway: Gateway,
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
    booking = await _live_booking(gateway, reservation_id, "change")
    body: dict[str, Any] = {}
    details = {"booking": booking_label(booking)}
    warnings: list[str] = []
    touches: int | None = None

    if guests is not None and guests != booking.guests:
        if booking.listing_id is not None:
            _check_capacity(await gateway.listing(booking.listing_id), guests)
        body["numberOfGuests"] = guests
        details["guests"] = f"{booking.guests if booking.guests is not None else '?'} -> {guests}"
    for key, field, value, current in (
        ("guest_note", "guestNote", guest_note, booking.guest_note),
        ("host_note", "hostNote", host_note, booking.host_note),
    ):
        if value is not None and value != (current or ""):
            body[field] = value
            details[key] = f'"{value}"' if value else "cleared"

    arrival = arrival_date or booking.arrival
    departure = departure_date or booking.departure
    if (arrival, departure) != (booking.arrival, booking.departure):
        if arrival is None or departure is None or booking.listing_id is None:
            raise ValidationFailed(
                f"Reservation {reservation_id} has no complete dates or listing in Hostaway; "
                "change its dates in Hostaway itself."
            )
        validate_period(arrival, departure, start_name="arrival_date", end_name="departure_date")
        days = await fresh_calendar(gateway, booking.listing_id, arrival, departure)
        own = (
            nights_of(booking.arrival, booking.departure)
            if booking.blocks_calendar and booking.arrival and booking.departure
            else []
        )
        taken = unfree_nights(days, nights_of(arrival, departure), own)
        if taken:
            _refuse_unfree(taken, booking.listing_id)
        if arrival != booking.arrival:
            body["arrivalDate"] = arrival.isoformat()
        if departure != booking.departure:
            body["departureDate"] = departure.isoformat()
        details["dates"] = (
            f"{booking.arrival} to {booking.departure} -> {stay_text(arrival, departure)}"
        )
        warnings.append(
            f"The total price ({money_text(booking.total_price, booking.currency)}) is not changed "
            "by this request; adjust it in Hostaway if the new dates cost more or less."
        )
        touches = booking.listing_id
    if not body:
        raise ValidationFailed(
            f"Nothing to change: reservation {reservation_id} already has these values."
        )
    if "numberOfGuests" in body or touches is not None:
        warnings.extend(_channel_warning(booking, "changing dates or guests"))
    changed = ", ".join(key for key in details if key != "booking")
    plan = PlannedWrite(
        tool="update_booking",
        method="PUT",
        path=f"/reservations/{reservation_id}",
        body=body,
        verbs=("update", "updated"),
        what=f"{booking_label(booking)}: {changed}",
        details=details,
        target_type="reservation",
        target_id=reservation_id,
        outcome=_reservation_outcome,
        how_to_check=(
            f"Check with get_booking_details(reservation_id={reservation_id}); setting the same "
            "values again is harmless."
        ),
        warnings=warnings,
        touches_listing=touches,
    )
    return await execute(gateway, plan, confirm=confirm)


async def cancel_booking(
    gateway: Gateway,
    *,
    reservation_id: int,
    cancelled_by: Literal["host", "guest"],
    confirm: bool,
) -> WriteResult:
    booking = await _live_booking(gateway, reservation_id, "cancel")
    label = await listing_label(gateway, booking.listing_id, booking.listing_name)
    warnings = _channel_warning(booking, "cancelling")
    if not booking.is_confirmed and booking.status != "ownerStay":
        warnings.append(
            f"Its status is {booking.status}, not a confirmed booking; Hostaway may refuse to "
            "cancel it."
        )
    paid = {True: "paid", False: "not paid", None: "payment unknown"}[booking.is_paid]
    dates = (
        stay_text(booking.arrival, booking.departure)
        if booking.arrival and booking.departure
        else "unknown"
    )
    details = {
        "booking": f"reservation {reservation_id}"
        + (f", confirmation {booking.confirmation_code}" if booking.confirmation_code else ""),
        "guest": booking.guest_name or "unknown",
        "property": label,
        "dates": dates,
        "guests": str(booking.guests) if booking.guests is not None else "unknown",
        "amount": f"{money_text(booking.total_price, booking.currency)} ({paid})",
        "channel": booking.channel or "unknown",
        "status": f"{booking.status} -> cancelled",
        "cancelled_by": cancelled_by,
    }
    plan = PlannedWrite(
        tool="cancel_booking",
        method="PUT",
        path=f"/reservations/{reservation_id}/statuses/cancelled",
        body={"cancelledBy": cancelled_by},
        verbs=("cancel", "cancelled"),
        what=f"{booking_label(booking)} at {label} on behalf of the {cancelled_by}",
        details=details,
        target_type="reservation",
        target_id=reservation_id,
        outcome=_reservation_outcome,
        how_to_check=(
            f"Check with get_booking_details(reservation_id={reservation_id}) whether its status "
            "is now cancelled."
        ),
        warnings=warnings,
        # A cancellation reaches the guest and the channel: never sent twice automatically.
        creates=True,
        touches_listing=booking.listing_id,
    )
    return await execute(gateway, plan, confirm=confirm)
