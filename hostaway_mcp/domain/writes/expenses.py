"""create_expense: an expense (a cost) or an extra (income) on a property, optionally a booking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

from ...errors import ValidationFailed
from ...hostaway import CreatedObject, Hostaway, Listing, NewExpense, Reservation, commands
from ..formatting import round2
from ..models.writes import WriteOutcome, WriteResult
from .checks import booking_label, money_text
from .engine import PlannedWrite, booking_and_listing, created, execute, listing_label, not_blank

MAX_CONCEPT_CHARS = 255
MAX_AMOUNT = 1_000_000.0
Kind = Literal["expense", "extra"]
CREATED = {"concept": "Concept", "kind": "Amount", "date": "Date", "categories": "Categories"}


def _validate(concept: str, amount: float) -> tuple[str, float]:
    text = not_blank(concept, "concept")
    if len(text) > MAX_CONCEPT_CHARS:
        raise ValidationFailed(f"concept has {len(text)} characters; the most is 255.")
    value = round2(amount)
    if not 0 < value <= MAX_AMOUNT:
        raise ValidationFailed(
            f"amount must be positive (at most {MAX_AMOUNT:,.0f}); kind says whether it is an "
            f"expense or an extra. Got {amount}."
        )
    return text, value


def _describe(
    expense: NewExpense,
    kind: Kind,
    listing: Listing,
    label: str,
    booking: Reservation | None,
) -> tuple[dict[str, str], list[str]]:
    shown = money_text(abs(expense.amount), listing.currency)
    details = {
        "property": label,
        "date": expense.expense_date.isoformat(),
        "concept": expense.concept,
        "kind": (
            f"expense: a cost of {shown} (sent as a negative amount)"
            if kind == "expense"
            else f"extra: income of {shown} (sent as a positive amount)"
        ),
    }
    warnings: list[str] = []
    if booking is not None:
        details["booking"] = booking_label(booking)
    if expense.category_ids or expense.category_names:
        details["categories"] = ", ".join(
            [*map(str, expense.category_ids), *expense.category_names]
        )
    if expense.category_names:
        warnings.append("Category names Hostaway does not know yet are created as new categories.")
    if listing.currency is None:
        warnings.append("The listing has no currency in Hostaway; the amount is in its default.")
    return details, warnings


def _outcome(kind: Kind) -> Callable[[CreatedObject], WriteOutcome]:
    def outcome(created: CreatedObject) -> WriteOutcome:
        note = f"Hostaway recorded it as {created.type}." if created.type else None
        if created.type and created.type != kind:
            note = f"Hostaway recorded it as {created.type}, not {kind}: check it in Hostaway."
        return WriteOutcome(kind="expense", id=created.id, status=created.status, note=note)

    return outcome


async def create_expense(
    hostaway: Hostaway,
    *,
    listing_id: int,
    expense_date: date,
    concept: str,
    amount: float,
    kind: Kind,
    reservation_id: int | None,
    categories: list[int | str] | None,
    confirm: bool,
) -> WriteResult:
    text, value = _validate(concept, amount)
    listing, booking = await booking_and_listing(hostaway, listing_id, reservation_id)
    assert listing is not None  # noqa: S101 - listing_id is required here
    label = await listing_label(hostaway, listing_id, listing.name)
    expense = NewExpense(
        listing_id=listing_id,
        reservation_id=reservation_id,
        expense_date=expense_date,
        concept=text,
        # Hostaway derives the type from the sign: negative = expense, positive = extra.
        amount=-value if kind == "expense" else value,
        category_ids=[c for c in categories or [] if isinstance(c, int)],
        category_names=[c.strip() for c in categories or [] if isinstance(c, str) and c.strip()],
    )
    details, warnings = _describe(expense, kind, listing, label, booking)
    shown = money_text(value, listing.currency)
    command = commands.create_expense(expense)
    plan = PlannedWrite(
        tool="create_expense",
        command=command,
        verbs=("record", "recorded"),
        # The concept is the caller's text: it stays in `details`, out of our sentence.
        what=f"an {kind} of {shown} for {label} on {expense_date}",
        details=details,
        changes=created(details, CREATED),
        target_type="listing",
        target_id=listing_id,
        outcome=_outcome(kind),
        how_to_check=(
            f'First look for "{text}" on {expense_date} among the expenses and extras of listing '
            f"{listing_id} in Hostaway (or {command.lookup}); another create_expense would "
            "record it twice."
        ),
        warnings=warnings,
    )
    return await execute(hostaway, plan, confirm=confirm)
