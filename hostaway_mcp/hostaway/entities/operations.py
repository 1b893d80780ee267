"""Reviews, tasks and expenses/extras, mapped once from raw Hostaway dicts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from .._values import as_bool, as_date, as_datetime, as_float, as_int, as_str, money
from ..channels import channel_label

TASK_CATEGORIES: dict[int, str] = {
    1: "cleaning",
    2: "maintenance",
    3: "check-in",
    4: "check-out",
    5: "back office",
    6: "other",
}

TASK_CATEGORY_IDS = {name: number for number, name in TASK_CATEGORIES.items()}
GUEST_TO_HOST = "guest-to-host"


class Review(BaseModel):
    id: int
    listing_id: int | None = None
    listing_name: str | None = None
    reservation_id: int | None = None
    channel_id: int | None = None
    channel: str | None = None
    type: str | None = None
    status: str | None = None
    rating: float | None = None  # Hostaway's overall rating as given (0-10 in this project)
    public_review: str | None = None
    private_feedback: str | None = None
    host_response: str | None = None
    guest_name: str | None = None
    arrival_date: date | None = None
    departure_date: date | None = None
    cancelled: bool = False

    @property
    def by_guest(self) -> bool:
        """Written by the guest about the stay (not the host's review of the guest)."""
        return self.type == GUEST_TO_HOST

    @property
    def has_content(self) -> bool:
        """Did the guest actually leave something (not a review still awaiting the guest)?"""
        return self.rating is not None or bool(self.public_review or self.private_feedback)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Review:
        channel_id = as_int(raw.get("channelId"))
        return cls(
            id=as_int(raw.get("id")) or 0,
            listing_id=as_int(raw.get("listingMapId")),
            listing_name=as_str(raw.get("listingName")),
            reservation_id=as_int(raw.get("reservationId")),
            channel_id=channel_id,
            channel=channel_label(channel_id),
            type=as_str(raw.get("type")),
            status=as_str(raw.get("status")),
            rating=as_float(raw.get("rating")),
            public_review=as_str(raw.get("publicReview")),
            private_feedback=as_str(raw.get("privateFeedback")),
            host_response=as_str(raw.get("revieweeResponse")),
            guest_name=as_str(raw.get("guestName")),
            arrival_date=as_date(raw.get("arrivalDate")),
            departure_date=as_date(raw.get("departureDate")),
            cancelled=as_bool(raw.get("isCancelled")) is True,
        )


def task_category_ids(raw: Any) -> list[int]:
    """`categoriesMap` comes as null, a list of ids (or of {id: ...} objects), or a dict keyed by
    id (or by name with the id as value)."""
    found: list[int] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            number = as_int(key)
            if number is None:
                number = as_int(value.get("id") if isinstance(value, dict) else value)
                number = number if number is not None else TASK_CATEGORY_IDS.get(str(key).lower())
            elif value is False or value == 0:
                continue  # {"2": false}: that category is off
            if number is not None:
                found.append(number)
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict):
                item = item.get("id", item.get("categoryId"))
            number = as_int(item)
            if number is not None:
                found.append(number)
    return sorted(set(found))


class Task(BaseModel):
    id: int
    title: str | None = None
    description: str | None = None
    listing_id: int | None = None
    reservation_id: int | None = None
    status: str | None = None
    categories: list[str] = []
    starts_at: datetime | None = None  # canStartFrom, UTC
    due_at: datetime | None = None  # shouldEndBy, UTC
    local_start_day: date | None = None  # the listing-local day it can start on, when known
    local_due_day: date | None = None
    assignee_user_id: int | None = None
    priority: int | None = None
    cost: float | None = None
    cost_currency: str | None = None

    @property
    def day(self) -> date | None:
        """The day the task belongs to: its listing-local start day, else its UTC start, else the
        day it is due."""
        start = self.local_start_day or (self.starts_at.date() if self.starts_at else None)
        return start or self.local_due_day or (self.due_at.date() if self.due_at else None)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Task:
        return cls(
            id=as_int(raw.get("id")) or 0,
            title=as_str(raw.get("title")),
            description=as_str(raw.get("description")),
            listing_id=as_int(raw.get("listingMapId")),
            reservation_id=as_int(raw.get("reservationId")),
            status=as_str(raw.get("status")),
            categories=[
                TASK_CATEGORIES.get(number, f"category {number}")
                for number in task_category_ids(raw.get("categoriesMap"))
            ],
            starts_at=as_datetime(raw.get("canStartFrom")),
            due_at=as_datetime(raw.get("shouldEndBy")),
            local_start_day=as_date(raw.get("canStartFromListingTime")),
            local_due_day=as_date(raw.get("shouldEndByListingTime")),
            assignee_user_id=as_int(raw.get("assigneeUserId")),
            priority=as_int(raw.get("priority")),
            cost=money(raw.get("cost")),
            cost_currency=as_str(raw.get("costCurrency")),
        )


class Expense(BaseModel):
    id: int
    expense_date: date | None = None
    listing_id: int | None = None
    listing_name: str | None = None
    reservation_id: int | None = None
    concept: str | None = None
    amount: float | None = None  # signed as Hostaway stores it: negative = expense
    type: str = "expense"  # expense | extra
    categories: list[str] = []
    deleted: bool = False

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Expense:
        amount = money(raw.get("amount"))
        kind = as_str(raw.get("type"))
        if kind not in {"expense", "extra"}:
            # Hostaway: the sign of the amount sets the type.
            kind = "extra" if amount is not None and amount > 0 else "expense"
        names = [as_str(name) for name in raw.get("categoriesNames") or []]
        ids = [as_int(number) for number in raw.get("categories") or []]
        categories = [name for name in names if name] or [
            f"category {number}" for number in ids if number is not None
        ]
        return cls(
            id=as_int(raw.get("id")) or 0,
            expense_date=as_date(raw.get("expenseDate")),
            listing_id=as_int(raw.get("listingMapId")),
            listing_name=as_str(raw.get("listingName")),
            reservation_id=as_int(raw.get("reservationId")),
            concept=as_str(raw.get("concept")),
            amount=amount,
            type=kind,
            categories=categories,
            deleted=as_bool(raw.get("isDeleted")) is True,
        )


class User(BaseModel):
    """A user of the Hostaway account (a manager, a cleaner): who a task is assigned to."""

    id: int
    name: str

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> User:
        user_id = as_int(raw.get("id")) or 0
        full = " ".join(
            part for part in (as_str(raw.get("firstName")), as_str(raw.get("lastName"))) if part
        )
        return cls(id=user_id, name=full or as_str(raw.get("email")) or f"user {user_id}")
