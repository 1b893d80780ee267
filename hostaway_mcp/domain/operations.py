"""Operations: guest reviews, tasks (cleaning, maintenance…) and expenses/extras."""

from __future__ import annotations

from datetime import date, timedelta

from ..errors import ValidationFailed
from ..hostaway import DateRange, Expense, Hostaway, Progress, Review, Task, no_progress
from .availability import validate_period
from .cursor import decode_cursor
from .fencing import KnownSecrets
from .models.operations import (
    ExpenseList,
    ExpenseOut,
    ReviewList,
    ReviewOut,
    TaskList,
    TaskOut,
    expense_summary,
    review_summary,
)
from .names import listing_name, listings_for, secrets_for
from .paging import collect

PAGE_SIZE = 100
EXPENSE_PAGE_SIZE = 500  # Hostaway's documented maximum for /expenses
MAX_FILTER_DAYS = 3660  # a date filter, not a stay: allow ten years


def _check_period(start_date: date | None, end_date: date | None) -> None:
    if start_date is not None and end_date is not None:
        validate_period(start_date, end_date, max_nights=MAX_FILTER_DAYS)


def _in_period(day: date | None, start_date: date | None, end_date: date | None) -> bool:
    if start_date is None and end_date is None:
        return True
    if day is None:
        return False
    return (start_date is None or day >= start_date) and (end_date is None or day < end_date)


# ---- reviews -----------------------------------------------------------------------------------


async def list_reviews(
    hostaway: Hostaway,
    *,
    listing_id: int | None,
    min_rating: float | None,
    max_rating: float | None,
    departure_from: date | None,
    departure_to: date | None,
    limit: int,
    cursor: str | None,
    progress: Progress = no_progress,
) -> ReviewList:
    if min_rating is not None and max_rating is not None and max_rating < min_rating:
        raise ValidationFailed(f"max_rating ({max_rating}) is below min_rating ({min_rating}).")
    if departure_from and departure_to and departure_to < departure_from:
        raise ValidationFailed(
            f"departure_to ({departure_to}) is before departure_from ({departure_from})."
        )
    filters = {
        "listing_id": listing_id,
        "rating": [min_rating, max_rating],
        "departure": [departure_from, departure_to],
    }
    offset = decode_cursor(cursor, "list_reviews", filters) or 0

    def accept(r: Review) -> bool:
        return (
            r.by_guest
            and r.has_content
            and (listing_id is None or r.listing_id == listing_id)
            and (min_rating is None or (r.rating is not None and r.rating >= min_rating))
            and (max_rating is None or (r.rating is not None and r.rating <= max_rating))
            and (departure_from is None or (r.departure_date or date.min) >= departure_from)
            and (departure_to is None or (r.departure_date or date.max) <= departure_to)
        )

    pages = hostaway.guest_review_pages(
        listing_id=listing_id,
        departing=DateRange(departure_from, departure_to),
        offset=offset,
        page_size=PAGE_SIZE,
    )
    found = await collect(pages, accept, limit, progress)
    listings = await listings_for(
        hostaway, (r.listing_id for r in found.items if not r.listing_name)
    )
    secrets = await secrets_for(hostaway, (r.listing_id for r in found.items))
    reviews = [ReviewOut.of(r, listing_name(listings, r.listing_id), secrets) for r in found.items]
    next_cursor, resume = found.cursors("list_reviews", filters)
    return ReviewList(
        reviews=reviews,
        next_cursor=next_cursor,
        **review_summary(reviews),
    ).with_resume(resume)


# ---- tasks -------------------------------------------------------------------------------------


async def list_tasks(
    hostaway: Hostaway,
    *,
    listing_id: int | None,
    reservation_id: int | None,
    status: str | None,
    start_date: date | None,
    end_date: date | None,
    limit: int,
    cursor: str | None,
    progress: Progress = no_progress,
) -> TaskList:
    _check_period(start_date, end_date)
    filters = {
        "listing_id": listing_id,
        "reservation_id": reservation_id,
        "status": status,
        "period": [start_date, end_date],
    }
    offset = decode_cursor(cursor, "list_tasks", filters) or 0
    # Hostaway filters on UTC datetimes; the period is in listing-local days, so the upstream
    # window is one day wider on each side and the exact check happens here.
    can_start = DateRange(
        start_date - timedelta(days=1) if start_date else None,
        end_date + timedelta(days=1) if end_date else None,
    )

    def accept(t: Task) -> bool:
        return (
            (listing_id is None or t.listing_id == listing_id)
            and (reservation_id is None or t.reservation_id == reservation_id)
            and (status is None or t.status == status)
            and _in_period(t.day, start_date, end_date)
        )

    pages = hostaway.task_pages(
        listing_id=listing_id,
        reservation_id=reservation_id,
        status=status,
        can_start=can_start,
        offset=offset,
        page_size=PAGE_SIZE,
    )
    found = await collect(pages, accept, limit, progress)
    listings = await listings_for(hostaway, (t.listing_id for t in found.items))
    secrets = KnownSecrets.of(
        listings[t.listing_id] for t in found.items if t.listing_id in listings
    )
    next_cursor, resume = found.cursors("list_tasks", filters)
    return TaskList(
        tasks=[TaskOut.of(t, listing_name(listings, t.listing_id), secrets) for t in found.items],
        next_cursor=next_cursor,
    ).with_resume(resume)


# ---- expenses ----------------------------------------------------------------------------------


def _describe_expense_filters(
    listing_id: int | None, start_date: date | None, end_date: date | None
) -> list[str]:
    where = "(here, after fetching: Hostaway's expense list has no filters)"
    described = []
    if listing_id is not None:
        described.append(f"listing_id={listing_id} {where}")
    if start_date is not None:
        described.append(f"date >= {start_date} {where}")
    if end_date is not None:
        described.append(f"date < {end_date} (end_date is exclusive) {where}")
    return described


async def list_expenses(
    hostaway: Hostaway,
    *,
    listing_id: int | None,
    start_date: date | None,
    end_date: date | None,
    limit: int,
    cursor: str | None,
    progress: Progress = no_progress,
) -> ExpenseList:
    _check_period(start_date, end_date)
    filters = {"listing_id": listing_id, "period": [start_date, end_date]}
    offset = decode_cursor(cursor, "list_expenses", filters) or 0
    filtered = listing_id is not None or start_date is not None or end_date is not None

    def accept(e: Expense) -> bool:
        return (
            not e.deleted
            and (listing_id is None or e.listing_id == listing_id)
            and _in_period(e.expense_date, start_date, end_date)
        )

    pages = hostaway.expense_pages(
        offset=offset, page_size=EXPENSE_PAGE_SIZE if filtered else max(limit, 1)
    )
    found = await collect(pages, accept, limit, progress)
    listings = await listings_for(hostaway, (e.listing_id for e in found.items))
    expenses = []
    for e in found.items:
        listing = listings.get(e.listing_id) if e.listing_id is not None else None
        expenses.append(
            ExpenseOut.of(
                e, listing.name if listing else None, listing.currency if listing else None
            )
        )
    next_cursor, resume = found.cursors("list_expenses", filters)
    return ExpenseList(
        expenses=expenses,
        next_cursor=next_cursor,
        filters_applied=_describe_expense_filters(listing_id, start_date, end_date),
        **expense_summary(expenses),
    ).with_resume(resume)
