"""Bookings: search, details, guests, and the day-by-day arrivals/departures board."""

from __future__ import annotations

from datetime import date, timedelta

from ..errors import ValidationFailed
from ..hostaway import (
    DateRange,
    Hostaway,
    Progress,
    Reservation,
    ReservationQuery,
    no_progress,
    resolve_channel,
)
from .cursor import decode_cursor, encode_cursor, shown_before
from .fencing import NO_SECRETS, fence
from .models.bookings import (
    ArrivalsDepartures,
    BookingDetails,
    BookingList,
    BookingSummary,
    DayMovements,
    GuestInfo,
    PreviousStay,
)
from .names import listings_for, secrets_for
from .paging import collect
from .status_words import BOOKING_WORDS, expand

MOVEMENT_STATUSES = ("new", "modified", "ownerStay")


async def _names(hostaway: Hostaway, reservations: list[Reservation]) -> dict[int, str]:
    """Listing names for reservations that came without one (one cached listing scan)."""
    listings = await listings_for(
        hostaway, (r.listing_id for r in reservations if not r.listing_name)
    )
    return {listing_id: listing.name for listing_id, listing in listings.items()}


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
    hostaway: Hostaway,
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
    expanded, read_as = expand(statuses or [], BOOKING_WORDS)
    wanted = set(expanded)
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
    query = ReservationQuery(
        listing_ids=[listing_id] if listing_id is not None else None,
        arriving=DateRange(arrival_from, arrival_to),
        departing=DateRange(departure_from, departure_to),
        guest_name=guest_name,
        guest_email=guest_email,
        channel_id=channel_ids[0] if channel_ids and len(channel_ids) == 1 else None,
    )
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
        hostaway.reservation_pages(query, after_id=after_id),
        accept,
        limit,
        progress,
        shown_before=shown_before(cursor),
        # Hostaway's count is the answer when it applied every filter, each an exact match.
        upstream_count_is_exact=not wanted
        and (channel_ids is None or len(channel_ids) == 1)
        and not any((arrival_from, arrival_to, departure_from, departure_to, guest_name, email)),
    )
    names = await _names(hostaway, found.items)
    next_cursor, resume = found.cursors("search_bookings", filters)
    return BookingList(
        bookings=[BookingSummary.of(r, names.get(r.listing_id or 0)) for r in found.items],
        next_cursor=next_cursor,
        total=found.total,
        total_is_exact=found.total_exact,
        filters_applied=[
            *read_as,
            *_describe_filters(Hostaway.upstream_filters(query), wanted, channel_ids, channel),
        ],
    ).with_resume(resume)


def _describe_filters(
    upstream: list[str],
    statuses: set[str],
    channel_ids: tuple[int, ...] | None,
    channel: str | None,
) -> list[str]:
    described = [f"{sent} (Hostaway, re-checked here)" for sent in upstream]
    if channel_ids is not None and len(channel_ids) > 1:
        described.append(f"channel {channel} = ids {list(channel_ids)} (here, after fetching)")
    if statuses:
        described.append(f"status in {sorted(statuses)} (here: Hostaway has no status filter)")
    return described


async def get_booking_details(
    hostaway: Hostaway,
    reservation_id: int,
    *,
    include_access_codes: bool,
    progress: Progress = no_progress,
) -> BookingDetails:
    reservation = await hostaway.reservation(reservation_id)
    await progress(1, 2, "read the booking")
    names = await _names(hostaway, [reservation])
    secrets = (
        NO_SECRETS
        if include_access_codes
        else await secrets_for(hostaway, [reservation.listing_id], [reservation])
    )
    await progress(2, 2, "named the property")
    return BookingDetails.of_reservation(
        reservation,
        include_access_codes=include_access_codes,
        listing_name=names.get(reservation.listing_id or 0),
        secrets=secrets,
    )


