"""The simulator's in-memory state: raw Hostaway dicts, indexes and calendars.

Route handlers read from here and every write goes through here (or the helpers in ``bookings``
and ``records``), so ``sb.store`` is the single source of truth tests compare against.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from .calendars import Calendar
from .catalog import ACCOUNT_ID, BLOCKING_STATUSES, EXPENSE_CATEGORIES
from .data import Dataset
from .errors import NotFound
from .shapes import CALENDAR_RESERVATION_KEYS, MESSAGE_KEYS, blank, fmt_dt, parse_day, project
from .values import as_date
from .views import refresh_conversation

COMMUNICATION_TYPES = ("email", "channel", "sms", "whatsapp")


class Store:
    def __init__(self, dataset: Dataset) -> None:
        self.today = dataset.today
        self.listings = dataset.listings
        self.reservations = dataset.reservations
        self.conversations = dataset.conversations
        self.messages = dataset.messages  # conversation id -> messages, oldest first
        self.reviews = dataset.reviews
        self.tasks = dataset.tasks
        self.expenses = dataset.expenses
        self.owner_statements = dataset.owner_statements
        self.users = dataset.users
        self.expense_categories: dict[int, str] = dict(EXPENSE_CATEGORIES)
        self._last_stamp = dataset.now
        self._listings = {listing["id"]: listing for listing in self.listings}
        self._reservations = {r["id"]: r for r in self.reservations}
        self._conversations = {c["id"]: c for c in self.conversations}
        self._by_reservation = {c["reservationId"]: c for c in self.conversations}
        every_message = (m["id"] for thread in self.messages.values() for m in thread)
        self._next_message_id = max(every_message, default=0) + 1
        self.calendar = Calendar(self._listings)
        for listing_id, days in dataset.blocks.items():
            for day, changes in days.items():
                self.calendar.override(listing_id, day, changes)
        for reservation in self.reservations:
            if reservation["status"] in BLOCKING_STATUSES:
                self.occupy(reservation)

    # ---- clock and ids ----------------------------------------------------------------------

    def stamp(self) -> str:
        """'Now' for writes: today's date with the wall-clock time, strictly increasing and
        always after the generated activity."""
        moment = datetime.combine(self.today, datetime.now().time()).replace(microsecond=0)
        moment = max(moment, self._last_stamp + timedelta(seconds=1))
        self._last_stamp = moment
        return fmt_dt(moment)

    @staticmethod
    def next_id(rows: list[dict[str, Any]]) -> int:
        return max((row["id"] for row in rows), default=0) + 1

    # ---- lookups ------------------------------------------------------------------------------

    def listing(self, listing_id: int) -> dict[str, Any]:
        try:
            return self._listings[listing_id]
        except KeyError:
            raise NotFound(f"Listing {listing_id} not found") from None

    def reservation(self, reservation_id: int) -> dict[str, Any]:
        try:
            return self._reservations[reservation_id]
        except KeyError:
            raise NotFound(f"Reservation {reservation_id} not found") from None

    def conversation(self, conversation_id: int) -> dict[str, Any]:
        try:
            return self._conversations[conversation_id]
        except KeyError:
            raise NotFound(f"Conversation {conversation_id} not found") from None

    def conversation_for_reservation(self, reservation_id: int) -> dict[str, Any] | None:
        return self._by_reservation.get(reservation_id)

    @staticmethod
    def find(rows: list[dict[str, Any]], row_id: int, label: str) -> dict[str, Any]:
        for row in rows:
            if row["id"] == row_id:
                return row
        raise NotFound(f"{label} {row_id} not found")

    # ---- calendar -----------------------------------------------------------------------------

    def calendar_day(
        self, listing_id: int, day: date | str, include_resources: bool = False
    ) -> dict[str, Any]:
        """The day object exactly as GET /listings/{id}/calendar returns it."""
        self.listing(listing_id)
        when = as_date(day, "date") if isinstance(day, str) else day
        result = self.calendar.day(listing_id, when)
        if include_resources:
            result["reservations"] = [
                project(self._reservations[rid], CALENDAR_RESERVATION_KEYS)
                for rid in self.calendar.holders(listing_id, when)
            ]
        return result

    def occupy(self, reservation: dict[str, Any]) -> None:
        self.calendar.occupy(
            reservation["listingMapId"],
            parse_day(reservation["arrivalDate"]),
            parse_day(reservation["departureDate"]),
            reservation["id"],
        )

    def release(self, reservation: dict[str, Any]) -> None:
        self.calendar.release(
            reservation["listingMapId"],
            parse_day(reservation["arrivalDate"]),
            parse_day(reservation["departureDate"]),
            reservation["id"],
        )

    def update_calendar(
        self, listing_id: int, start: date, end: date, changes: dict[str, Any]
    ) -> list[dict[str, Any]]:
        self.listing(listing_id)
        days = []
        day = start
        while day <= end:
            self.calendar.override(listing_id, day, changes)
            days.append(self.calendar_day(listing_id, day))
            day += timedelta(days=1)
        return days

    # ---- reservations and conversations ---------------------------------------------------------

    def index_listing(self, listing: dict[str, Any]) -> None:
        """Make a listing added to ``listings`` findable by id (its calendar starts empty)."""
        self._listings[listing["id"]] = listing

    def add_reservation(self, reservation: dict[str, Any]) -> None:
        self.reservations.append(reservation)
        self._reservations[reservation["id"]] = reservation
        if reservation["status"] in BLOCKING_STATUSES:
            self.occupy(reservation)

    def add_conversation(self, conversation: dict[str, Any]) -> None:
        self.conversations.append(conversation)
        self._conversations[conversation["id"]] = conversation
        self._by_reservation[conversation["reservationId"]] = conversation
        self.messages[conversation["id"]] = []

    def reservation_changed(self, reservation: dict[str, Any]) -> None:
        """Keep the copy embedded in the reservation's conversation in sync."""
        conversation = self._by_reservation.get(reservation["id"])
        if conversation is not None:
            refresh_conversation(conversation, self.messages[conversation["id"]], reservation)

    def add_message(
        self, conversation_id: int, body: str, communication_type: str, *, incoming: bool = False
    ) -> dict[str, Any]:
        """A message sent now: by the host (POST .../messages), or by the guest (``incoming``,
        as a channel delivers it; see ``upstream``)."""
        conversation = self.conversation(conversation_id)
        reservation = self._reservations.get(conversation["reservationId"])
        thread = self.messages[conversation_id]
        stamp = self.stamp()
        message = blank(MESSAGE_KEYS)
        message.update(
            id=self._next_message_id,
            accountId=ACCOUNT_ID,
            listingMapId=reservation["listingMapId"] if reservation else None,
            reservationId=conversation["reservationId"],
            conversationId=conversation_id,
            body=body,
            communicationType=communication_type,
            status="sent",
            isIncoming=int(incoming),
            isSeen=0,
            sentUsingHostaway=int(not incoming),
            hash=f"{conversation_id:x}{len(thread):04x}".rjust(32, "0"),
            listingTimeZoneName=self._listings[reservation["listingMapId"]]["timeZoneName"]
            if reservation
            else None,
            date=stamp,
            sentChannelDate=stamp,
            attachments=[],
            insertedOn=stamp,
            updatedOn=stamp,
        )
        for earlier in thread if not incoming else ():  # replying marks the guest's as read
            if earlier["isIncoming"]:
                earlier["isSeen"] = 1
        self._next_message_id += 1
        thread.append(message)
        thread.sort(key=lambda m: (m["date"], m["id"]))  # scheduled messages may lie ahead
        if reservation is not None:
            reservation["latestActivityOn"] = stamp
        refresh_conversation(conversation, thread, reservation)
        return message
