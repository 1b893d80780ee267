"""Review, task and expense tools through the in-memory MCP client, against the seeded sandbox
account (and, where Hostaway ignores a filter, a scripted upstream)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import listings, seeded
from tests.support.records import TODAY, expense, review, stamp, task, user
from tests.support.scripted import Scripted, paged
from tests.support.servers import offline_server, sandbox_server, scripted_server

pytestmark = pytest.mark.anyio

OPS_TOOLS = {
    "list_conversations",
    "get_conversation_messages",
    "get_inbox_triage",
    "list_reviews",
    "list_tasks",
    "list_expenses",
}


async def call(
    upstream: Sandbox | Scripted, name: str, args: dict[str, Any] | None = None, **settings: Any
) -> Any:
    if isinstance(upstream, Scripted):
        server = scripted_server(upstream, **settings)
    else:
        server = sandbox_server(upstream, **settings)
    async with Client(server) as client:
        return await client.call_tool(name, args or {})


def account(
    reviews: Iterable[dict[str, Any]] = (),
    tasks: Iterable[dict[str, Any]] = (),
    expenses: Iterable[dict[str, Any]] = (),
) -> Sandbox:
    """The seeded account with these reviews, tasks and expenses."""
    sandbox = seeded()
    sandbox.add_user(user(77, "Ana", "Costa"))  # the assignee of task 2
    for raw in reviews:
        sandbox.add_review(raw)
    for raw in tasks:
        sandbox.add_task(raw)
    for raw in expenses:
        sandbox.add_expense(raw)
    return sandbox


def ignoring_filters(path: str, rows: list[dict[str, Any]]) -> Scripted:
    """A Hostaway that answers ``path`` with every row, whatever the filters say."""
    return Scripted({("GET", path): paged(rows), ("GET", "/listings"): paged(listings())})


async def page_through(sandbox: Sandbox, name: str, args: dict[str, Any], key: str) -> list[int]:
    seen: list[int] = []
    async with Client(sandbox_server(sandbox)) as client:
        cursor = None
        for _ in range(20):
            result = await client.call_tool(
                name, {**args, **({"cursor": cursor} if cursor else {})}
            )
            data = result.structured_content
            seen.extend(item["id"] for item in data[key])
            cursor = data.get("next_cursor")
            if not cursor:
                break
    return seen


async def test_ops_tools_are_listed_read_only_with_bounded_limits() -> None:
    async with Client(offline_server()) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) >= OPS_TOOLS
    for name in OPS_TOOLS:
        assert tools[name].annotations.read_only_hint is True, name
        limit = tools[name].input_schema["properties"]["limit"]
        assert limit["minimum"] == 1 and limit["maximum"] <= 200, name
    assert "exclusive" in tools["list_tasks"].input_schema["properties"]["end_date"]["description"]
    assert "8 requests" in (tools["get_inbox_triage"].description or "")


# ---- reviews ------------------------------------------------------------------------------------


def reviews() -> list[dict[str, Any]]:
    return [
        review(1, rating=10, departureDate="2026-05-20 10:00:00"),
        review(2, rating=6, departureDate="2026-05-25 10:00:00", privateFeedback="Noisy street"),
        review(3, rating=8, departureDate="2026-04-10 10:00:00", listingMapId=40162,
               listingName=None, channelId=2005),
        review(4, type="host-to-guest", rating=10, departureDate="2026-05-26 10:00:00"),
        review(5, status="awaiting", rating=None, publicReview=None,
               departureDate="2026-05-27 10:00:00"),
        review(6, rating="9", departureDate="2026-06-01 10:00:00", listingMapId=40160,
               listingName="Bremerhaven Flat"),
    ]  # fmt: skip


async def test_list_reviews_sends_the_listing_filter_in_bracket_form() -> None:
    sandbox = account(reviews=reviews())
    result = await call(sandbox, "list_reviews", {"listing_id": 40161})
    sent = sandbox.requests("GET", "/reviews")[0].query
    assert sent["listingMapIds[]"] == ["40161"]
    assert "listingMapIds" not in sent  # the plain form is ignored by Hostaway
    assert sent["type"] == ["guest-to-host"]
    data = result.structured_content
    assert [r["id"] for r in data["reviews"]] == [2, 1]  # newest stay first
    assert data["average_rating"] == 8.0 and data["count"] == 2 and data["rated_count"] == 2
    assert data["reviews"][0] == {
        "id": 2,
        "listing_id": 40161,
        "listing_name": "Seaside Loft",
        "reservation_id": 1002,
        "rating": 6.0,
        "departure_date": "2026-05-25",
        "channel": "airbnb",
        "status": "published",
        "untrusted": {
            "guest_name": "Andrew Peterson",
            "public_review": "Review 2: lovely stay.",
            "private_feedback": "Noisy street",
        },
    }


async def test_list_reviews_rechecks_every_filter_here() -> None:
    newest_stay_first = sorted(reviews(), key=lambda r: r["departureDate"], reverse=True)
    upstream = ignoring_filters("/reviews", newest_stay_first)  # sorted as asked, not filtered
    rated = await call(upstream, "list_reviews", {"listing_id": 40161, "min_rating": 7})
    dated = await call(
        upstream, "list_reviews", {"departure_from": "2026-05-21", "departure_to": "2026-06-01"}
    )
    sent = upstream.calls("GET", "/reviews")[1].url.params
    assert [r["id"] for r in rated.structured_content["reviews"]] == [1]
    # Host-to-guest (4) and not-yet-written (5) reviews never show.
    assert [r["id"] for r in dated.structured_content["reviews"]] == [6, 2]
    assert sent["departureDateStart"] == "2026-05-21" and sent["departureDateEnd"] == "2026-06-01"
    assert dated.structured_content["average_rating"] == 7.5


async def test_list_reviews_pages_to_the_end_without_duplicates() -> None:
    sandbox = account(reviews=reviews())
    sandbox.page_cap = 3
    seen = await page_through(sandbox, "list_reviews", {"limit": 2}, "reviews")
    assert seen == [6, 2, 1, 3]


async def test_list_reviews_names_listings_and_handles_no_ratings() -> None:
    sandbox = account(reviews=reviews())
    named = await call(sandbox, "list_reviews", {"listing_id": 40162})
    none = await call(sandbox, "list_reviews", {"max_rating": 2})
    assert named.structured_content["reviews"][0]["listing_name"] == "Family House"
    assert named.structured_content["reviews"][0]["channel"] == "booking.com"
    assert none.structured_content == {
        "truncated": False,
        "reviews": [],
        "total": 0,
        "total_is_exact": True,
        "count": 0,
        "rated_count": 0,
    }


async def test_list_reviews_refuses_inverted_bounds_before_any_request() -> None:
    sandbox = account(reviews=reviews())
    result = await call(sandbox, "list_reviews", {"min_rating": 8, "max_rating": 4})
    assert not sandbox.requests("GET", "/reviews")
    assert result.is_error and "min_rating" in result.content[0].text


# ---- tasks --------------------------------------------------------------------------------------


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def tasks() -> list[dict[str, Any]]:
    day = timedelta(days=1)
    return [
        task(1, at(TODAY, 11), listingMapId=40161, reservationId=101, categoriesMap=[1]),
        task(2, at(TODAY + day, 10), listingMapId=40161, status="inProgress",
             categoriesMap={"2": True}, cost=80, costCurrency="EUR", assigneeUserId=77),
        task(3, at(TODAY + 2 * day, 9), listingMapId=40162, status="completed"),
        # 23:30 UTC is already the next day where the property is.
        task(4, at(TODAY + day, 23, 30), listingMapId=40160,
             canStartFromListingTime=stamp(at(TODAY + 2 * day, 1, 30)), categoriesMap=["3", "4"]),
        task(5, at(TODAY - 5 * day, 8), listingMapId=40161),
    ]  # fmt: skip


async def test_list_tasks_maps_categories_and_sends_documented_filters() -> None:
    sandbox = account(tasks=tasks())
    result = await call(
        sandbox,
        "list_tasks",
        {
            "listing_id": 40161,
            "status": "inProgress",
            "start_date": TODAY.isoformat(),
            "end_date": (TODAY + timedelta(days=2)).isoformat(),
        },
    )
    sent = sandbox.requests("GET", "/tasks")[0].params
    assert sent["listingMapId"] == "40161" and sent["status"] == "inProgress"
    # One day wider each side (listing-local days vs UTC), re-checked here.
    assert sent["canStartFromStart"] == (TODAY - timedelta(days=1)).isoformat()
    assert sent["canStartFromEnd"] == (TODAY + timedelta(days=3)).isoformat()
    assert result.structured_content["tasks"] == [
        {
            "id": 2,
            "title": "Task 2",
            "listing_id": 40161,
            "listing_name": "Seaside Loft",
            "status": "inProgress",
            "category": "maintenance",
            "starts_at": "2026-06-11T10:00:00Z",
            "due_at": "2026-06-11T14:00:00Z",
            "assignee_user_id": 77,
            "assignee_name": "Ana Costa",
            "cost": 80.0,
            "cost_currency": "EUR",
        }
    ]


async def test_list_tasks_end_date_is_exclusive_on_the_listing_local_day() -> None:
    upstream = ignoring_filters("/tasks", tasks())
    result = await call(
        upstream,
        "list_tasks",
        {"start_date": TODAY.isoformat(), "end_date": (TODAY + timedelta(days=2)).isoformat()},
    )
    later = await call(
        upstream, "list_tasks", {"start_date": (TODAY + timedelta(days=2)).isoformat()}
    )
    assert [t["id"] for t in result.structured_content["tasks"]] == [1, 2]
    later_tasks = later.structured_content["tasks"]
    assert [t["id"] for t in later_tasks] == [3, 4]
    assert "category" not in later_tasks[0]  # categoriesMap null
    assert later_tasks[1]["category"] == "check-in, check-out"


async def test_list_tasks_rechecks_filters_here() -> None:
    upstream = ignoring_filters("/tasks", tasks())
    result = await call(upstream, "list_tasks", {"reservation_id": 101, "status": "pending"})
    assert [t["id"] for t in result.structured_content["tasks"]] == [1]
    assert result.structured_content["tasks"][0]["category"] == "cleaning"


async def test_list_tasks_pages_to_the_end_without_duplicates() -> None:
    sandbox = account(tasks=tasks())
    sandbox.page_cap = 2
    seen = await page_through(sandbox, "list_tasks", {"limit": 2}, "tasks")
    assert seen == [1, 2, 3, 4, 5]


async def test_list_tasks_refuses_an_empty_period() -> None:
    sandbox = account(tasks=tasks())
    result = await call(
        sandbox, "list_tasks", {"start_date": TODAY.isoformat(), "end_date": TODAY.isoformat()}
    )
    assert not sandbox.requests("GET", "/tasks")
    assert result.is_error and "exclusive" in result.content[0].text


# ---- expenses -----------------------------------------------------------------------------------


def expenses() -> list[dict[str, Any]]:
    may = date(2026, 5, 1)
    return [
        expense(1, may + timedelta(days=2), -120, listingMapId=40160, categories=[4],
                categoriesNames=["Cleaning"]),
        expense(2, may + timedelta(days=9), 50, listingMapId=40161),
        expense(3, may + timedelta(days=30), -30, listingMapId=40161, reservationId=101),
        expense(4, date(2026, 6, 1), -10, listingMapId=40161),
        expense(5, may + timedelta(days=14), -999, listingMapId=40161, isDeleted=1),
        expense(6, date(2026, 4, 20), -99, listingMapId=40162, categories=[7],
                categoriesNames=[]),
    ]  # fmt: skip


async def test_list_expenses_filters_here_and_says_so() -> None:
    sandbox = account(expenses=expenses())
    result = await call(
        sandbox,
        "list_expenses",
        {"listing_id": 40161, "start_date": "2026-05-01", "end_date": "2026-06-01"},
    )
    sent = sandbox.requests("GET", "/expenses")
    assert [r.params for r in sent] == [{"limit": "500", "offset": "0"}]  # nothing else exists
    data = result.structured_content
    assert [e["id"] for e in data["expenses"]] == [2, 3]  # 4 is on the exclusive end day
    assert data["expenses"][1] == {
        "id": 3,
        "date": "2026-05-31",
        "listing_id": 40161,
        "listing_name": "Seaside Loft",
        "reservation_id": 101,
        "concept": "Expense 3",
        "amount": -30.0,
        "currency": "EUR",
        "type": "expense",
        "categories": [],
    }
    assert data["total_amount"] == 20.0 and data["currency"] == "EUR"
    assert data["totals_by_currency"] == [
        {"currency": "EUR", "expenses": -30.0, "extras": 50.0, "total_amount": 20.0}
    ]
    assert len(data["filters_applied"]) == 3
    assert all("here" in f for f in data["filters_applied"])
    assert any("2026-06-01" in f and "exclusive" in f for f in data["filters_applied"])


async def test_list_expenses_never_adds_currencies() -> None:
    result = await call(account(expenses=expenses()), "list_expenses")
    data = result.structured_content
    assert [e["id"] for e in data["expenses"]] == [1, 2, 3, 4, 6]  # 5 is deleted
    assert data["expenses"][0]["categories"] == ["Cleaning"]
    assert data["expenses"][-1]["categories"] == ["category 7"]
    assert "total_amount" not in data and "currency" not in data
    assert data["totals_by_currency"] == [
        {"currency": "EUR", "expenses": -139.0, "extras": 50.0, "total_amount": -89.0},
        {"currency": "USD", "expenses": -120.0, "extras": 0.0, "total_amount": -120.0},
    ]
    assert data["filters_applied"] == []


async def test_list_expenses_pages_to_the_end_without_duplicates() -> None:
    sandbox = account(expenses=expenses())
    sandbox.page_cap = 2
    seen = await page_through(sandbox, "list_expenses", {"limit": 2}, "expenses")
    filtered = await page_through(
        sandbox, "list_expenses", {"limit": 1, "listing_id": 40161}, "expenses"
    )
    assert seen == [1, 2, 3, 4, 6]
    assert filtered == [2, 3, 4]


async def test_list_expenses_totals_cover_every_match_even_when_the_list_is_cut() -> None:
    rows = [
        expense(100 + i, date(2026, 5, 1) + timedelta(days=i % 28), -10 - i, listingMapId=40161)
        for i in range(60)
    ]
    result = await call(
        account(expenses=rows), "list_expenses", {"limit": 60}, max_result_chars=4000
    )
    data = result.structured_content
    shown = [e["amount"] for e in data["expenses"]]
    assert data["truncated"] is True and 0 < len(shown) < 60
    assert data["total"] == 60 and data["total_is_exact"] is True
    assert data["total_amount"] == round(sum(-10 - i for i in range(60)), 2)  # not only those shown
    assert "next_cursor" in data
