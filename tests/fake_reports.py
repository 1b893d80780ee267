"""The respx fake Hostaway (fake_hostaway) plus the finance endpoints, and a June 2026 portfolio
with hand-computed report figures (see tests/test_tools_reports.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from .fake_hostaway import FakeHostaway, fake_hostaway, reservation
from .helpers import envelope, example

D = date.fromisoformat


def stay(rid: int, listing_id: int, arrival: str, departure: str, **changes: Any) -> dict[str, Any]:
    return reservation(
        rid,
        listingMapId=listing_id,
        arrivalDate=arrival,
        departureDate=departure,
        reservationDate="2026-05-01 09:00:00",
        **changes,
    )


def june_reservations() -> list[dict[str, Any]]:
    """40160 USD, 40161 EUR, 40162 EUR (fake_hostaway's listings)."""
    usd = {"currency": "USD", "status": "new"}
    eur = {"currency": "EUR", "status": "new"}
    return [
        # 5 nights, 3 in June: 1000 x 3/5 = 600
        stay(201, 40160, "2026-05-30", "2026-06-04", totalPrice=1000, channelId=2018, **usd),
        stay(202, 40160, "2026-06-10", "2026-06-12", totalPrice=400, channelId=2005, **usd)
        | {"status": "modified"},
        stay(203, 40160, "2026-06-14", "2026-06-17", totalPrice=300, channelId=2000, **usd),
        stay(211, 40160, "2026-06-26", "2026-06-29", totalPrice=450, channelId=2000, **usd),
        # arrives on end_date: no June night, but it closes the Jun 29-30 orphan gap
        stay(208, 40160, "2026-07-01", "2026-07-03", totalPrice=500, channelId=2018, **usd),
        stay(209, 40160, "2026-04-01", "2026-04-05", totalPrice=800, channelId=2018, **usd),
        stay(210, 40161, "2026-06-24", "2026-06-26", totalPrice=200, channelId=2005, **eur),
        # 5 nights, 3 in June: 500 x 3/5 = 300
        stay(204, 40161, "2026-06-28", "2026-07-03", totalPrice=500, channelId=2001, **eur),
        stay(205, 40161, "2026-06-05", "2026-06-08", totalPrice=600, channelId=2000, **eur)
        | {"status": "cancelled"},
        stay(206, 40162, "2026-06-20", "2026-06-25", totalPrice=0, channelId=2000, **eur)
        | {"status": "ownerStay"},
        stay(207, 40162, "2026-06-01", "2026-06-03", totalPrice=999, channelId=2000, **eur)
        | {"status": "inquiry"},
    ]


def block_june_calendars(fake: FakeHostaway) -> None:
    """Reserved nights are unavailable; 40160 also has a manual block on Jun 20."""
    for listing_id, first, nights in [
        (40160, "2026-06-01", 3),
        (40160, "2026-06-10", 2),
        (40160, "2026-06-14", 3),
        (40160, "2026-06-26", 3),
        (40161, "2026-06-24", 2),
        (40161, "2026-06-28", 3),
        (40162, "2026-06-20", 5),
    ]:
        fake.block(listing_id, D(first), nights)
    fake.block(40160, D("2026-06-20"), 1, status="blocked")


@dataclass
class FakeFinance:
    hostaway: FakeHostaway
    consolidated: dict[str, Any] = field(
        default_factory=lambda: example("financialReporting_reportConsolidated")
    )
    statements: list[dict[str, Any]] = field(
        default_factory=lambda: example("ownerStatement_retrieveList")["result"]
    )
    statement_details: dict[int, dict[str, Any]] = field(
        default_factory=lambda: {1: example("ownerStatement_retrieve")["result"]}
    )


@contextmanager
def fake_reports(**kwargs: Any) -> Iterator[FakeFinance]:
    with fake_hostaway(**kwargs) as hostaway:
        finance = FakeFinance(hostaway)

        def canned(request: httpx.Request) -> httpx.Response | None:
            queue = hostaway.overrides.get((request.method, request.url.path))
            return queue.pop(0) if queue else None

        def consolidated(request: httpx.Request) -> httpx.Response:
            return canned(request) or httpx.Response(200, json=finance.consolidated)

        def statements(request: httpx.Request) -> httpx.Response:
            return canned(request) or httpx.Response(200, json=envelope(finance.statements))

        def statement(request: httpx.Request, statement_id: str) -> httpx.Response:
            found = finance.statement_details.get(int(statement_id))
            if found is None:
                return httpx.Response(404, json={"status": "fail", "result": "Not found"})
            return canned(request) or httpx.Response(200, json=envelope(found))

        router = hostaway.router
        router.post("/finance/report/consolidated").mock(side_effect=consolidated)
        router.get("/ownerStatements").mock(side_effect=statements)
        router.get(path__regex=r"/ownerStatement/(?P<statement_id>\d+)$").mock(
            side_effect=statement
        )
        yield finance
