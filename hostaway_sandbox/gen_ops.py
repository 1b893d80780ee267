"""Generate operations data: cleaning/maintenance tasks and expenses (negative) or extras (positive)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from .catalog import ACCOUNT_ID, CITY_BY_NAME, EXPENSE_CATEGORIES, LIVE_STATUSES, MANAGER
from .shapes import (
    EXPENSE_KEYS,
    TASK_KEYS,
    USER_KEYS,
    USER_PERMISSIONS,
    blank,
    fmt_dt,
    parse_day,
)

FIRST_TASK_ID = 30_001
FIRST_EXPENSE_ID = 1_201
CLEANERS = (501, 502, 503, 504)
CLEANER_NAMES = (
    ("Rita", "Lopes"),
    ("Joana", "Ferreira"),
    ("Carlos", "Mendes"),
    ("Grace", "Hill"),
)
MANAGER_USER_ID = 500
MAINTENANCE = (
    ("Replace air conditioning filter", 45.0),
    ("Fix leaking kitchen tap", 120.0),
    ("Repaint bedroom wall after scuff marks", 260.0),
    ("Replace smoke detector battery", 15.0),
    ("Service the washing machine", 90.0),
    ("Replace broken bedside lamp", 35.0),
)
BACK_OFFICE = (
    "Renew short-term rental licence",
    "Update the house manual",
    "Check insurance policy",
)
EXTRAS = (("Late check-out fee", 30.0), ("Airport transfer", 45.0), ("Early check-in fee", 25.0))


def _utc(listing: dict[str, Any], local: datetime) -> datetime:
    return local - timedelta(hours=CITY_BY_NAME[listing["city"]].utc_offset)


def _task(
    listing: dict[str, Any] | None, title: str, local_start: datetime, local_end: datetime
) -> dict[str, Any]:
    task = blank(TASK_KEYS)
    start = _utc(listing, local_start) if listing else local_start
    end = _utc(listing, local_end) if listing else local_end
    task.update(
        listingMapId=listing["id"] if listing else None,
        isUpdatedManually=0,
        reservationUnitId=0,
        title=title,
        canStartFrom=fmt_dt(start),
        canStartFromListingTime=fmt_dt(local_start),
        shouldEndBy=fmt_dt(end),
        shouldEndByListingTime=fmt_dt(local_end),
        rank=0,
        checklistItems=[],
        customFieldValue=[],
    )
    return task


def _set_progress(
    rng: random.Random, task: dict[str, Any], now: datetime, overdue_share: float = 0.0
) -> None:
    """Past tasks are completed (a share of them still in progress, i.e. overdue), tasks due
    within two days confirmed, later ones pending."""
    start = datetime.strptime(task["canStartFrom"], "%Y-%m-%d %H:%M:%S")
    if start + timedelta(hours=4) < now and rng.random() < overdue_share:
        task.update(status="inProgress", startedAt=fmt_dt(start + timedelta(minutes=30)))
    elif start + timedelta(hours=4) < now:
        task.update(
            status="completed",
            startedAt=fmt_dt(start + timedelta(minutes=rng.randint(10, 60))),
            completedAt=fmt_dt(start + timedelta(minutes=rng.randint(90, 200))),
        )
    elif start < now + timedelta(days=2):
        task.update(
            status="confirmed", confirmedAt=fmt_dt(now - timedelta(hours=rng.randint(1, 30)))
        )
    else:
        task["status"] = "pending"


def generate_tasks(
    rng: random.Random,
    reservations: list[dict[str, Any]],
    listings: dict[int, dict[str, Any]],
    today: date,
    now: datetime,
) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    live = sorted(
        (r for r in reservations if r["status"] in LIVE_STATUSES),
        key=lambda r: (r["listingMapId"], r["arrivalDate"]),
    )
    arrivals: dict[int, list[date]] = {}
    for reservation in live:
        arrivals.setdefault(reservation["listingMapId"], []).append(
            parse_day(reservation["arrivalDate"])
        )
    for reservation in live:
        departure = parse_day(reservation["departureDate"])
        if not today - timedelta(days=60) <= departure <= today + timedelta(days=30):
            continue
        listing = listings[reservation["listingMapId"]]
        next_arrival = min((a for a in arrivals[listing["id"]] if a >= departure), default=None)
        due_day = min(next_arrival or departure + timedelta(days=2), departure + timedelta(days=2))
        turnover = next_arrival == departure
        task = _task(
            listing,
            f"Turnover cleaning: {listing['internalListingName']}",
            datetime.combine(departure, time(int(listing["checkOutTime"]))),
            datetime.combine(due_day, time(int(listing["checkInTimeStart"]))),
        )
        task.update(
            reservationId=reservation["id"],
            channelId=reservation["channelId"],
            assigneeUserId=rng.choice(CLEANERS),
            description=f"{reservation['guestName']} checks out at {listing['checkOutTime']}:00."
            + (" Same-day check-in: the next guests arrive today." if turnover else ""),
            canStartFromEvent="departure",
            canStartFromEventDelta=0,
            shouldEndByEvent="arrival" if next_arrival == due_day else None,
            shouldEndByEventDelta=0 if next_arrival == due_day else None,
            priority=1 if turnover else 0,
            cost=listing["cleaningFee"],
            costCurrency=listing["currencyCode"],
            categoriesMap=[1],
        )
        _set_progress(rng, task, now)
        tasks.append(task)
    listing_list = list(listings.values())
    for title, cost in MAINTENANCE * 2:
        listing = rng.choice(listing_list)
        day = today + timedelta(days=rng.randint(-90, 30))
        task = _task(
            listing,
            title,
            datetime.combine(day, time(9)),
            datetime.combine(day + timedelta(days=3), time(18)),
        )
        task.update(
            description=f"Reported in {listing['internalListingName']}.",
            priority=rng.choice((0, 1, 2)),
            cost=cost,
            costCurrency=listing["currencyCode"],
            costDescription="Estimate from contractor",
            categoriesMap=[2],
        )
        _set_progress(rng, task, now, overdue_share=0.3)
        tasks.append(task)
    for title in BACK_OFFICE:
        day = today + timedelta(days=rng.randint(-20, 40))
        task = _task(
            None,
            title,
            datetime.combine(day, time(9)),
            datetime.combine(day + timedelta(days=14), time(17)),
        )
        task.update(categoriesMap=[5], priority=0)
        _set_progress(rng, task, now)
        tasks.append(task)
    tasks.sort(key=lambda t: (t["canStartFrom"], t["title"]))
    for offset, task in enumerate(tasks):
        task["id"] = FIRST_TASK_ID + offset
    return tasks


def _expense(
    listing: dict[str, Any], day: date, concept: str, amount: float, category: int
) -> dict[str, Any]:
    expense = blank(EXPENSE_KEYS)
    stamp = fmt_dt(datetime.combine(day, time(18, 30)))
    expense.update(
        accountId=ACCOUNT_ID,
        listingMapId=listing["id"],
        expenseDate=day.isoformat(),
        concept=concept,
        amount=amount,
        type="expense" if amount < 0 else "extra",
        isDeleted=0,
        insertedOn=stamp,
        updatedOn=stamp,
        ownerStatementIds=[],
        categories=[category],
        categoriesNames=[EXPENSE_CATEGORIES[category]],
        attachments=[],
        listingName=listing["name"],
        ownerStatementNames=[],
    )
    return expense


def generate_expenses(
    rng: random.Random,
    reservations: list[dict[str, Any]],
    listings: dict[int, dict[str, Any]],
    today: date,
) -> list[dict[str, Any]]:
    expenses: list[dict[str, Any]] = []
    for listing in listings.values():
        size = 1 + int(listing["bedroomsNumber"])
        for months_back in range(12, -1, -1):
            year, month = divmod(today.year * 12 + today.month - 1 - months_back, 12)
            first = date(year, month + 1, 1)
            day = first + timedelta(days=rng.randint(0, 26))
            if day >= today:
                continue
            amount = -float(rng.randint(35, 70) * size)
            expenses.append(_expense(listing, day, "Electricity and water", amount, 3))
            if rng.random() < 0.6:
                spent = -float(rng.randint(20, 70))
                expenses.append(
                    _expense(listing, day, "Cleaning supplies and toiletries", spent, 4)
                )
            if rng.random() < 0.25:
                concept, cost = rng.choice(MAINTENANCE)
                expenses.append(_expense(listing, day, f"Contractor: {concept.lower()}", -cost, 2))
    for reservation in reservations:
        departure = parse_day(reservation["departureDate"])
        if reservation["status"] in LIVE_STATUSES and departure < today and rng.random() < 0.07:
            concept, amount = rng.choice(EXTRAS)
            expense = _expense(listings[reservation["listingMapId"]], departure, concept, amount, 5)
            expense.update(reservationId=reservation["id"], guestName=reservation["guestName"])
            expenses.append(expense)
    expenses.sort(key=lambda e: (e["expenseDate"], e["listingMapId"], e["concept"]))
    for offset, expense in enumerate(expenses):
        expense["id"] = FIRST_EXPENSE_ID + offset
    return expenses


def generate_users(now: datetime) -> list[dict[str, Any]]:
    """The account's users: the manager (an admin) and the cleaners tasks are assigned to."""
    people: list[tuple[int, str, str, str, str | None, bool]] = [
        (MANAGER_USER_ID, MANAGER[1], MANAGER[2], MANAGER[3], MANAGER[4], True)
    ]
    for user_id, (first, last) in zip(CLEANERS, CLEANER_NAMES, strict=True):
        email = f"{first.lower()}.{last.lower()}@sandbox-stays.example.com"
        people.append((user_id, first, last, email, None, False))
    users = []
    for user_id, first, last, email, phone, admin in people:
        user = blank(USER_KEYS)
        user.update(dict.fromkeys(USER_PERMISSIONS, 1 if admin else 0))
        user.update(
            id=user_id,
            accountId=ACCOUNT_ID,
            userGroupId=1 if admin else 2,
            email=email,
            verificationCode="",
            secondEmail="",
            firstName=first,
            lastName=last,
            title="Manager" if admin else "Cleaner",
            phone=phone,
            preferredContactMethod="email",
            timezone="UTC",
            readTask=1,
            updateTask=1,
            isDisabledByHostaway=0,
            isDisabledByAccount=0,
            hasAccessToNewListings=1 if admin else 0,
            isAdmin=1 if admin else 0,
            lastLoginOn=fmt_dt(now - timedelta(hours=2 + user_id % 7)),
            listingMapIds=[],
        )
        users.append(user)
    return users
