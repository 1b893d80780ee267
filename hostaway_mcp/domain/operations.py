"""Operations: guest reviews, tasks (cleaning, maintenance…) and expenses/extras."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from ..errors import HostawayError, ValidationFailed
from ..hostaway import (
    TASK_CATEGORIES,
    TASK_CATEGORY_IDS,
    DateRange,
    Expense,
    Hostaway,
    Progress,
    Review,
    Task,
    no_progress,
)
from .availability import validate_period
from .cursor import decode_cursor, shown_before
from .fencing import KnownSecrets
from .formatting import round2
from .models.operations import (
    NO_SUMMARY,
    ExpenseList,
    ExpenseOut,
    ReviewList,
    ReviewOut,
    TaskList,
    TaskOut,
    expense_summary,
)
from .names import listing_name, listings_for, secrets_for
from .paging import collect
from .status_words import TASK_WORDS, expand

logger = logging.getLogger(__name__)

PAGE_SIZE = 100
EXPENSE_PAGE_SIZE = 500  # Hostaway's documented maximum for /expenses
MAX_FILTER_DAYS = 3660  # a date filter, not a stay: allow ten years
# Reviews are read further than other lists: their average rating covers every match.
REVIEW_COUNT_PAGES = 20
TASK_CATEGORY_ALIASES = {
    "checkin": "check-in",
    "check in": "check-in",
    "checkout": "check-out",
    "check out": "check-out",
    "backoffice": "back office",
    "back-office": "back office",
}


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
    earlier = shown_before(cursor)

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
    ratings: list[float] = []  # of every match read, not only the page

    def tally(r: Review) -> None:
        if r.rating is not None:
            ratings.append(r.rating)

    found = await collect(
        pages,
        accept,
        limit,
        progress,
        shown_before=earlier,
        count_pages=REVIEW_COUNT_PAGES,
        on_match=tally,
    )
    listings = await listings_for(
        hostaway, (r.listing_id for r in found.items if not r.listing_name)
    )
    secrets = await secrets_for(hostaway, (r.listing_id for r in found.items))
    reviews = [ReviewOut.of(r, listing_name(listings, r.listing_id), secrets) for r in found.items]
    next_cursor, resume = found.cursors("list_reviews", filters)
    return ReviewList(
        reviews=reviews,
        next_cursor=next_cursor,
        total=found.total,
        total_is_exact=found.total_exact,
        # A later page's tally starts at its cursor: the average is the first page's question.
        average_rating=round2(sum(ratings) / len(ratings)) if ratings and not earlier else None,
        rated_count=len(ratings) if not earlier else None,
        count=len(reviews),
    ).with_resume(resume)


# ---- tasks -------------------------------------------------------------------------------------


def _task_categories(categories: list[str | int]) -> list[str]:
    """Category names from names or ids, as the tasks name them; a clear error otherwise."""
    names: list[str] = []
    for category in categories:
        if isinstance(category, int):
            name = TASK_CATEGORIES.get(category)
        else:
            name = " ".join(category.strip().lower().replace("_", " ").split())
            name = TASK_CATEGORY_ALIASES.get(name, name)
            name = name if name in TASK_CATEGORY_IDS else None
        if name is None:
            choices = ", ".join(f"{n} ({i})" for i, n in TASK_CATEGORIES.items())
            raise ValidationFailed(f"Unknown task category {category!r}. Use one of: {choices}.")
        names.append(name)
    return list(dict.fromkeys(names))


def _describe_task_filters(
    *,
    listing_id: int | None,
    reservation_id: int | None,
    statuses: list[str],
    read_as: list[str],
    categories: list[str],
    start_date: date | None,
    end_date: date | None,
) -> list[str]:
    upstream = "(Hostaway, re-checked here)"
    described = [*read_as]
    if listing_id is not None:
        described.append(f"listing_id={listing_id} {upstream}")
    if reservation_id is not None:
        described.append(f"reservation_id={reservation_id} {upstream}")
    if len(statuses) == 1:
        described.append(f"status={statuses[0]} {upstream}")
    elif statuses:
        described.append(f"status in {statuses} (here, after fetching)")
    if categories:
        described.append(f"category in {categories} (here: Hostaway has no category filter)")
    if start_date is not None:
        described.append(f"starts on or after {start_date} (listing-local day, checked here)")
    if end_date is not None:
        described.append(f"starts before {end_date} (end_date is exclusive, checked here)")
    return described


async def list_tasks(
    hostaway: Hostaway,
    *,
    listing_id: int | None,
    reservation_id: int | None,
    statuses: list[str] | None,
    categories: list[str | int] | None = None,
    start_date: date | None,
    end_date: date | None,
    limit: int,
    cursor: str | None,
    progress: Progress = no_progress,
) -> TaskList:
    _check_period(start_date, end_date)
    wanted, read_as = expand(statuses or [], TASK_WORDS)
    names = _task_categories(categories or [])
    filters = {
        "listing_id": listing_id,
        "reservation_id": reservation_id,
        "status": sorted(wanted),
        "category": sorted(names),
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
            and (not wanted or t.status in wanted)
            and (not names or any(c in names for c in t.categories))
            and _in_period(t.day, start_date, end_date)
        )

    pages = hostaway.task_pages(
        listing_id=listing_id,
        reservation_id=reservation_id,
        status=wanted[0] if len(wanted) == 1 else None,  # Hostaway takes one status
        can_start=can_start,
        offset=offset,
        page_size=PAGE_SIZE,
    )
    found = await collect(
        pages,
        accept,
        limit,
        progress,
        shown_before=shown_before(cursor),
        # Only exact-match filters that Hostaway applies itself: its count is the answer.
        upstream_count_is_exact=len(wanted) <= 1 and not names and not start_date and not end_date,
    )
    listings = await listings_for(hostaway, (t.listing_id for t in found.items))
    secrets = KnownSecrets.of(
        listings[t.listing_id] for t in found.items if t.listing_id in listings
    )
    users = await _assignees(hostaway, found.items)
    next_cursor, resume = found.cursors("list_tasks", filters)
    return TaskList(
        tasks=[
            TaskOut.of(
                t,
                listing_name(listings, t.listing_id),
                users.get(t.assignee_user_id or 0),
                secrets,
            )
            for t in found.items
        ],
        next_cursor=next_cursor,
        total=found.total,
        total_is_exact=found.total_exact,
        filters_applied=_describe_task_filters(
            listing_id=listing_id,
            reservation_id=reservation_id,
            statuses=wanted,
            read_as=read_as,
            categories=names,
            start_date=start_date,
            end_date=end_date,
        ),
    ).with_resume(resume)


async def _assignees(hostaway: Hostaway, tasks: list[Task]) -> dict[int, str]:
    """The names of the users tasks are assigned to (one cached read of the account's users)."""
    if all(t.assignee_user_id is None for t in tasks):
        return {}
    try:
        users = await hostaway.users_by_id()
    except HostawayError as exc:  # e.g. a key without access to users: the ids still show
        logger.info("users not readable", extra={"error": type(exc).__name__})
        return {}
    return {user.id: user.name for user in users.values()}


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
    earlier = shown_before(cursor)
    matched: list[Expense] = []  # every match read, for the totals

    def accept(e: Expense) -> bool:
        return (
            not e.deleted
            and (listing_id is None or e.listing_id == listing_id)
            and _in_period(e.expense_date, start_date, end_date)
        )

    pages = hostaway.expense_pages(offset=offset, page_size=EXPENSE_PAGE_SIZE)
    found = await collect(
        pages, accept, limit, progress, shown_before=earlier, on_match=matched.append
    )
    listings = await listings_for(hostaway, (e.listing_id for e in matched))

    def out(e: Expense) -> ExpenseOut:
        listing = listings.get(e.listing_id) if e.listing_id is not None else None
        return ExpenseOut.of(
            e, listing.name if listing else None, listing.currency if listing else None
        )

    next_cursor, resume = found.cursors("list_expenses", filters)
    # Totals are the first page's answer: a later page would total only from its cursor on.
    summary = expense_summary([out(e) for e in matched]) if not earlier else NO_SUMMARY
    return ExpenseList(
        expenses=[out(e) for e in found.items],
        next_cursor=next_cursor,
        total=found.total,
        total_is_exact=found.total_exact,
        filters_applied=_describe_expense_filters(listing_id, start_date, end_date),
        **summary,
    ).with_resume(resume)
