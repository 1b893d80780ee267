"""Creating a direct booking (not via a channel): every night free and the party within capacity,
or no request; what a booking made here is not stopped by (minimum stay, a past arrival, no price)
is said as a warning in the preview."""

from __future__ import annotations

from datetime import date

from ...errors import ValidationFailed
from ...hostaway import CalendarDay, Hostaway, Listing, NewBooking, commands
from ..availability import check_capacity, evaluate_stay, validate_period
from ..formatting import round2
from ..models.writes import WriteResult
from .bookings import free_calendar, reservation_outcome
from .checks import money_text, split_guest_name, stay_text
from .engine import PlannedWrite, created, execute, listing_label, not_blank

CREATED = {"stay": "Stay", "guest": "Guest", "guests": "Guests", "total_price": "Total price",
           "host_note": "Host note"}  # fmt: skip


def _creation_warnings(
    days: dict[date, CalendarDay],
    booking: NewBooking,
    total_price: float | None,
    today: date,
) -> list[str]:
    stay = evaluate_stay(days, booking.arrival, booking.departure)
    warnings = [
        f"{reason} A booking made here is not stopped by this rule: make sure it is intended."
        for reason in stay.reasons
    ]
    if booking.arrival < today:
        warnings.append("The arrival date is in the past.")
    if total_price is None:
        nightly = money_text(stay.total_price, booking.currency)
        warnings.append(
            "No total_price given, so none is sent: check the booking's price in Hostaway "
            f"afterwards. The nightly rates add up to {nightly} (before fees; get_price_quote "
            "gives Hostaway's full price)."
        )
    if booking.currency is None:
        warnings.append("The listing has no currency in Hostaway, so none is sent.")
    return warnings


def _creation_details(
    booking: NewBooking, listing: Listing, label: str, total_price: float | None
) -> dict[str, str]:
    capacity = f" (sleeps {listing.max_guests})" if listing.max_guests else ""
    details = {
        "property": label,
        "stay": stay_text(booking.arrival, booking.departure),
        "guest": booking.guest_name,
        "guests": f"{booking.guests}{capacity}",
        "email": booking.guest_email or "none",
        "phone": booking.phone or "none",
        "total_price": money_text(total_price, booking.currency),
        "channel": f"direct (channelId {commands.DIRECT_CHANNEL_ID})",
    }
    if booking.host_note:
        details["host_note"] = booking.host_note
    return details


async def create_booking(
    hostaway: Hostaway,
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
    listing = await hostaway.listing(listing_id)
    check_capacity(listing, guests)
    days = await free_calendar(hostaway, listing_id, arrival_date, departure_date)
    first, last = split_guest_name(name)
    booking = NewBooking(
        listing_id=listing_id,
        arrival=arrival_date,
        departure=departure_date,
        guest_name=name,
        guest_first_name=first,
        guest_last_name=last,
        guests=guests,
        guest_email=guest_email,
        phone=phone,
        total_price=None if total_price is None else round2(total_price),
        currency=listing.currency,
        host_note=note,
    )
    label = await listing_label(hostaway, listing_id, listing.name)
    details = _creation_details(booking, listing, label, total_price)
    plan = PlannedWrite(
        tool="create_booking",
        command=commands.create_reservation(booking),
        verbs=("create", "created"),
        what=(
            f"a direct booking at {label}, {guests} guest(s), "
            f"{stay_text(arrival_date, departure_date)}"
        ),
        details=details,
        changes=created(details, CREATED),
        target_type="listing",
        target_id=listing_id,
        outcome=reservation_outcome,
        how_to_check=(
            f"First check with search_bookings(listing_id={listing_id}, "
            f"arrival_from={arrival_date}, arrival_to={arrival_date}) whether the booking was "
            "created; another create_booking could make a duplicate."
        ),
        warnings=_creation_warnings(days, booking, total_price, today or date.today()),
    )
    return await execute(hostaway, plan, confirm=confirm)
