"""List answers say how many match in all, summaries cover every match, and the status words people
use are understood (and said how they were read). Against the demo sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import demo_account
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio
TODAY = date.today()


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return demo_account()


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[Client]:
    async with Client(sandbox_server(sandbox)) as connected:
        yield connected


async def data(client: Client, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    result = await client.call_tool(tool, args or {})
    assert not result.is_error, result.content[0].text  # type: ignore[union-attr]
    answer: dict[str, Any] = result.structured_content
    return answer


# ---- status words --------------------------------------------------------------------------------


async def test_confirmed_bookings_are_new_and_modified_and_the_answer_says_so(
    client: Client, sandbox: Sandbox
) -> None:
    window = {
        "arrival_from": TODAY.isoformat(),
        "arrival_to": (TODAY + timedelta(days=30)).isoformat(),
    }
    answer = await data(client, "search_bookings", {"status": "confirmed", "limit": 200, **window})
    expected = [
        r
        for r in sandbox.store.reservations
        if r["status"] in ("new", "modified")
        and window["arrival_from"] <= r["arrivalDate"] <= window["arrival_to"]
    ]
    assert {b["status"] for b in answer["bookings"]} <= {"new", "modified"}
    assert answer["total"] == len(expected) and answer["total_is_exact"] is True
    assert "status confirmed = new, modified" in answer["filters_applied"]


async def test_open_tasks_are_those_not_completed_or_cancelled(
    client: Client, sandbox: Sandbox
) -> None:
    answer = await data(client, "list_tasks", {"status": "open", "limit": 200})
    expected = [t for t in sandbox.store.tasks if t["status"] not in ("completed", "cancelled")]
    assert answer["total"] == len(expected) and answer["total_is_exact"] is True
    assert {t["status"] for t in answer["tasks"]} <= {"pending", "confirmed", "inProgress"}
    assert "status open = pending, confirmed, inProgress" in answer["filters_applied"]


async def test_tasks_by_several_statuses_and_by_category_name_or_id(
    client: Client, sandbox: Sandbox
) -> None:
    both = await data(client, "list_tasks", {"status": ["pending", "completed"], "limit": 200})
    assert {t["status"] for t in both["tasks"]} <= {"pending", "completed"}
    assert both["total"] == sum(
        1 for t in sandbox.store.tasks if t["status"] in ("pending", "completed")
    )
    cleaning = await data(client, "list_tasks", {"category": "cleaning", "limit": 200})
    by_id = await data(client, "list_tasks", {"category": [1], "limit": 200})
    assert cleaning["tasks"] and {t["category"] for t in cleaning["tasks"]} == {"cleaning"}
    assert cleaning["total"] == by_id["total"] < len(sandbox.store.tasks)
    assert any("category in ['cleaning']" in f for f in cleaning["filters_applied"])


async def test_an_unknown_task_category_is_a_plain_error_listing_the_choices(
    client: Client,
) -> None:
    result = await client.call_tool("list_tasks", {"category": "laundry"})
    assert result.is_error
    text = result.content[0].text  # type: ignore[union-attr]
    assert "Unknown task category 'laundry'" in text and "cleaning (1)" in text


async def test_task_assignees_are_named_from_one_cached_read_of_the_users(
    client: Client, sandbox: Sandbox
) -> None:
    before = sandbox.count("GET", "/users")
    answer = await data(client, "list_tasks", {"category": "cleaning", "limit": 20})
    await data(client, "list_tasks", {"category": "cleaning", "limit": 20})
    names = {u["id"]: f"{u['firstName']} {u['lastName']}" for u in sandbox.store.users}
    assigned = [t for t in answer["tasks"] if t["assignee_user_id"]]
    assert assigned
    assert all(t["assignee_name"] == names[t["assignee_user_id"]] for t in assigned)
    assert sandbox.count("GET", "/users") == before + 1


async def test_the_inbox_triage_shows_up_to_100_waiting_guests(sandbox: Sandbox) -> None:
    async with Client(sandbox_server(sandbox, max_result_chars=200_000)) as roomy:
        answer = await data(roomy, "get_inbox_triage", {"limit": 100})
    assert answer["waiting_total"] > 50  # more than the old cap of 50
    assert len(answer["items"]) == min(100, answer["waiting_total"])


# ---- totals --------------------------------------------------------------------------------------


async def test_unfiltered_lists_take_the_exact_total_from_hostaway(
    client: Client, sandbox: Sandbox
) -> None:
    bookings = await data(client, "search_bookings", {"limit": 5})
    conversations = await data(client, "list_conversations", {"limit": 5})
    assert (bookings["total"], bookings["total_is_exact"]) == (
        len(sandbox.store.reservations),
        True,
    )
    assert conversations["total"] == len(sandbox.store.conversations)
    assert conversations["total_is_exact"] is True


async def test_a_total_that_needs_more_pages_than_the_bound_is_a_lower_bound(
    client: Client, sandbox: Sandbox
) -> None:
    answer = await data(client, "search_bookings", {"status": ["new"], "limit": 5})
    really = sum(1 for r in sandbox.store.reservations if r["status"] == "new")
    assert answer["total_is_exact"] is False
    assert 5 < answer["total"] < really
    assert "next_cursor" in answer


async def test_the_total_is_the_same_on_every_page(client: Client, sandbox: Sandbox) -> None:
    args = {"status": ["pending", "confirmed"], "limit": 10}
    first = await data(client, "list_tasks", args)
    second = await data(client, "list_tasks", {**args, "cursor": first.get("next_cursor")})
    assert (
        first["total"]
        == second["total"]
        == sum(1 for t in sandbox.store.tasks if t["status"] in ("pending", "confirmed"))
    )
    assert not {t["id"] for t in first["tasks"]} & {t["id"] for t in second["tasks"]}


async def test_the_average_rating_covers_every_matching_review_not_the_page(
    client: Client, sandbox: Sandbox
) -> None:
    listing_id = sandbox.store.listings[3]["id"]
    answer = await data(client, "list_reviews", {"listing_id": listing_id, "limit": 3})
    matching = [
        r
        for r in sandbox.store.reviews
        if r["listingMapId"] == listing_id
        and r["type"] == "guest-to-host"
        and (r["rating"] is not None or r["publicReview"] or r["privateFeedback"])
    ]
    ratings = [r["rating"] for r in matching if r["rating"] is not None]
    assert len(answer["reviews"]) == answer["count"] == 3 < len(matching)
    assert answer["total"] == len(matching) and answer["total_is_exact"] is True
    assert answer["rated_count"] == len(ratings)
    assert answer["average_rating"] == round(sum(ratings) / len(ratings), 2)


async def test_expense_totals_cover_every_match(client: Client, sandbox: Sandbox) -> None:
    listing = sandbox.store.listings[0]
    answer = await data(client, "list_expenses", {"listing_id": listing["id"], "limit": 2})
    mine = [e for e in sandbox.store.expenses if e["listingMapId"] == listing["id"]]
    assert answer["total"] == len(mine) > 2
    assert answer["currency"] == listing["currencyCode"]
    assert answer["total_amount"] == pytest.approx(sum(e["amount"] for e in mine), abs=0.01)
