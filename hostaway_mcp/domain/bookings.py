"""Bookings: search, details, guests, and the day-by-day arrivals/departures board."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from ..errors import ValidationFailed
from ..hostaway.adapter import Gateway, Progress, no_progress
from ..hostaway.channels import resolve_channel
from ..hostaway.entities import Reservation
from .cursor import decode_cursor, encode_cursor
from .models.bookings import (
    ArrivalsDepartures,
    BookingDetails,
    BookingList,
    BookingSummary,
    DayMovements,
    GuestInfo,
    PreviousStay,
)
from .paging import collect

MOVEMENT_STATUSES = ("new", "modified", "ownerStay")


async def listing_names(gateway: Gateway, reservations: Iterable[Reservation]) -> dict[int, str]:
    """Names for reservations that came without `listingName` (one cached listing scan)."""
    if all(r.listing_name or r.listing_id is None for r in reservations):
        return {}
    return {listing_id: item.name for listing_id, item in (await gateway.listing_names()).items()}


def _inclusive(value: date | None, low: date | None, high: date | None) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _check_range(low: date | None, high: date | None, what: str) -> None:
    if low is not None and high is not None and high < low:
        raise ValidationFailed(f"{what}_to ({high}) is before {what}_from ({low}).")


async def search_bookings(
    gateway: Gateway,
    *,
    listing_id: int | None,
    statuses: list[str] | None,
    arrival_from: date | None,
    arrival_to: date | None,
    departure_from: date | None,
    departure_to: date | None,
    guest_name: str | None,
    guest_email: str | None,
    channel: str | None,
    limit: int,
    cursor: str | None,
    progress: Progress = no_progress,
) -> BookingList:
    _check_range(arrival_from, arrival_to, "arrival")
    _check_range(departure_from, departure_to, "departure")
    channel_ids = resolve_channel(channel) if channel else None
    wanted = set(statuses or [])
    filters = {
        "listing_id": listing_id,
        "status": sorted(wanted),
        "arrival": [arrival_from, arrival_to],
        "departure": [departure_from, departure_to],
        "guest_name": guest_name,
        "guest_email": guest_email,
        "channel": channel,
    }
    after_id = decode_cursor(cursor, "search_bookings", filters)
    params = {
        "listingId": listing_id,
        "arrivalStartDate": arrival_from,
        "arrivalEndDate": arrival_to,
        "departureStartDate": departure_from,
        "departureEndDate": departure_to,
        "match": guest_name,
        "guestEmail": guest_email,
        "channelId": channel_ids[0] if channel_ids and len(channel_ids) == 1 else None,
    }
    params = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
    needle = (guest_name or "").strip().lower()
    email = (guest_email or "").strip().lower()

    def accept(r: Reservation) -> bool:
        return (
            (not wanted or r.status in wanted)
            and (listing_id is None or r.listing_id == listing_id)
            and _inclusive(r.arrival, arrival_from, arrival_to)
            and _inclusive(r.departure, departure_from, departure_to)
            and (not needle or needle in (r.guest_name or "").lower())
            and (not email or email == (r.guest_email or "").lower())
            and (channel_ids is None or r.channel_id in channel_ids)
        )

    found = await collect(
        gateway.reservation_pages(params, after_id=after_id), accept, limit, progress
    )
    names = await listing_names(gateway, found.items)
    resume: list[str | None] = [
        encode_cursor("search_bookings", position, filters) for position in found.positions
    ]
    return BookingList(
        bookings=[BookingSummary.of(r, names.get(r.listing_id or 0)) for r in found.items],
        next_cursor=resume[-1] if found.more and resume else None,
        filters_applied=_describe_filters(params, wanted, channel_ids, channel),
    ).with_resume(resume)


def _describe_filters(
    params: Mapping[str, object],
    statuses: set[str],
    channel_ids: tuple[int, ...] | None,
    channel: str | None,
) -> list[str]:
    described = [
        f"{name}={value} (Hostaway, re-checked here)"
        for name, value in params.items()
        if value is not None
    ]
    if channel_ids is not None and len(channel_ids) > 1:
        described.append(f"channel {channel} = ids {list(channel_ids)} (here, after fetching)")
    if statuses:
        described.append(f"status in {sorted(statuses)} (here: Hostaway has no status filter)")
    return described


async def get_booking_details(
    gateway: Gateway,
    reservation_id: int,
    *,
    include_access_codes: bool,
    progress: Progress = no_progress,
) -> BookingDetails:
    reservation = await gateway.reservation(reservation_id)
    await progress(1, 2, "read the booking")
    names = await listing_names(gateway, [reservation])
    await progress(2, 2, "named the property")
    return BookingDetails.of_reservation(
        reservation,
        include_access_codes=include_access_codes,
        listing_name=names.get(reservation.listing_id or 0),
    )


async def get_guest_info(
    gateway: Gateway, reservation_id: int, progress: Progress = no_progress
) -> GuestInfo:
    r = await gateway.reservation(reservation_id)
    await progress(1, 2, "read the booking")
    previous: list[Reservation] = []
    if r.guest_email:
        email = r.guest_email.lower()
        # One request: the first page of this guest's reservations.
        previous = [
            other
            for other in await gateway.reservations_page({"guestEmail": r.guest_email})
            if other.id != r.id
            and other.is_confirmed
            and (other.guest_email or "").lower() == email
            and other.arrival is not None
            and (r.arrival is None or other.arrival < r.arrival)
        ]
    await progress(2, 2, "read the guest's other stays")
    names = await listing_names(gateway, previous)
    previous.sort(key=lambda other: other.arrival or date.min, reverse=True)
    return GuestInfo(
        reservation_id=r.id,
        name=r.guest_name,
        first_name=r.guest_first_name,
        last_name=r.guest_last_name,
        email=r.guest_email,
        phone=r.phone,
        country=r.guest_country,
        city=r.guest_city,
        locale=r.guest_locale,
        adults=r.adults,
        children=r.children,
        infants=r.infants,
        pets=r.pets,
        guest_portal_url=r.guest_portal_url,
        previous_stays=[
            PreviousStay(
                reservation_id=other.id,
                listing_id=other.listing_id,
                listing_name=other.listing_name or names.get(other.listing_id or 0),
                arrival_date=other.arrival,
                departure_date=other.departure,
                nights=other.nights,
            )
            for other in previous
        ],
    )


async def get_arrivals_and_departures(
    gateway: Gateway,
    *,
    start_date: date,
    days: int,
    listing_id: int | None,
    progress: Progress = no_progress,
) -> ArrivalsDepartures:
    last = start_date + timedelta(days=days - 1)
    window = {"listingId": listing_id}
    await progress(0, 2, "reading arrivals")
    arriving = await gateway.reservations(
        {**window, "arrivalStartDate": start_date.isoformat(), "arrivalEndDate": last.isoformat()}
    )
    await progress(1, 2, "reading departures")
    leaving = await gateway.reservations(
        {
            **window,
            "departureStartDate": start_date.isoformat(),
            "departureEndDate": last.isoformat(),
        }
    )
    await progress(2, 2, "done")

    def relevant(r: Reservation) -> bool:
        return r.status in MOVEMENT_STATUSES and (listing_id is None or r.listing_id == listing_id)

    arriving = [r for r in arriving if relevant(r)]
    leaving = [r for r in leaving if relevant(r)]
    names = await listing_names(gateway, [*arriving, *leaving])
    board: list[DayMovements] = []
    for offset in range(days):
        day = start_date + timedelta(days=offset)
        arrivals = sorted((r for r in arriving if r.arrival == day), key=lambda r: r.id)
        departures = sorted((r for r in leaving if r.departure == day), key=lambda r: r.id)
        turnover_ids = {r.listing_id for r in arrivals} & {r.listing_id for r in departures}
        board.append(
            DayMovements(
                date=day,
                arrivals=[BookingSummary.of(r, names.get(r.listing_id or 0)) for r in arrivals],
                departures=[BookingSummary.of(r, names.get(r.listing_id or 0)) for r in departures],
                turnovers=sorted(i for i in turnover_ids if i is not None),
            )
        )
    return ArrivalsDepartures(days=board, statuses_counted=list(MOVEMENT_STATUSES))