async def get_guest_info(
    hostaway: Hostaway, reservation_id: int, progress: Progress = no_progress
) -> GuestInfo:
    r = await hostaway.reservation(reservation_id)
    await progress(1, 2, "read the booking")
    previous: list[Reservation] = []
    if r.guest_email:
        email = r.guest_email.lower()
        # One request: the first page of this guest's reservations.
        previous = [
            other
            for other in await hostaway.first_reservations(
                ReservationQuery(guest_email=r.guest_email)
            )
            if other.id != r.id
            and other.is_confirmed
            and (other.guest_email or "").lower() == email
            and other.arrival is not None
            and (r.arrival is None or other.arrival < r.arrival)
        ]
    await progress(2, 2, "read the guest's other stays")
    names = await _names(hostaway, previous)
    previous.sort(key=lambda other: other.arrival or date.min, reverse=True)
    return GuestInfo(
        reservation_id=r.id,
        email=r.guest_email,
        phone=r.phone,
        country=r.guest_country,
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
        untrusted=fence(
            guest_name=r.guest_name,
            first_name=r.guest_first_name,
            last_name=r.guest_last_name,
            city=r.guest_city,
        ),
    )


async def get_arrivals_and_departures(
    hostaway: Hostaway,
    *,
    start_date: date,
    days: int,
    listing_id: int | None,
    cursor: str | None = None,
    progress: Progress = no_progress,
) -> ArrivalsDepartures:
    """The board from the movement `cursor` points at: each day's arrivals, then its departures
    (by reservation id), one position per movement."""
    filters = {"start_date": start_date, "days": days, "listing_id": listing_id}
    position = decode_cursor(cursor, "get_arrivals_and_departures", filters) or 0
    window = DateRange(start_date, start_date + timedelta(days=days - 1))
    listing_ids = [listing_id] if listing_id is not None else None
    await progress(0, 2, "reading arrivals")
    arriving = await hostaway.reservations(ReservationQuery(listing_ids, arriving=window))
    await progress(1, 2, "reading departures")
    leaving = await hostaway.reservations(ReservationQuery(listing_ids, departing=window))
    await progress(2, 2, "done")

    def relevant(r: Reservation) -> bool:
        return r.status in MOVEMENT_STATUSES and (listing_id is None or r.listing_id == listing_id)

    arriving = [r for r in arriving if relevant(r)]
    leaving = [r for r in leaving if relevant(r)]
    names = await _names(hostaway, [*arriving, *leaving])
    board: list[DayMovements] = []
    for offset in range(days):
        day = start_date + timedelta(days=offset)
        arrivals = sorted((r for r in arriving if r.arrival == day), key=lambda r: r.id)
        departures = sorted((r for r in leaving if r.departure == day), key=lambda r: r.id)
        turnover_ids = {r.listing_id for r in arrivals} & {r.listing_id for r in departures}
        board.append(
            DayMovements(
                date=day,
                arrival_count=len(arrivals),
                departure_count=len(departures),
                arrivals=[BookingSummary.of(r, names.get(r.listing_id or 0)) for r in arrivals],
                departures=[BookingSummary.of(r, names.get(r.listing_id or 0)) for r in departures],
                turnovers=sorted(i for i in turnover_ids if i is not None),
            )
        )
    board = _from_movement(board, position)
    shown = sum(day.movements() for day in board)
    resume: list[str | None] = [
        encode_cursor("get_arrivals_and_departures", position + index + 1, filters)
        for index in range(shown)
    ]
    return ArrivalsDepartures(days=board, statuses_counted=list(MOVEMENT_STATUSES)).with_resume(
        resume
    )


def _from_movement(board: list[DayMovements], position: int) -> list[DayMovements]:
    """The days from movement ``position`` on: a day shown in part continues with the rest of
    its movements; a day shown whole is left out, and so are the empty days before it."""
    seen = 0
    for index, day in enumerate(board):
        if position == 0 or seen + day.movements() > position:
            return [day.after(position - seen), *board[index + 1 :]]
        seen += day.movements()
        if seen == position:
            return board[index + 1 :]
    return []
