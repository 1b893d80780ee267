"""Conversations, messages, reviews, tasks, expenses and owner statements over HTTP."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from hostaway_sandbox import Sandbox

from .conftest import TODAY, get_all

pytestmark = pytest.mark.anyio


def activity(conversation: dict[str, object]) -> str:
    stamps = [conversation["messageSentOn"], conversation["messageReceivedOn"]]
    return max(str(s) for s in stamps if s)


async def test_conversations_most_recent_activity_first(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    body = (await api.get("/conversations", params={"limit": 50})).json()
    rows = body["result"]
    assert body["count"] == len(shared.store.conversations)
    stamps = [activity(row) for row in rows]
    assert stamps == sorted(stamps, reverse=True)
    assert stamps[0] == max(activity(c) for c in shared.store.conversations)


async def test_conversation_filter_by_reservation(api: httpx.AsyncClient, shared: Sandbox) -> None:
    conversation = shared.store.conversations[7]
    rows = await get_all(api, "/conversations", reservationId=conversation["reservationId"])
    assert [row["id"] for row in rows] == [conversation["id"]]
    single = (await api.get(f"/conversations/{conversation['id']}")).json()["result"]
    assert single == conversation


async def test_messages_are_oldest_first_and_scheduled_ones_are_opt_in(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    conversation_id = next(
        cid
        for cid, thread in shared.store.messages.items()
        if any(m["status"] == "awaiting" for m in thread) and len(thread) > 2
    )
    path = f"/conversations/{conversation_id}/messages"
    sent = (await api.get(path)).json()["result"]
    everything = (await api.get(path, params={"includeScheduledMessages": 1})).json()["result"]
    assert all(m["status"] == "sent" for m in sent)
    assert len(everything) > len(sent)
    assert [m["date"] for m in everything] == sorted(m["date"] for m in everything)
    first_two = (await api.get(path, params={"limit": 2})).json()
    assert [m["id"] for m in first_two["result"]] == [m["id"] for m in sent[:2]]
    assert first_two["count"] == len(sent)


async def test_reviews_bracket_filter_and_plain_form_is_ignored(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    ids = [40160, 40161]
    bracket = await get_all(api, "/reviews", **{"listingMapIds[]": ids})
    expected = [r for r in shared.store.reviews if r["listingMapId"] in ids]
    assert bracket
    assert len(bracket) == len(expected)
    indexed = await get_all(api, "/reviews", **{"listingMapIds[0]": 40160})
    assert indexed
    assert {r["listingMapId"] for r in indexed} == {40160}
    plain = (await api.get("/reviews", params={"listingMapIds": 40160})).json()
    assert plain["count"] == len(shared.store.reviews)


async def test_review_filters_and_sorting(api: httpx.AsyncClient, shared: Sandbox) -> None:
    published = await get_all(api, "/reviews", type="guest-to-host", **{"statuses[]": "published"})
    assert published
    assert all(r["type"] == "guest-to-host" and r["status"] == "published" for r in published)
    start = (TODAY - timedelta(days=60)).isoformat()
    recent = (
        await api.get(
            "/reviews",
            params={"departureDateStart": start, "sortBy": "departureDate", "sortOrder": "desc"},
        )
    ).json()["result"]
    departures = [r["departureDate"] for r in recent]
    assert departures == sorted(departures, reverse=True)
    assert all(d[:10] >= start for d in departures)
    reservation_id = shared.store.reviews[0]["reservationId"]
    by_reservation = await get_all(api, "/reviews", reservationId=reservation_id)
    assert {r["reservationId"] for r in by_reservation} == {reservation_id}


async def test_task_filters(api: httpx.AsyncClient, shared: Sandbox) -> None:
    pending = await get_all(api, "/tasks", status="pending")
    assert pending
    assert all(t["status"] == "pending" for t in pending)
    listing_id = next(t["listingMapId"] for t in shared.store.tasks if t["listingMapId"])
    for_listing = await get_all(api, "/tasks", listingMapId=listing_id)
    assert for_listing
    assert all(t["listingMapId"] == listing_id for t in for_listing)
    week = await get_all(
        api,
        "/tasks",
        canStartFromStart=TODAY.isoformat(),
        canStartFromEnd=(TODAY + timedelta(days=6)).isoformat(),
    )
    assert week
    assert all(TODAY.isoformat() <= t["canStartFrom"][:10] for t in week)
    cleaning = await get_all(api, "/tasks", match="CLEANING")
    assert cleaning
    assert all("cleaning" in t["title"].lower() for t in cleaning)
    task = shared.store.tasks[0]
    assert (await api.get(f"/tasks/{task['id']}")).json()["result"] == task


async def test_expenses_list_everything(api: httpx.AsyncClient, shared: Sandbox) -> None:
    rows = await get_all(api, "/expenses")
    assert [row["id"] for row in rows] == sorted(e["id"] for e in shared.store.expenses)
    expense = shared.store.expenses[3]
    assert (await api.get(f"/expenses/{expense['id']}")).json()["result"] == expense


async def test_owner_statements(api: httpx.AsyncClient, shared: Sandbox) -> None:
    listed = (await api.get("/ownerStatements")).json()["result"]
    assert listed == [
        {"id": s["id"], "statementName": s["statementName"]} for s in shared.store.owner_statements
    ]
    single = (await api.get(f"/ownerStatement/{listed[0]['id']}")).json()["result"]
    assert single == shared.store.owner_statements[0]
    assert (await api.get(f"/ownerStatements/{listed[0]['id']}")).status_code == 404


async def test_users_have_the_official_shape_and_name_every_task_assignee(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    from .conftest import example

    body = (await api.get("/users")).json()
    users = body["result"]
    official = example("user_retrieveList")["result"][0]
    assert all(set(user) == set(official) for user in users)
    assert body["count"] == len(users)
    by_id = {user["id"]: user for user in users}
    assignees = {t["assigneeUserId"] for t in shared.store.tasks if t["assigneeUserId"]}
    assert assignees <= set(by_id)
    one = (await api.get(f"/user/{users[1]['id']}")).json()["result"]  # singular path
    assert one["firstName"] == users[1]["firstName"]
    assert (await api.get("/user/999")).status_code == 404
