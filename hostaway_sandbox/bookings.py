"""Reservation writes: create (with overbooking protection), partial update, cancel."""

from __future__ import annotations

from datetime import date
from typing import Any

from .catalog import ACCOUNT_ID, BLOCKING_STATUSES, BOOKABLE_CHANNELS, CHANNELS
from .errors import BadRequest
from .gen_reservations import apply_financials, cancellation_details
from .pricing import quote
from .shapes import RESERVATION_KEYS, blank, parse_day
from .store import Store
from .values import as_date, as_flag, as_int, as_number
from .views import conversation_shell, refresh_conversation

TEXT_FIELDS = (
    "guestName",
    "guestFirstName",
    "guestLastName",
    "guestEmail",
    "phone",
    "guestAddress",
    "guestCity",
    "guestZipCode",
    "guestCountry",
    "guestLocale",
    "hostNote",
    "guestNote",
    "comment",
    "doorCode",
    "doorCodeVendor",
    "doorCodeInstruction",
    "paymentMethod",
)
COUNT_FIELDS = ("adults", "children", "infants", "pets", "checkInTime", "checkOutTime")
FLAG_FIELDS = ("isStarred", "isArchived", "isPinned")


def _copy_fields(reservation: dict[str, Any], body: dict[str, Any]) -> None:
    """Copy the guest/notes/party fields present in ``body``, validating their types."""
    for name in TEXT_FIELDS:
        if name in body:
            value = body[name]
            if value is not None and not isinstance(value, str):
                raise BadRequest(f"Invalid {name}: expected a string")
            reservation[name] = value
    for name in COUNT_FIELDS:
        if name in body:
            value = body[name]
            reservation[name] = None if value is None else as_int(value, name, minimum=0)
    for name in FLAG_FIELDS:
        if name in body:
            reservation[name] = as_flag(body[name], name)
    if "isPaid" in body:
        reservation["isPaid"] = (
            None if body["isPaid"] is None else as_flag(body["isPaid"], "isPaid")
        )
    named = body.get("guestFirstName") or body.get("guestLastName")
    if named and "guestName" not in body:
        parts = (reservation["guestFirstName"], reservation["guestLastName"])
        reservation["guestName"] = " ".join(p for p in parts if p)


def _dates(body: dict[str, Any], arrival: date, departure: date) -> tuple[date, date]:
    if "arrivalDate" in body:
        arrival = as_date(body["arrivalDate"], "arrivalDate")
    if "departureDate" in body:
        departure = as_date(body["departureDate"], "departureDate")
    if departure <= arrival:
        raise BadRequest("departureDate must be after arrivalDate")
    return arrival, departure


def _check_free(
    store: Store, listing_id: int, arrival: date, departure: date, ignore: int | None = None
) -> None:
    night = store.calendar.first_unavailable(listing_id, arrival, departure, ignore)
    if night is not None:
        raise BadRequest(
            f"Listing {listing_id} is not available for {arrival}..{departure}: {night} is "
            "already reserved or blocked (use forceOverbooking=1 to override)"
        )


def _reprice(store: Store, reservation: dict[str, Any], body: dict[str, Any]) -> None:
    listing = store.listing(reservation["listingMapId"])
    priced = quote(
        listing,
        parse_day(reservation["arrivalDate"]),
        parse_day(reservation["departureDate"]),
        int(reservation["numberOfGuests"] or 1),
        lambda day: store.calendar.price(listing["id"], day),
    )
    apply_financials(reservation, listing, priced)
    if "totalPrice" in body:
        reservation["totalPrice"] = round(as_number(body["totalPrice"], "totalPrice"), 2)


