"""Mapping of Hostaway's official example payloads for conversations, messages, reviews, tasks and
expenses into entities."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from hostaway_mcp.hostaway.entities import Conversation, Expense, Message, Review, Task
from hostaway_mcp.hostaway.entities.operations import task_category_ids
from tests.support.records import example


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# ---- conversations and messages -----------------------------------------------------------------


def test_conversation_example_takes_the_listing_from_the_embedded_reservation() -> None:
    raw = example("conversation_conversationObject")
    c = Conversation.from_api(raw)
    assert c.id == 1406
    assert raw["listingMapId"] == 10450  # the account id, not a listing
    assert c.listing_id == 40160
    assert c.reservation_id == 2
    assert c.guest_name == "John Smith"
    assert c.has_unread is False  # 0
    assert c.message_sent_on == utc("2018-06-28 11:24:40")  # zone-less -> UTC
    assert c.message_received_on is None
    assert c.reservation is not None and c.reservation.status == "new"
    assert c.reservation.arrival == date(2018, 6, 13)
    latest = c.latest_message
    assert latest is not None and latest.id == 326 and latest.incoming is False
    assert latest.sent_at == utc("2018-06-28 11:24:40")  # only insertedOn in the embedded message
    assert c.last_message_incoming is False and c.waiting_since is None
    assert c.last_message_at == utc("2018-06-28 11:24:40")


def test_conversation_with_string_ids_inside_the_embedded_reservation() -> None:
    raw = example("conversation_conversationObject")
    raw["reservationId"] = None
    raw["Reservation"].update({"id": "77", "listingMapId": "40161", "hostawayReservationId": "77"})
    c = Conversation.from_api(raw)
    assert c.reservation_id == 77 and c.listing_id == 40161


def test_conversation_without_reservation_or_messages() -> None:
    raw = example("conversation_conversationObject")
    raw.update(
        {
            "Reservation": None,
            "conversationMessages": [],
            "hasUnreadMessages": 1,
            "messageSentOn": "2026-06-01 10:00:00",
            "messageReceivedOn": "2026-06-02 09:30:00",
        }
    )
    c = Conversation.from_api(raw)
    assert c.listing_id is None  # never the conversation-level listingMapId
    assert c.guest_name == "John Smith"  # recipientName
    assert c.has_unread is True
    assert c.last_message_incoming is True
    assert c.waiting_since == utc("2026-06-02 09:30:00")


@pytest.mark.parametrize(
    ("messages", "sent", "received", "incoming", "since"),
    [
        # The latest embedded message decides when it is newer than the other direction.
        ([(1, "2026-06-02 10:00:00")], "2026-06-01 10:00:00", None, True, "2026-06-02 10:00:00"),
        ([(0, "2026-06-02 10:00:00")], None, "2026-06-01 10:00:00", False, None),
        # A reply newer than the embedded message wins.
        ([(1, "2026-06-02 10:00:00")], "2026-06-03 10:00:00", None, False, None),
        # Several unanswered messages: waiting since the first after the last reply.
        (
            [(0, "2026-06-01 08:00:00"), (1, "2026-06-01 09:00:00"), (1, "2026-06-01 11:00:00")],
            "2026-06-01 08:00:00",
            "2026-06-01 11:00:00",
            True,
            "2026-06-01 09:00:00",
        ),
        # Nothing at all.
        ([], None, None, None, None),
    ],
)
def test_who_spoke_last_and_since_when(
    messages: list[tuple[int, str]],
    sent: str | None,
    received: str | None,
    incoming: bool | None,
    since: str | None,
) -> None:
    raw = example("conversation_conversationObject")
    template = raw["conversationMessages"][0]
    raw["conversationMessages"] = [
        {**template, "id": i + 1, "isIncoming": flag, "insertedOn": moment}
        for i, (flag, moment) in enumerate(messages)
    ]
    raw["messageSentOn"], raw["messageReceivedOn"] = sent, received
    c = Conversation.from_api(raw)
    assert c.last_message_incoming is incoming
    assert c.waiting_since == (utc(since) if since else None)


def test_message_example() -> None:
    m = Message.from_api(example("conversation_conversationMessageObject"))
    assert m.id == 326 and m.conversation_id == 1406 and m.reservation_id == 2
    assert m.body == "hello guest"
    assert m.incoming is False and m.seen is False
    assert m.sent_at == utc("2018-07-16 10:12:52")  # `date`, zone-less UTC
    assert m.channel == "email" and m.status == "sent"
    assert m.attachment_count == 1


@pytest.mark.parametrize(
    ("changes", "incoming", "body", "sent_at"),
    [
        ({"isIncoming": 1, "body": None}, True, None, "2018-07-16 10:12:52"),
        ({"isIncoming": "1", "date": None}, True, "hello guest", "2018-07-16 10:13:52"),
        ({"isIncoming": "0", "date": None, "sentChannelDate": None}, False, "hello guest",
         "2018-07-16 10:12:52"),
    ],
)  # fmt: skip
def test_message_quirks(changes: dict[str, Any], incoming: bool, body: str, sent_at: str) -> None:
    m = Message.from_api({**example("conversation_conversationMessageObject"), **changes})
    assert m.incoming is incoming and m.body == body and m.sent_at == utc(sent_at)


# ---- reviews, tasks, expenses -------------------------------------------------------------------


def test_review_examples() -> None:
    listed = [Review.from_api(raw) for raw in example("review_retrieveList")["result"]]
    r = Review.from_api(example("review_reviewObject"))
    assert listed == [r]
    assert r.id == 1 and r.listing_id == 1 and r.reservation_id == 1
    assert r.type == "guest-to-host" and r.status == "awaiting"
    assert r.rating is None and r.has_content is False
    assert r.channel == "booking.com"  # 2005
    assert r.departure_date == date(2021, 5, 11)  # datetime string -> its day
    assert r.arrival_date == date(2021, 5, 6)
    assert r.listing_name == "Beautiful and cozy apartment close to city center"
    assert r.guest_name == "Andrew Peterson"
    assert r.cancelled is False
    rated = Review.from_api({**example("review_reviewObject"), "rating": "9", "isCancelled": 1})
    assert rated.rating == 9.0 and rated.has_content and rated.cancelled


def test_task_examples() -> None:
    created = Task.from_api(example("task_create")["result"])
    listed = [Task.from_api(raw) for raw in example("task_retrieveList")["result"]]
    t = Task.from_api(example("task_object"))
    assert listed == [t] and created == t
    assert t.id == 1 and t.title == "Task title" and t.status == "pending"
    assert t.categories == []  # categoriesMap null
    assert t.starts_at == utc("2023-07-01 00:00:00")
    assert t.due_at == utc("2023-07-30 00:00:00")
    assert t.day == date(2023, 7, 1)
    assert t.listing_id is None and t.cost is None and t.assignee_user_id is None


@pytest.mark.parametrize(
    ("categories_map", "ids"),
    [
        (None, []),
        ([1, 4], [1, 4]),
        (["2", "2"], [2]),
        ([{"id": 3}, {"categoryId": 5}], [3, 5]),
        ({"1": "Cleaning", "6": "Other"}, [1, 6]),
        ({"2": True, "3": False, "4": 0}, [2]),
        ({"cleaning": 1}, [1]),
        ({"maintenance": True}, [2]),
        ("garbage", []),
    ],
)
def test_task_categories_map_shapes(categories_map: Any, ids: list[int]) -> None:
    assert task_category_ids(categories_map) == ids


def test_task_category_names() -> None:
    raw = {**example("task_object"), "categoriesMap": [1, 2, 3, 4, 5, 6, 9]}
    assert Task.from_api(raw).categories == [
        "cleaning",
        "maintenance",
        "check-in",
        "check-out",
        "back office",
        "other",
        "category 9",
    ]


def test_expense_examples() -> None:
    extra, cost = (Expense.from_api(raw) for raw in example("expense_retrieveList")["result"])
    assert (extra.id, extra.type, extra.amount, extra.expense_date) == (
        123,
        "extra",
        123.0,
        date(2021, 10, 22),
    )
    assert (cost.id, cost.type, cost.amount) == (3, "expense", -555.0)
    assert cost.listing_id == 123 and cost.reservation_id == 456 and cost.concept == "test"
    assert cost.deleted is False and cost.categories == []
    created = Expense.from_api(example("expense_create")["result"])
    assert created.categories == ["test", "New category name", "Existing category name"]
    assert Expense.from_api(example("expense_object")).id == 123


def test_expense_type_falls_back_to_the_sign_of_the_amount() -> None:
    raw = example("expense_object")
    raw.update({"type": None, "amount": "-12.345", "categoriesNames": None, "categories": [4]})
    e = Expense.from_api(raw)
    assert e.type == "expense" and e.amount == -12.35 and e.categories == ["category 4"]
    assert Expense.from_api({**raw, "amount": 5}).type == "extra"
