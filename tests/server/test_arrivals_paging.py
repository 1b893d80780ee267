"""A busy day on a big portfolio does not fit one answer: get_arrivals_and_departures cuts between
one movement and the next (inside a day if need be) and next_cursor continues exactly there."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import demo_account, seeded
from tests.support.records import TODAY, reservation
from tests.support.servers import sandbox_server

pytestmark = pytest.mark.anyio

Movements = dict[str, tuple[list[int], list[int]]]  # date -> (arrival ids, departure ids)


async def pages(sandbox: Sandbox, budget: int, **args: Any) -> list[dict[str, Any]]:
    """Every page of one question, following next_cursor to the end."""
    found: list[dict[str, Any]] = []
    async with Client(sandbox_server(sandbox, max_result_chars=budget)) as client:
        cursor: str | None = None
        while True:
            result = await client.call_tool(
                "get_arrivals_and_departures", {**args, **({"cursor": cursor} if cursor else {})}
            )
            assert not result.is_error, result.content[0].text  # type: ignore[union-attr]
            found.append(result.structured_content or {})
            cursor = found[-1].get("next_cursor")
            if cursor is None:
                return found
            assert len(found) < 200, "the cursor does not advance"


def joined(answers: list[dict[str, Any]]) -> Movements:
    board: Movements = {}
    for answer in answers:
        for day in answer["days"]:
            arrivals, departures = board.setdefault(day["date"], ([], []))
            arrivals += [b["id"] for b in day["arrivals"]]
            departures += [b["id"] for b in day["departures"]]
    return board


async def test_following_the_cursor_gives_every_movement_once_even_when_a_day_is_split() -> None:
    sandbox = demo_account()
    args = {"start_date": date.today().isoformat(), "days": 5}
    (whole,) = await pages(sandbox, 1_000_000, **args)
    assert "next_cursor" not in whole and not whole["truncated"]
    budget = 2_500  # room for a handful of bookings: the demo's busy days do not fit
    cut = await pages(sandbox, budget, **args)

    assert len(cut) > len(whole["days"])  # more pages than days: some day was split
    assert joined(cut) == joined([whole])  # every movement once, in order, nothing lost
    dates = [[day["date"] for day in page["days"]] for page in cut]
    assert any(page[-1] == following[0] for page, following in pairwise(dates))
    counts = {d["date"]: (d["arrival_count"], d["departure_count"]) for d in whole["days"]}
    for page in cut:
        assert page["truncated"] is (page is not cut[-1])
        for day in page["days"]:  # a day's counts are the whole day's, on each of its pages
            assert (day["arrival_count"], day["departure_count"]) == counts[day["date"]]
    assert all(
        sum(len(day["arrivals"]) + len(day["departures"]) for day in page["days"]) > 0
        for page in cut
    )


async def test_an_empty_day_between_busy_ones_is_shown_once() -> None:
    def stay(rid: int, arrival: date, listing: int) -> dict[str, Any]:
        return reservation(
            rid,
            listingMapId=listing,
            status="new",
            arrivalDate=arrival.isoformat(),
            departureDate=(arrival + timedelta(days=9)).isoformat(),
        )

    rows = [stay(1, TODAY, 40160), stay(2, TODAY, 40161), stay(3, TODAY + timedelta(days=2), 40170)]
    sandbox = seeded(reservation_rows=rows)
    args = {"start_date": TODAY.isoformat(), "days": 3}
    (whole,) = await pages(sandbox, 1_000_000, **args)
    cut = await pages(sandbox, 1_000, **args)  # room for one or two bookings a page

    assert len(cut) >= 2
    dates = [day["date"] for page in cut for day in page["days"]]
    empty = (TODAY + timedelta(days=1)).isoformat()
    assert dates.count(empty) == 1
    assert sorted(set(dates)) == [d["date"] for d in whole["days"]]
    assert (
        joined(cut)
        == joined([whole])
        == {
            TODAY.isoformat(): ([1, 2], []),
            empty: ([], []),
            (TODAY + timedelta(days=2)).isoformat(): ([3], []),
        }
    )


async def test_a_cursor_from_another_question_is_refused() -> None:
    sandbox = demo_account()
    cut = await pages(sandbox, 2_500, start_date=date.today().isoformat(), days=5)
    cursor = cut[0]["next_cursor"]
    async with Client(sandbox_server(sandbox, max_result_chars=2_500)) as client:
        result = await client.call_tool(
            "get_arrivals_and_departures", {"days": 4, "cursor": cursor}
        )
    assert result.is_error
    assert "different get_arrivals_and_departures query" in result.content[0].text  # type: ignore[union-attr]
