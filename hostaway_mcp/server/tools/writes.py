"""Write tools: calendar, bookings, guest messages, tasks, expenses. They exist only when
HOSTAWAY_READ_ONLY=false; each previews with confirm=false (sending nothing) and performs exactly
one request with confirm=true."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from ...domain import writes_bookings, writes_calendar, writes_ops
from ...domain.models.writes import WriteResult
from ...domain.writes_ops import CommunicationType, TaskCategory
from ..params import EndDate, ListingId, ReservationId, StartDate
from .registry import gateway, write_tool

Confirm = Annotated[
    bool,
    Field(
        description="false (default): validate and return a preview; nothing is sent. true: "
        "perform the write; only after the user has seen the preview and agreed."
    ),
]
OptionalListingId = Annotated[
    int | None, Field(ge=1, le=2_147_483_647, description="Hostaway listing id.")
]
OptionalReservationId = Annotated[
    int | None, Field(ge=1, le=2_147_483_647, description="Hostaway reservation id.")
]
Note = Annotated[str | None, Field(max_length=2000)]
Email = Annotated[
    str | None,
    Field(max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="Guest email."),
]
Phone = Annotated[
    str | None,
    Field(
        max_length=40,
        pattern=r"^\+?[0-9][0-9 ()./-]{4,38}$",
        description="Guest phone, international format preferred (+351 912 345 678).",
    ),
]
Money = Annotated[float, Field(gt=0, le=1_000_000)]


@write_tool("Update calendar", destructive=True, idempotent=True)
async def update_calendar(
    ctx: Context,
    listing_id: ListingId,
    start_date: StartDate,
    end_date: EndDate,
    available: Annotated[
        bool | None, Field(description="true = open the nights for booking, false = block them.")
    ] = None,
    price: Annotated[
        float | None, Field(gt=0, le=1_000_000, description="Nightly price, listing currency.")
    ] = None,
    min_stay: Annotated[
        int | None, Field(ge=1, le=365, description="Minimum stay in nights for arrivals.")
    ] = None,
    note: Annotated[
        Note, Field(description="Calendar note for these nights; empty clears it.")
    ] = None,
    confirm: Confirm = False,
) -> WriteResult:
    """Block or open nights, set the nightly price, minimum stay or a note for nights start_date
    to end_date (exclusive). Refuses to open nights a booking holds."""
    return await writes_calendar.update_calendar(
        gateway(ctx),
        listing_id=listing_id,
        start_date=start_date,
        end_date=end_date,
        available=available,
        price=price,
        min_stay=min_stay,
        note=note,
        confirm=confirm,
    )


@write_tool("Create a direct booking", destructive=False, idempotent=False)
async def create_booking(
    ctx: Context,
    listing_id: ListingId,
    arrival_date: Annotated[date, Field(description="Arrival day (first night), YYYY-MM-DD.")],
    departure_date: Annotated[
        date, Field(description="Check-out day, YYYY-MM-DD (exclusive: not a night).")
    ],
    guest_name: Annotated[str, Field(min_length=1, max_length=200, description="Guest's name.")],
    guests: Annotated[int, Field(ge=1, le=100, description="Number of guests.")],
    guest_email: Email = None,
    phone: Phone = None,
    total_price: Annotated[
        float | None,
        Field(ge=0, le=10_000_000, description="Total price in the listing's currency."),
    ] = None,
    note: Annotated[Note, Field(description="Internal host note on the booking.")] = None,
    confirm: Confirm = False,
) -> WriteResult:
    """Create a direct booking (not via a channel) after checking every night is free and the
    party fits. Never overbooks."""
    return await writes_bookings.create_booking(
        gateway(ctx),
        listing_id=listing_id,
        arrival_date=arrival_date,
        departure_date=departure_date,
        guest_name=guest_name,
        guests=guests,
        guest_email=guest_email,
        phone=phone,
        total_price=total_price,
        note=note,
        confirm=confirm,
    )


@write_tool("Update a booking", destructive=True, idempotent=True)
async def update_booking(
    ctx: Context,
    reservation_id: ReservationId,
    guests: Annotated[int | None, Field(ge=1, le=100, description="New number of guests.")] = None,
    guest_note: Annotated[Note, Field(description="The guest's note; empty clears it.")] = None,
    host_note: Annotated[Note, Field(description="Internal host note; empty clears it.")] = None,
    arrival_date: Annotated[date | None, Field(description="New arrival day, YYYY-MM-DD.")] = None,
    departure_date: Annotated[
        date | None, Field(description="New check-out day, YYYY-MM-DD (exclusive).")
    ] = None,
    confirm: Confirm = False,
) -> WriteResult:
    """Change a booking's guest count, notes or dates; only the fields given are sent. New dates
    must be free (the booking's own nights count as free)."""
    return await writes_bookings.update_booking(
        gateway(ctx),
        reservation_id=reservation_id,
        guests=guests,
        guest_note=guest_note,
        host_note=host_note,
        arrival_date=arrival_date,
        departure_date=departure_date,
        confirm=confirm,
    )


@write_tool("Cancel a booking", destructive=True, idempotent=False)
async def cancel_booking(
    ctx: Context,
    reservation_id: ReservationId,
    cancelled_by: Annotated[
        Literal["host", "guest"], Field(description="Who cancels: host or guest.")
    ] = "host",
    confirm: Confirm = False,
) -> WriteResult:
    """Cancel a booking. The preview shows guest, dates, amount and channel; check them with the
    user first."""
    return await writes_bookings.cancel_booking(
        gateway(ctx), reservation_id=reservation_id, cancelled_by=cancelled_by, confirm=confirm
    )


@write_tool("Send a message to a guest", destructive=False, idempotent=False)
async def send_guest_message(
    ctx: Context,
    conversation_id: Annotated[
        int, Field(ge=1, le=2_147_483_647, description="Hostaway conversation id.")
    ],
    body: Annotated[
        str, Field(min_length=1, max_length=5000, description="The message, as the guest reads it.")
    ],
    communication_type: Annotated[
        CommunicationType,
        Field(description="channel (the booking site's inbox), email, sms or whatsapp."),
    ] = "channel",
    confirm: Confirm = False,
) -> WriteResult:
    """Send a message to the guest of a conversation. The preview shows recipient, route and the
    full text; the guest receives it as written."""
    return await writes_ops.send_guest_message(
        gateway(ctx),
        conversation_id=conversation_id,
        body=body,
        communication_type=communication_type,
        confirm=confirm,
    )


@write_tool("Create a task", destructive=False, idempotent=False)
async def create_task(
    ctx: Context,
    title: Annotated[str, Field(min_length=1, max_length=255, description="Task title.")],
    listing_id: OptionalListingId = None,
    reservation_id: OptionalReservationId = None,
    description: Annotated[
        str | None, Field(max_length=5000, description="What to do, in detail.")
    ] = None,
    starts_at: Annotated[
        datetime | None,
        Field(description="Can start from, ISO 8601 with offset (no offset = UTC)."),
    ] = None,
    due_at: Annotated[
        datetime | None, Field(description="Should end by, ISO 8601 with offset (no offset = UTC).")
    ] = None,
    category: Annotated[
        TaskCategory | None,
        Field(description="cleaning, maintenance, check-in, check-out, back office or other."),
    ] = None,
    assignee_user_id: Annotated[
        int | None, Field(ge=1, le=2_147_483_647, description="Hostaway user to assign.")
    ] = None,
    confirm: Confirm = False,
) -> WriteResult:
    """Create a task for the team (cleaning, maintenance, check-in…) on a property or booking."""
    return await writes_ops.create_task(
        gateway(ctx),
        title=title,
        listing_id=listing_id,
        reservation_id=reservation_id,
        description=description,
        starts_at=starts_at,
        due_at=due_at,
        category=category,
        assignee_user_id=assignee_user_id,
        confirm=confirm,
    )


@write_tool("Record an expense or extra", destructive=False, idempotent=False)
async def create_expense(
    ctx: Context,
    listing_id: ListingId,
    date: Annotated[date, Field(description="Date of the expense or extra, YYYY-MM-DD.")],
    concept: Annotated[
        str, Field(min_length=1, max_length=255, description="What it is, e.g. 'Plumber'.")
    ],
    amount: Annotated[Money, Field(description="Positive amount in the listing's currency.")],
    kind: Annotated[
        Literal["expense", "extra"],
        Field(description="expense = a cost; extra = income charged on top of a stay."),
    ] = "expense",
    reservation_id: OptionalReservationId = None,
    categories: Annotated[
        list[Annotated[int, Field(ge=1)] | Annotated[str, Field(min_length=1, max_length=100)]]
        | None,
        Field(
            max_length=20,
            description="Expense category ids, or names (Hostaway creates unknown names).",
        ),
    ] = None,
    confirm: Confirm = False,
) -> WriteResult:
    """Record an expense (a cost) or an extra (income) for a property, optionally tied to a
    booking, for owner statements and reports."""
    return await writes_ops.create_expense(
        gateway(ctx),
        listing_id=listing_id,
        expense_date=date,
        concept=concept,
        amount=amount,
        kind=kind,
        reservation_id=reservation_id,
        categories=list(categories) if categories else None,
        confirm=confirm,
    )
