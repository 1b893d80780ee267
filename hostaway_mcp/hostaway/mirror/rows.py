"""Raw Hostaway objects -> rows of the mirror: the entity the live path would build (as JSON, with
no access code), plus the raw values Hostaway filters and sorts that kind of row by.

Access codes never reach the store: the keys are dropped from the raw object before it is mapped,
and the entity's `access` part is left out of the JSON besides. Texts that may quote a code (the
latest messages of a conversation, a task's description) are stored with the codes known for
their own listing and booking masked, exactly as answers mask them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .._values import as_date, as_int, as_str
from ..entities import (
    AccessInfo,
    CalendarDay,
    Conversation,
    Expense,
    KnownSecrets,
    Listing,
    Reservation,
    Review,
    Stay,
    Task,
    clean_text,
)

# Door codes, wifi and key-box details (listings, reservations and the reservation a conversation
# embeds). Read live, only when asked for.
ACCESS_KEYS = frozenset(
    {
        "doorSecurityCode",
        "wifiUsername",
        "wifiPassword",
        "keyPickup",
        "specialInstruction",
        "doorCode",
        "doorCodeVendor",
        "doorCodeInstruction",
    }
)
NO_ACCESS: Any = {"access"}
ListingAccess = Mapping[int, AccessInfo]  # the listings' codes, kept in memory only
NO_LISTING_ACCESS: ListingAccess = {}


def without_access(raw: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``raw`` without access-code keys, also inside an embedded reservation."""
    clean = {key: value for key, value in raw.items() if key not in ACCESS_KEYS}
    embedded = clean.get("Reservation")
    if isinstance(embedded, dict):
        clean["Reservation"] = without_access(embedded)
    return clean


def _lower(value: Any) -> str:
    return value.lower() if isinstance(value, str) else ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class ListingRow:
    id: int
    body: str
    city: str
    country: str
    country_code: str
    name: str
    internal_name: str
    capacity: int | None

    @classmethod
    def of(cls, raw: dict[str, Any]) -> ListingRow:
        raw = without_access(raw)
        listing = Listing.from_api(raw)
        return cls(
            id=listing.id,
            body=listing.model_dump_json(exclude=NO_ACCESS, exclude_none=True),
            city=_lower(raw.get("city")),
            country=_lower(raw.get("country")),
            country_code=_lower(raw.get("countryCode")),
            name=_lower(raw.get("name")),
            internal_name=_lower(raw.get("internalListingName")),
            capacity=as_int(raw.get("personCapacity")),
        )


@dataclass(frozen=True)
class ReservationRow:
    id: int
    listing_id: int | None
    channel_id: int | None
    arrival: str
    departure: str
    guest_name: str  # lower case, for Hostaway's `match`
    guest_email: str  # lower case
    updated_on: str  # raw, Hostaway's sort key ("" when null)
    stay: StayColumns
    body: str

    @classmethod
    def of(cls, raw: dict[str, Any]) -> ReservationRow:
        reservation = Reservation.from_api(without_access(raw))
        return cls(
            stay=stay_columns(Stay.of(reservation)),
            id=reservation.id,
            listing_id=as_int(raw.get("listingMapId")),
            channel_id=as_int(raw.get("channelId")),
            arrival=_text(raw.get("arrivalDate")),
            departure=_text(raw.get("departureDate")),
            guest_name=_lower(raw.get("guestName")),
            guest_email=_lower(raw.get("guestEmail")).strip(),
            updated_on=_text(raw.get("updatedOn")),
            body=reservation.model_dump_json(exclude=NO_ACCESS, exclude_none=True),
        )

    def nights(self) -> tuple[date, date] | None:
        """(arrival, departure) when both are dates and the stay has nights."""
        return stay_of(self.arrival, self.departure)


StayColumns = tuple[
    str, str | None, str | None, str | None, float | None, str | None, str | None, str | None
]


def stay_columns(stay: Stay) -> StayColumns:
    """A `Stay` as the reservations table keeps it (after the row's id and listing)."""
    return (
        stay.status,
        stay.arrival.isoformat() if stay.arrival else None,
        stay.departure.isoformat() if stay.departure else None,
        stay.reservation_date.isoformat() if stay.reservation_date else None,
        stay.total_price,
        stay.currency,
        stay.channel,
        stay.listing_name,
    )


STAY_COLUMNS = (
    "id, listing_id, status, stay_arrival, stay_departure, reservation_date, total_price, "
    "currency, channel, listing_name"
)


def stay_from(row: tuple[Any, ...]) -> Stay:
    """A row of STAY_COLUMNS back into the `Stay` it was made from."""
    rid, listing_id, status, arrival, departure, booked, price, currency, channel, name = row
    return Stay(
        id=rid,
        listing_id=listing_id,
        listing_name=name,
        status=status,
        arrival=date.fromisoformat(arrival) if arrival else None,
        departure=date.fromisoformat(departure) if departure else None,
        reservation_date=datetime.fromisoformat(booked) if booked else None,
        total_price=price,
        currency=currency,
        channel=channel,
    )


def stay_of(arrival: Any, departure: Any) -> tuple[date, date] | None:
    first, stop = as_date(arrival), as_date(departure)
    if first is None or stop is None or stop <= first:
        return None
    return first, stop


