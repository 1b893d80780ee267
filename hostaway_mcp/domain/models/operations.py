"""Output models for reviews, tasks and expenses/extras.

The review and expense lists carry summaries (average rating, totals) of every matching item, not
only of the page shown: the output budget may cut the list, never the summaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import Field

from ...hostaway import Expense, Review, Task
from ..fencing import NO_SECRETS, KnownSecrets, fence, scrub
from ..formatting import round2, shorten
from .common import CountedPage, FromStore, Output, Untrusted, texts

REVIEW_TEXT_CHARS = 1500
TASK_TEXT_CHARS = 300
MORE_IN_HOSTAWAY = "the full text is in Hostaway"


class ReviewOut(Output):
    id: int
    listing_id: int | None
    listing_name: str | None
    reservation_id: int | None
    rating: float | None = Field(description="Hostaway's overall rating as given (0-10 scale).")
    departure_date: dt.date | None
    channel: str | None
    status: str | None = Field(description="Hostaway's review status, e.g. published.")
    untrusted: Annotated[
        Untrusted | None,
        texts("guest_name", "public_review", "private_feedback", "host_response"),
    ] = None

    @classmethod
    def of(
        cls, r: Review, listing_name: str | None, secrets: KnownSecrets = NO_SECRETS
    ) -> ReviewOut:
        def text(value: str | None) -> str | None:
            return shorten(scrub(value, secrets), REVIEW_TEXT_CHARS, MORE_IN_HOSTAWAY)

        return cls(
            id=r.id,
            listing_id=r.listing_id,
            listing_name=r.listing_name or listing_name,
            reservation_id=r.reservation_id,
            rating=r.rating,
            departure_date=r.departure_date,
            channel=r.channel,
            status=r.status,
            untrusted=fence(
                guest_name=r.guest_name,
                public_review=text(r.public_review),
                private_feedback=text(r.private_feedback),
                host_response=text(r.host_response),
            ),
        )


class ReviewList(CountedPage, FromStore):
    items_field: ClassVar[str] = "reviews"
    reviews: list[ReviewOut]
    average_rating: float | None = Field(
        description="Mean rating of every matching review, all pages (of the `total` read when "
        "total_is_exact is false); null if none rated, and on pages after the first."
    )
    rated_count: int | None = Field(description="Rated matches the average covers.")
    count: int = Field(description="Reviews in this result (this page).")

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        copy = super().model_copy(update=update, deep=deep)
        if update and self.items_field in update:
            copy = super(ReviewList, copy).model_copy(update={"count": len(copy.reviews)})
        return copy


class TaskOut(Output):
    id: int
    title: str | None
    listing_id: int | None
    listing_name: str | None
    reservation_id: int | None
    status: str | None = Field(description="pending, confirmed, inProgress, completed, cancelled.")
    category: str | None = Field(
        description="cleaning, maintenance, check-in, check-out, back office, other (several "
        "are joined with ', ')."
    )
    starts_at: dt.datetime | None = Field(description="Can start from (UTC).")
    due_at: dt.datetime | None = Field(description="Should end by (UTC).")
    assignee_user_id: int | None
    assignee_name: str | None = Field(description="The Hostaway user it is assigned to.")
    cost: float | None
    cost_currency: str | None
    description: str | None

    @classmethod
    def of(
        cls,
        t: Task,
        listing_name: str | None,
        assignee_name: str | None = None,
        secrets: KnownSecrets = NO_SECRETS,
    ) -> TaskOut:
        return cls(
            id=t.id,
            title=t.title,
            listing_id=t.listing_id,
            listing_name=listing_name,
            reservation_id=t.reservation_id,
            status=t.status,
            category=", ".join(t.categories) or None,
            starts_at=t.starts_at,
            due_at=t.due_at,
            assignee_user_id=t.assignee_user_id,
            assignee_name=assignee_name,
            cost=t.cost,
            cost_currency=t.cost_currency,
            description=shorten(secrets.mask(t.description), TASK_TEXT_CHARS, MORE_IN_HOSTAWAY),
        )


class TaskList(CountedPage, FromStore):
    items_field: ClassVar[str] = "tasks"
    tasks: list[TaskOut]
    filters_applied: list[str] = Field(
        description="Each filter, what a status word was taken to mean, and where it ran."
    )


class ExpenseOut(Output):
    id: int
    date: dt.date | None = Field(description="The expense date.")
    listing_id: int | None
    listing_name: str | None
    reservation_id: int | None
    concept: str | None
    amount: float | None = Field(
        description="Signed as Hostaway stores it: negative = expense (cost), positive = extra."
    )
    currency: str | None = Field(
        description="The property's currency (Hostaway stores none on expenses)."
    )
    type: Literal["expense", "extra"]
    categories: list[str]

    @classmethod
    def of(cls, e: Expense, listing_name: str | None, currency: str | None) -> ExpenseOut:
        return cls(
            id=e.id,
            date=e.expense_date,
            listing_id=e.listing_id,
            listing_name=e.listing_name or listing_name,
            reservation_id=e.reservation_id,
            concept=e.concept,
            amount=e.amount,
            currency=currency,
            type="extra" if e.type == "extra" else "expense",
            categories=e.categories,
        )


class CurrencyTotal(Output):
    currency: str | None
    expenses: float = Field(description="Sum of the expenses (negative amounts).")
    extras: float = Field(description="Sum of the extras (positive amounts).")
    total_amount: float = Field(description="expenses + extras.")


def expense_summary(expenses: list[ExpenseOut]) -> dict[str, Any]:
    groups: dict[str | None, list[ExpenseOut]] = {}
    for expense in expenses:
        groups.setdefault(expense.currency, []).append(expense)
    totals = []
    for currency, rows in sorted(groups.items(), key=lambda item: item[0] or ""):
        costs = sum(e.amount or 0.0 for e in rows if e.type == "expense")
        extras = sum(e.amount or 0.0 for e in rows if e.type == "extra")
        totals.append(
            CurrencyTotal(
                currency=currency,
                expenses=round2(costs),
                extras=round2(extras),
                total_amount=round2(costs + extras),
            )
        )
    single = totals[0] if len(totals) == 1 else None
    return {
        "total_amount": single.total_amount if single else (0.0 if not totals else None),
        "currency": single.currency if single else None,
        "totals_by_currency": totals,
    }


NO_SUMMARY: dict[str, Any] = {"total_amount": None, "currency": None, "totals_by_currency": []}


class ExpenseList(CountedPage, FromStore):
    items_field: ClassVar[str] = "expenses"
    expenses: list[ExpenseOut]
    total_amount: float | None = Field(
        description="Sum of every match, all pages (expenses negative, extras positive), when "
        "they share one currency; null when they span several (see totals_by_currency), and on "
        "pages after the first."
    )
    currency: str | None = Field(description="The currency of total_amount.")
    totals_by_currency: list[CurrencyTotal] = Field(
        description="Per currency: expenses, extras and their sum, over every match."
    )
    filters_applied: list[str] = Field(
        description="Each filter and where it ran (Hostaway has no expense filters: all run here)."
    )
