"""The writes Hostaway accepts, as prepared commands: exact paths and partial bodies, and how each
answer is read. Pure: nothing here sends anything (see `Hostaway.execute`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .entities import CreatedObject, Reservation
from .types import (
    BookingChange,
    CalendarChange,
    CancelledBy,
    Command,
    DateRange,
    MessageRoute,
    NewBooking,
    NewExpense,
    NewTask,
)

DIRECT_CHANNEL_ID = 2000


def _set(body: dict[str, Any]) -> dict[str, Any]:
    """Only the fields being set: a partial body never overwrites what it does not name."""
    return {key: value for key, value in body.items() if value is not None}


def _utc(moment: datetime) -> str:
    """Hostaway's zone-less UTC form."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _reservation(result: Any) -> Reservation | None:
    return Reservation.from_api(result) if isinstance(result, dict) else None


def _days_updated(result: Any) -> int | None:
    return len(result) if isinstance(result, list) else None


def update_calendar(
    listing_id: int, nights: DateRange, change: CalendarChange
) -> Command[int | None]:
    """Answers with the number of calendar days Hostaway reports as changed."""
    first, last = nights.bounds()
    return Command(
        method="PUT",
        path=f"/listings/{listing_id}/calendar",
        body={
            "startDate": first.isoformat(),
            "endDate": last.isoformat(),
            **_set(
                {
                    "isAvailable": None if change.available is None else int(change.available),
                    "price": change.price,
                    "minimumStay": change.min_stay,
                    "note": change.note,
                }
            ),
        },
        idempotent=True,
        decode=_days_updated,
        listing_id=listing_id,
        range_note=(f"startDate {first} to endDate {last} (Hostaway includes endDate)"),
    )


def create_reservation(booking: NewBooking) -> Command[Reservation | None]:
    return Command(
        method="POST",
        path="/reservations",
        body=_set(
            {
                "channelId": DIRECT_CHANNEL_ID,
                "listingMapId": booking.listing_id,
                "arrivalDate": booking.arrival.isoformat(),
                "departureDate": booking.departure.isoformat(),
                "guestName": booking.guest_name,
                "guestFirstName": booking.guest_first_name,
                "guestLastName": booking.guest_last_name,
                "guestEmail": booking.guest_email,
                "phone": booking.phone,
                "numberOfGuests": booking.guests,
                "totalPrice": booking.total_price,
                "currency": booking.currency,
                "hostNote": booking.host_note,
            }
        ),
        idempotent=False,
        decode=_reservation,
        listing_id=booking.listing_id,
    )


def update_reservation(
    reservation_id: int, change: BookingChange, *, listing_id: int | None = None
) -> Command[Reservation | None]:
    """`listing_id`: the listing whose calendar the change moves (new dates), if any."""
    return Command(
        method="PUT",
        path=f"/reservations/{reservation_id}",
        body=_set(
            {
                "numberOfGuests": change.guests,
                "guestNote": change.guest_note,
                "hostNote": change.host_note,
                "arrivalDate": change.arrival.isoformat() if change.arrival else None,
                "departureDate": change.departure.isoformat() if change.departure else None,
            }
        ),
        idempotent=True,
        decode=_reservation,
        listing_id=listing_id,
    )


def cancel_reservation(
    reservation_id: int, cancelled_by: CancelledBy, *, listing_id: int | None
) -> Command[Reservation | None]:
    # A cancellation reaches the guest and the channel: never sent twice automatically.
    return Command(
        method="PUT",
        path=f"/reservations/{reservation_id}/statuses/cancelled",
        body={"cancelledBy": cancelled_by},
        idempotent=False,
        decode=_reservation,
        listing_id=listing_id,
    )


def send_message(conversation_id: int, body: str, route: MessageRoute) -> Command[CreatedObject]:
    path = f"/conversations/{conversation_id}/messages"
    return Command(
        method="POST",
        path=path,
        body={"body": body, "communicationType": route},
        idempotent=False,
        decode=CreatedObject.from_api,
        lookup=f"GET {path}",
    )


def create_task(task: NewTask) -> Command[CreatedObject]:
    query = f"?listingMapId={task.listing_id}" if task.listing_id else ""
    return Command(
        method="POST",
        path="/tasks",
        body=_set(
            {
                "title": task.title,
                "description": task.description,
                "listingMapId": task.listing_id,
                "reservationId": task.reservation_id,
                "canStartFrom": _utc(task.starts_at) if task.starts_at else None,
                "shouldEndBy": _utc(task.due_at) if task.due_at else None,
                "categoriesMap": [task.category_id] if task.category_id else None,
                "assigneeUserId": task.assignee_user_id,
            }
        ),
        idempotent=False,
        decode=CreatedObject.from_api,
        lookup=f"GET /tasks{query}",
    )


def create_expense(expense: NewExpense) -> Command[CreatedObject]:
    return Command(
        method="POST",
        path="/expenses",
        body=_set(
            {
                "listingMapId": expense.listing_id,
                "reservationId": expense.reservation_id,
                "expenseDate": expense.expense_date.isoformat(),
                "concept": expense.concept,
                "amount": expense.amount,
                "categories": list(expense.category_ids) or None,
                "categoriesNames": list(expense.category_names) or None,
            }
        ),
        idempotent=False,
        decode=CreatedObject.from_api,
        lookup="GET /expenses",
    )