def create_reservation(
    store: Store, body: dict[str, Any], *, force: bool, provider: str | None = None
) -> dict[str, Any]:
    if body.get("channelId") in (None, ""):
        raise BadRequest("channelId is required")
    channel_id = as_int(body["channelId"], "channelId")
    if channel_id not in BOOKABLE_CHANNELS:
        allowed = ", ".join(str(c) for c in BOOKABLE_CHANNELS)
        raise BadRequest(f"channelId {channel_id} is not allowed here; use one of {allowed}")
    if body.get("listingMapId") in (None, ""):
        raise BadRequest("listingMapId is required")
    listing = store.listing(as_int(body["listingMapId"], "listingMapId"))
    for name in ("arrivalDate", "departureDate"):
        if body.get(name) in (None, ""):
            raise BadRequest(f"{name} is required")
    arrival, departure = _dates(body, date.min, date.min)
    if not (body.get("guestName") or body.get("guestFirstName") or body.get("guestLastName")):
        raise BadRequest("guestName (or guestFirstName/guestLastName) is required")
    guests = as_int(body.get("numberOfGuests", 1), "numberOfGuests", minimum=1)
    if guests > int(listing["personCapacity"]):
        raise BadRequest(
            f"numberOfGuests exceeds the listing capacity ({listing['personCapacity']})"
        )
    if not force:
        _check_free(store, listing["id"], arrival, departure)

    stamp = store.stamp()
    reservation_id = store.next_id(store.reservations)
    channel_name, source = CHANNELS[channel_id]
    external = f"{ACCOUNT_ID}-{listing['id']}-{channel_id}-{reservation_id}"
    reservation = blank(RESERVATION_KEYS)
    reservation.update(
        id=reservation_id,
        hostawayReservationId=reservation_id,
        listingMapId=listing["id"],
        listingName=listing["name"],
        channelId=channel_id,
        channelName=channel_name,
        source=(provider or source)[:65],
        reservationId=external,
        channelReservationId=external,
        isProcessed=1,
        isInitial=0,
        isManuallyChecked=0,
        isInstantBooked=0,
        hasPullError=0,
        reservationDate=stamp,
        arrivalDate=arrival.isoformat(),
        departureDate=departure.isoformat(),
        nights=(departure - arrival).days,
        isDatesUnspecified=0,
        numberOfGuests=guests,
        adults=guests,
        checkInTime=listing["checkInTimeStart"],
        checkOutTime=listing["checkOutTime"],
        currency=listing["currencyCode"],
        status="new",
        isPaid=0,
        isStarred=0,
        isArchived=0,
        isPinned=0,
        customFieldValues=[],
        cancellationPolicyId=listing["cancellationPolicyId"],
        cancellationPolicy=listing["cancellationPolicy"],
        cancellationPolicyDetails=cancellation_details(listing["cancellationPolicy"], channel_id),
        insertedOn=stamp,
        updatedOn=stamp,
        latestActivityOn=stamp,
    )
    _copy_fields(reservation, body)
    _reprice(store, reservation, body)
    paid = reservation["isPaid"] == 1
    reservation["remainingBalance"] = 0.0 if paid else reservation["totalPrice"]
    store.add_reservation(reservation)

    conversation_id = store.next_id(store.conversations)
    conversation = conversation_shell(
        conversation_id,
        reservation,
        host_email=f"c-{conversation_id:032x}@host.sandbox.example.com",
        guest_email=f"c-{reservation_id:032x}@guest.sandbox.example.com",
    )
    store.add_conversation(conversation)
    refresh_conversation(conversation, [], reservation)
    return reservation


def update_reservation(
    store: Store, reservation_id: int, body: dict[str, Any], *, force: bool
) -> dict[str, Any]:
    reservation = store.reservation(reservation_id)
    listing_id = body.get("listingMapId", reservation["listingMapId"])
    if as_int(listing_id, "listingMapId") != reservation["listingMapId"]:
        raise BadRequest("listingMapId cannot be changed; cancel and create a new reservation")
    old_arrival = parse_day(reservation["arrivalDate"])
    old_departure = parse_day(reservation["departureDate"])
    arrival, departure = _dates(body, old_arrival, old_departure)
    moved = (arrival, departure) != (old_arrival, old_departure)
    blocking = reservation["status"] in BLOCKING_STATUSES
    if moved and blocking and not force:
        _check_free(store, reservation["listingMapId"], arrival, departure, ignore=reservation_id)
    if "numberOfGuests" in body:
        guests = as_int(body["numberOfGuests"], "numberOfGuests", minimum=1)
        capacity = int(store.listing(reservation["listingMapId"])["personCapacity"])
        if guests > capacity:
            raise BadRequest(f"numberOfGuests exceeds the listing capacity ({capacity})")
        reservation["numberOfGuests"] = guests

    _copy_fields(reservation, body)
    if moved:
        if blocking:
            store.release(reservation)
        reservation.update(
            previousArrivalDate=old_arrival.isoformat(),
            previousDepartureDate=old_departure.isoformat(),
            arrivalDate=arrival.isoformat(),
            departureDate=departure.isoformat(),
            nights=(departure - arrival).days,
        )
        if blocking:
            store.occupy(reservation)
        if reservation["status"] == "new":
            reservation["status"] = "modified"
    if reservation["status"] != "ownerStay" and (moved or "numberOfGuests" in body):
        _reprice(store, reservation, body)
    elif "totalPrice" in body:
        reservation["totalPrice"] = round(as_number(body["totalPrice"], "totalPrice"), 2)
    stamp = store.stamp()
    reservation.update(updatedOn=stamp, latestActivityOn=stamp)
    store.reservation_changed(reservation)
    return reservation


def cancel_reservation(store: Store, reservation_id: int, cancelled_by: Any) -> dict[str, Any]:
    if cancelled_by not in ("host", "guest"):
        raise BadRequest('cancelledBy must be "host" or "guest"')
    reservation = store.reservation(reservation_id)
    if reservation["status"] == "cancelled":
        return reservation  # idempotent, like any PUT
    if reservation["status"] in BLOCKING_STATUSES:
        store.release(reservation)
    stamp = store.stamp()
    reservation.update(
        status="cancelled",
        cancellationDate=stamp,
        cancelledBy=cancelled_by,
        doorCode=None,
        updatedOn=stamp,
        latestActivityOn=stamp,
    )
    store.reservation_changed(reservation)
    return reservation
