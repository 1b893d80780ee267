"""Task and expense writes."""

from __future__ import annotations

from typing import Any

from .catalog import ACCOUNT_ID, TASK_CATEGORIES
from .errors import BadRequest
from .shapes import EXPENSE_KEYS, TASK_KEYS, blank, fmt_dt
from .store import Store
from .values import as_date, as_datetime, as_int, as_number, as_text

TASK_STATUSES = ("pending", "confirmed", "inProgress", "completed", "cancelled")
TASK_TEXT_FIELDS = ("description", "costCurrency", "costDescription", "color", "resolutionNote")
TASK_INT_FIELDS = ("assigneeUserId", "channelId", "priority", "checklistTemplateId")


def _optional_id(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    return None if value in (None, "") else as_int(value, name)


def create_task(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    title = as_text(body.get("title"), "title")
    task = blank(TASK_KEYS)
    listing_id = _optional_id(body, "listingMapId")
    if listing_id is not None:
        store.listing(listing_id)
    reservation_id = _optional_id(body, "reservationId")
    if reservation_id is not None:
        reservation = store.reservation(reservation_id)
        listing_id = listing_id or reservation["listingMapId"]
    for name in TASK_TEXT_FIELDS:
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise BadRequest(f"Invalid {name}: expected a string")
        task[name] = value
    for name in TASK_INT_FIELDS:
        task[name] = _optional_id(body, name)
    status = body.get("status") or "pending"
    if status not in TASK_STATUSES:
        raise BadRequest(f"Invalid status: use one of {', '.join(TASK_STATUSES)}")
    categories = body.get("categoriesMap")
    if categories is not None:
        if not isinstance(categories, list):
            raise BadRequest("categoriesMap must be a list of category ids")
        categories = [as_int(c, "categoriesMap") for c in categories]
        if any(c not in TASK_CATEGORIES for c in categories):
            raise BadRequest("categoriesMap ids must be between 1 and 6")
    stamp = store.stamp()
    starts = body.get("canStartFrom")
    ends = body.get("shouldEndBy")
    start_text = fmt_dt(as_datetime(starts, "canStartFrom")) if starts else None
    end_text = fmt_dt(as_datetime(ends, "shouldEndBy")) if ends else None
    task.update(
        id=store.next_id(store.tasks),
        listingMapId=listing_id,
        reservationId=reservation_id,
        isUpdatedManually=0,
        reservationUnitId=0,
        title=title,
        canStartFrom=start_text,
        canStartFromListingTime=start_text,
        shouldEndBy=end_text,
        shouldEndByListingTime=end_text,
        status=status,
        cost=None if body.get("cost") is None else as_number(body["cost"], "cost"),
        completedAt=stamp if status == "completed" else None,
        rank=0,
        checklistItems=[],
        customFieldValue=[],
        categoriesMap=categories,
    )
    store.tasks.append(task)
    return task


def _categories(store: Store, body: dict[str, Any]) -> tuple[list[int], list[str]]:
    """Known category ids, plus names (unknown names create a category, as Hostaway does)."""
    ids = body.get("categories") or []
    names = body.get("categoriesNames") or []
    if not isinstance(ids, list) or not isinstance(names, list):
        raise BadRequest("categories and categoriesNames must be lists")
    result = []
    for value in ids:
        category = as_int(value, "categories")
        if category not in store.expense_categories:
            raise BadRequest(f"Unknown expense category {category}")
        result.append(category)
    by_name = {name.lower(): cid for cid, name in store.expense_categories.items()}
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise BadRequest("categoriesNames must be non-empty strings")
        known = by_name.get(name.strip().lower())
        if known is None:
            known = max(store.expense_categories) + 1
            store.expense_categories[known] = name.strip()
            by_name[name.strip().lower()] = known
        if known not in result:
            result.append(known)
    return result, [store.expense_categories[c] for c in result]


def create_expense(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    if body.get("expenseDate") in (None, ""):
        raise BadRequest("expenseDate is required")
    expense_date = as_date(body["expenseDate"], "expenseDate")
    concept = as_text(body.get("concept"), "concept", max_length=255)
    if body.get("amount") in (None, ""):
        raise BadRequest("amount is required")
    amount = round(as_number(body["amount"], "amount"), 2)
    listing_id = _optional_id(body, "listingMapId")
    listing = store.listing(listing_id) if listing_id is not None else None
    reservation_id = _optional_id(body, "reservationId")
    reservation = store.reservation(reservation_id) if reservation_id is not None else None
    categories, category_names = _categories(store, body)
    stamp = store.stamp()
    expense = blank(EXPENSE_KEYS)
    expense.update(
        id=store.next_id(store.expenses),
        accountId=ACCOUNT_ID,
        listingMapId=listing_id,
        reservationId=reservation_id,
        expenseDate=expense_date.isoformat(),
        concept=concept,
        amount=amount,
        type="expense" if amount < 0 else "extra",  # the sign decides, as in Hostaway
        isDeleted=0,
        insertedOn=stamp,
        updatedOn=stamp,
        ownerStatementIds=[],
        categories=categories,
        categoriesNames=category_names,
        attachments=[],
        listingName=listing["name"] if listing else None,
        guestName=reservation["guestName"] if reservation else None,
        ownerStatementNames=[],
    )
    store.expenses.append(expense)
    return expense