def conversation_activity(raw: dict[str, Any]) -> str:
    """Hostaway lists conversations by their latest activity: a message sent or received, or the
    booking itself for a thread without messages."""
    embedded = raw.get("Reservation")
    stamps = [raw.get("messageSentOn"), raw.get("messageReceivedOn")]
    if isinstance(embedded, dict):
        stamps.append(embedded.get("reservationDate"))
    return max((s for s in stamps if isinstance(s, str) and s), default="")


@dataclass(frozen=True)
class ConversationRow:
    id: int
    reservation_id: int | None
    activity: str
    waiting: bool  # the guest wrote last
    body: str

    @classmethod
    def of(cls, raw: dict[str, Any], codes: ListingAccess = NO_LISTING_ACCESS) -> ConversationRow:
        """``codes``: the listings' access codes (the booking's own are in ``raw``)."""
        conversation = Conversation.from_api(without_access(raw))
        embedded = raw.get("Reservation")
        booking = Reservation.from_api(embedded).access if isinstance(embedded, dict) else None
        listing = codes.get(conversation.listing_id or 0)
        secrets = KnownSecrets.of_access([listing] if listing else [], [booking] if booking else [])
        conversation = _masked_messages(conversation, secrets)
        return cls(
            id=conversation.id,
            reservation_id=as_int(raw.get("reservationId")),
            activity=conversation_activity(raw),
            waiting=conversation.last_message_incoming is True,
            body=conversation.model_dump_json(
                exclude={"reservation": NO_ACCESS}, exclude_none=True
            ),
        )


def _masked_messages(conversation: Conversation, secrets: KnownSecrets) -> Conversation:
    """The conversation with the known codes masked in its messages, as answers mask them
    (cleaned first, see `domain.fencing.scrub`); a text that holds no code is kept as it is."""
    if not secrets:
        return conversation
    messages = []
    for message in conversation.messages:
        cleaned = clean_text(message.body)
        masked = secrets.mask(cleaned)
        messages.append(
            message if masked == cleaned else message.model_copy(update={"body": masked})
        )
    return conversation.model_copy(update={"messages": messages})


@dataclass(frozen=True)
class ReviewRow:
    id: int
    listing_id: int | None
    departure: str  # raw departureDate: Hostaway sorts and filters by it
    body: str

    @classmethod
    def of(cls, raw: dict[str, Any]) -> ReviewRow:
        review = Review.from_api(raw)
        return cls(
            id=review.id,
            listing_id=as_int(raw.get("listingMapId")),
            departure=_text(raw.get("departureDate")),
            body=review.model_dump_json(exclude_none=True),
        )


@dataclass(frozen=True)
class TaskRow:
    id: int
    listing_id: int | None
    reservation_id: int | None
    status: str | None
    can_start: str  # raw canStartFrom ("" when null)
    body: str

    @classmethod
    def of(cls, raw: dict[str, Any], codes: ListingAccess = NO_LISTING_ACCESS) -> TaskRow:
        """``codes``: the listings' access codes, masked in the description (as answers do)."""
        task = Task.from_api(raw)
        listing = codes.get(task.listing_id or 0)
        if listing is not None and task.description:
            secrets = KnownSecrets.of_access([listing])
            task = task.model_copy(update={"description": secrets.mask(task.description)})
        return cls(
            id=task.id,
            listing_id=as_int(raw.get("listingMapId")),
            reservation_id=as_int(raw.get("reservationId")),
            status=as_str(raw.get("status")),
            can_start=_text(raw.get("canStartFrom")),
            body=task.model_dump_json(exclude_none=True),
        )


@dataclass(frozen=True)
class ExpenseRow:
    id: int
    body: str

    @classmethod
    def of(cls, raw: dict[str, Any]) -> ExpenseRow:
        expense = Expense.from_api(raw)
        return cls(id=expense.id, body=expense.model_dump_json(exclude_none=True))


CalendarRow = tuple[
    int, str, int, str | None, float | None, int | None, int | None, int, int, str | None, float
]


def calendar_rows(
    listing_id: int, raw_days: Iterable[Any], first: date, last: date, checked_at: float
) -> list[CalendarRow]:
    """Calendar days as stored: what `CalendarDay` keeps, one row per night."""
    rows: list[CalendarRow] = []
    for raw in raw_days:
        day = CalendarDay.from_api(raw) if isinstance(raw, dict) else None
        if day is None or not first <= day.date <= last:
            continue
        rows.append(
            (
                listing_id,
                day.date.isoformat(),
                int(day.available),
                day.status,
                day.price,
                day.min_stay,
                day.max_stay,
                int(day.closed_on_arrival),
                int(day.closed_on_departure),
                day.note,
                checked_at,
            )
        )
    return rows


def calendar_day(row: tuple[Any, ...]) -> CalendarDay:
    """A stored row (day, available, status, price, min_stay, max_stay, coa, cod, note) back
    into the entity."""
    day, available, status, price, min_stay, max_stay, coa, cod, note = row
    return CalendarDay(
        date=date.fromisoformat(day),
        available=bool(available),
        status=status,
        price=price,
        min_stay=min_stay,
        max_stay=max_stay,
        closed_on_arrival=bool(coa),
        closed_on_departure=bool(cod),
        note=note,
    )
