"""Writes around the stays: a message to a guest, a task for the team, an expense or extra."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ValidationFailed
from ..hostaway.adapter import Gateway
from ..hostaway.entities import ConversationRef, CreatedObject, Listing, Reservation
from ..hostaway.entities.operations import TASK_CATEGORY_IDS
from .formatting import round2
from .models.writes import WriteOutcome, WriteResult
from .write_checks import as_utc, booking_label, money_text, utc_text
from .writes import PlannedWrite, execute, listing_label, not_blank

CommunicationType = Literal["channel", "email", "sms", "whatsapp"]
MAX_MESSAGE_CHARS = 5000
MAX_CONCEPT_CHARS = 255
MAX_AMOUNT = 1_000_000.0
TaskCategory = Literal["cleaning", "maintenance", "check-in", "check-out", "back office", "other"]


def _created(kind: Literal["message", "task", "expense"]) -> Any:
    def outcome(result: Any) -> WriteOutcome:
        created = CreatedObject.from_api(result)
        return WriteOutcome(kind=kind, id=created.id, status=created.status)

    return outcome


# ---- messages ------------------------------------------------------------------------------


async def read_conversation(gateway: Gateway, conversation_id: int) -> ConversationRef:
    return ConversationRef.of(await gateway.conversation(conversation_id))


def _route(conversation: ConversationRef, kind: CommunicationType) -> tuple[str, list[str]]:
    """How the message travels, in words, and what may stop it arriving."""
    warnings: list[str] = []
    if kind == "channel":
        channel = conversation.channel or "unknown channel"
        if conversation.channel_id == 2000:
            warnings.append(
                "This is a direct booking, which has no booking-site inbox: use "
                "communication_type=email (or sms / whatsapp) to be sure the guest gets it."
            )
        return f"the booking's channel messaging ({channel})", warnings
    if kind == "email":
        if not conversation.recipient_email:
            warnings.append("The conversation has no guest email address; Hostaway may not send.")
        return f"email to {conversation.recipient_email or 'unknown address'}", warnings
    label = "SMS" if kind == "sms" else "WhatsApp"
    if not conversation.guest_phone:
        warnings.append("The booking has no guest phone number; Hostaway may not send.")
    return f"{label} to {conversation.guest_phone or 'unknown number'}", warnings


async def send_guest_message(
    gateway: Gateway,
    *,
    conversation_id: int,
    body: str,
    communication_type: CommunicationType,
    confirm: bool,
) -> WriteResult:
    text = not_blank(body, "body")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ValidationFailed(
            f"body has {len(text):,} characters; the most is {MAX_MESSAGE_CHARS:,}. Shorten it "
            "or split it into two messages."
        )
    conversation = await read_conversation(gateway, conversation_id)
    recipient = conversation.recipient_name or "the guest"
    via, warnings = _route(conversation, communication_type)
    details = {"recipient": recipient, "via": via}
    if conversation.reservation_id:
        dates = (
            f", {conversation.arrival} to {conversation.departure}"
            if conversation.arrival and conversation.departure
            else ""
        )
        status = f", {conversation.booking_status}" if conversation.booking_status else ""
        details["booking"] = f"reservation {conversation.reservation_id}{dates}{status}"
    if conversation.listing_id:
        details["property"] = await listing_label(
            gateway, conversation.listing_id, conversation.listing_name
        )
    if conversation.booking_status == "cancelled":
        warnings.append("This guest's booking is cancelled.")
    details["message"] = text
    plan = PlannedWrite(
        tool="send_guest_message",
        method="POST",
        path=f"/conversations/{conversation_id}/messages",
        body={"body": text, "communicationType": communication_type},
        verbs=("send", "sent"),
        what=f"a message of {len(text):,} characters to {recipient} via {via}",
        details=details,
        target_type="conversation",
        target_id=conversation_id,
        outcome=_created("message"),
        how_to_check=(
            f"First look at the conversation's latest messages (GET /conversations/"
            f"{conversation_id}/messages, or the Hostaway inbox) to see whether it went out; "
            "sending again would message the guest twice."
        ),
        warnings=warnings,
        creates=True,
    )
    return await execute(gateway, plan, confirm=confirm)


# ---- tasks ---------------------------------------------------------------------------------


def _when(moment: datetime, listing: Listing | None) -> str:
    text = f"{utc_text(moment)[:16]} UTC"
    zone_name = listing.time_zone if listing else None
    if zone_name:
        try:
            local = as_utc(moment).astimezone(ZoneInfo(zone_name))
        except (ZoneInfoNotFoundError, ValueError):
            local = None
        if local is not None:
            text += f" ({local:%Y-%m-%d %H:%M} in {zone_name})"
    return text


async def _booking_and_listing(
    gateway: Gateway, listing_id: int | None, reservation_id: int | None
) -> tuple[Listing | None, Reservation | None]:
    """Both exist, and the booking is at that listing (when both are given)."""
    booking = await gateway.reservation(reservation_id) if reservation_id else None
    listing = await gateway.listing(listing_id) if listing_id else None
    if booking and listing_id and booking.listing_id not in (None, listing_id):
        raise ValidationFailed(
            f"Reservation {reservation_id} is at listing {booking.listing_id}, not listing "
            f"{listing_id}. Give the matching pair, or only one of them."
        )
    return listing, booking


async def create_task(
    gateway: Gateway,
    *,
    title: str,
    listing_id: int | None,
    reservation_id: int | None,
    description: str | None,
    starts_at: datetime | None,
    due_at: datetime | None,
    category: TaskCategory | None,
    assignee_user_id: int | None,
    confirm: bool,
) -> WriteResult:
    name = not_blank(title, "title")
    if starts_at and due_at and as_utc(due_at) < as_utc(starts_at):
        raise ValidationFailed(f"due_at ({due_at}) is before starts_at ({starts_at}).")
    listing, booking = await _booking_and_listing(gateway, listing_id, reservation_id)
    warnings: list[str] = []
    details = {"title": name}
    map_id = listing_id
    if booking is not None:
        details["booking"] = booking_label(booking)
        if map_id is None and booking.listing_id is not None:
            map_id = booking.listing_id  # a booking's task belongs to its property
            listing = await gateway.listing(map_id)
    if map_id is not None:
        details["property"] = await listing_label(
            gateway, map_id, listing.name if listing else None
        )
    for label, moment in (("starts_at", starts_at), ("due_at", due_at)):
        if moment is not None:
            details[label] = _when(moment, listing)
            if moment.tzinfo is None:
                warnings.append(f"{label} has no time zone, so it was taken as UTC.")
    if category:
        details["category"] = category
    if assignee_user_id:
        details["assignee"] = f"user {assignee_user_id}"
    if description:
        details["description"] = description
    body: dict[str, Any] = {
        "title": name,
        "description": description,
        "listingMapId": map_id,
        "reservationId": reservation_id,
        "canStartFrom": utc_text(starts_at) if starts_at else None,
        "shouldEndBy": utc_text(due_at) if due_at else None,
        "categoriesMap": [TASK_CATEGORY_IDS[category]] if category else None,
        "assigneeUserId": assignee_user_id,
    }
    target_type, target_id = (
        ("listing", map_id)
        if map_id
        else ("reservation", reservation_id)
        if reservation_id
        else ("task", None)
    )
    plan = PlannedWrite(
        tool="create_task",
        method="POST",
        path="/tasks",
        body={key: value for key, value in body.items() if value is not None},
        verbs=("create", "created"),
        what=f'the task "{name}"' + (f" for {details['property']}" if map_id else ""),
        details=details,
        target_type=target_type,
        target_id=target_id,
        outcome=_created("task"),
        how_to_check=(
            f'First look for a task titled "{name}" in Hostaway (Tasks, or GET /tasks'
            + (f"?listingMapId={map_id}" if map_id else "")
            + "); another create_task could make a duplicate."
        ),
        warnings=warnings,
        creates=True,
    )
    return await execute(gateway, plan, confirm=confirm)


# ---- expenses and extras -------------------------------------------------------------------


async def create_expense(
    gateway: Gateway,
    *,
    listing_id: int,
    expense_date: date,
    concept: str,
    amount: float,
    kind: Literal["expense", "extra"],
    reservation_id: int | None,
    categories: list[int | str] | None,
    confirm: bool,
) -> WriteResult:
    text = not_blank(concept, "concept")
    if len(text) > MAX_CONCEPT_CHARS:
        raise ValidationFailed(f"concept has {len(text)} characters; the most is 255.")
    value = round2(amount)
    if not 0 < value <= MAX_AMOUNT:
        raise ValidationFailed(
            f"amount must be positive (at most {MAX_AMOUNT:,.0f}); kind says whether it is an "
            f"expense or an extra. Got {amount}."
        )
    listing, booking = await _booking_and_listing(gateway, listing_id, reservation_id)
    assert listing is not None  # noqa: S101 - listing_id is required here
    label = await listing_label(gateway, listing_id, listing.name)
    ids = [c for c in categories or [] if isinstance(c, int)]
    names = [c.strip() for c in categories or [] if isinstance(c, str) and c.strip()]
    signed = -value if kind == "expense" else value
    shown = money_text(value, listing.currency)
    details = {
        "property": label,
        "date": expense_date.isoformat(),
        "concept": text,
        "kind": (
            f"expense: a cost of {shown} (sent as a negative amount)"
            if kind == "expense"
            else f"extra: income of {shown} (sent as a positive amount)"
        ),
    }
    warnings: list[str] = []
    if booking is not None:
        details["booking"] = booking_label(booking)
    if ids or names:
        details["categories"] = ", ".join([*map(str, ids), *names])
    if names:
        warnings.append("Category names Hostaway does not know yet are created as new categories.")
    if listing.currency is None:
        warnings.append("The listing has no currency in Hostaway; the amount is in its default.")
    body: dict[str, Any] = {
        "listingMapId": listing_id,
        "reservationId": reservation_id,
        "expenseDate": expense_date.isoformat(),
        "concept": text,
        "amount": signed,
        "categories": ids or None,
        "categoriesNames": names or None,
    }

    def outcome(result: Any) -> WriteOutcome:
        created = CreatedObject.from_api(result)
        note = f"Hostaway recorded it as {created.type}." if created.type else None
        if created.type and created.type != kind:
            note = f"Hostaway recorded it as {created.type}, not {kind}: check it in Hostaway."
        return WriteOutcome(kind="expense", id=created.id, status=created.status, note=note)

    plan = PlannedWrite(
        tool="create_expense",
        method="POST",
        path="/expenses",
        body={key: value for key, value in body.items() if value is not None},
        verbs=("record", "recorded"),
        what=f'an {kind} of {shown} for {label} on {expense_date}: "{text}"',
        details=details,
        target_type="listing",
        target_id=listing_id,
        outcome=outcome,
        how_to_check=(
            f'First look for "{text}" on {expense_date} among the expenses and extras of listing '
            f"{listing_id} in Hostaway (or GET /expenses); another create_expense would record "
            "it twice."
        ),
        warnings=warnings,
        creates=True,
    )
    return await execute(gateway, plan, confirm=confirm)
