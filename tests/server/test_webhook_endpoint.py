"""`POST /webhooks/hostaway`: basic auth, 200 at once (unknown events too), duplicates absorbed,
and the background worker reaching the refresher with the right ids."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from hostaway_mcp.hostaway import DateRange, Hostaway
from hostaway_mcp.server.webhooks import CacheRefresher, Refresher
from tests.server.team_harness import WatchedRefresher, running_team

pytestmark = pytest.mark.anyio

LOGIN, PASSWORD = "hostaway", "a-long-webhook-password"
ENV = {"HOSTAWAY_WEBHOOK_LOGIN": LOGIN, "HOSTAWAY_WEBHOOK_PASSWORD": PASSWORD}
RESERVATION = {
    "event": "reservation.created",
    "object": "reservation",
    "objectId": 2401472,
    "listingMapId": 40160,
}
MESSAGE = {
    "event": "message.received",
    "object": "conversationMessage",
    "objectId": 9001,
    "data": {"conversationId": 611262, "reservationId": 2401472},
}


class RecordingRefresher:
    """Records each refresh; ``gate`` holds the worker until the test opens it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.gate = anyio.Event()
        self.gate.set()

    async def refresh_reservation(self, reservation_id: int) -> None:
        await self.gate.wait()
        self.calls.append(("reservation", reservation_id))

    async def refresh_conversation(self, conversation_id: int) -> None:
        await self.gate.wait()
        self.calls.append(("conversation", conversation_id))

    async def refresh_listing(self, listing_id: int) -> None:
        await self.gate.wait()
        self.calls.append(("listing", listing_id))


def serving(refresher: RecordingRefresher) -> Callable[[Hostaway], Refresher]:
    """The team server's choice of refresher, replaced by this one."""
    return lambda _: refresher


async def settle(condition: Any) -> None:
    with anyio.fail_after(5):
        while not condition():  # noqa: ASYNC110 - the worker offers no event
            await anyio.sleep(0.01)


async def test_deliveries_reach_the_refresher_with_their_ids(tmp_path: Path) -> None:
    refresher = RecordingRefresher()
    async with running_team(tmp_path, env=ENV, refresher=serving(refresher)) as team:
        async with team.http(auth=httpx.BasicAuth(LOGIN, PASSWORD)) as http:
            first = await http.post("/webhooks/hostaway", json=RESERVATION)
            second = await http.post("/webhooks/hostaway", json=MESSAGE)
        await settle(lambda: len(refresher.calls) == 3)
    assert first.status_code == 200 and first.json() == {"status": "ok", "result": "queued"}
    assert second.status_code == 200
    assert refresher.calls == [
        ("reservation", 2401472),
        ("listing", 40160),
        ("conversation", 611262),
    ]
    assert team.server.metrics.webhooks[("reservation", "queued")] == 1


async def test_unknown_events_and_unreadable_bodies_get_200_and_do_nothing(tmp_path: Path) -> None:
    refresher = RecordingRefresher()
    async with running_team(tmp_path, env=ENV, refresher=serving(refresher)) as team:
        async with team.http(auth=httpx.BasicAuth(LOGIN, PASSWORD)) as http:
            unknown = await http.post("/webhooks/hostaway", json={"event": "listing.updated"})
            garbage = await http.post("/webhooks/hostaway", content=b"\x00 not json")
        await anyio.sleep(0.05)
    assert unknown.status_code == 200 and unknown.json()["result"] == "ignored"
    assert garbage.status_code == 200 and garbage.json()["result"] == "ignored"
    assert refresher.calls == []


async def test_duplicates_waiting_for_the_worker_are_absorbed(tmp_path: Path) -> None:
    refresher = RecordingRefresher()
    refresher.gate = anyio.Event()  # the worker blocks on the first job until the gate opens
    async with (
        running_team(tmp_path, env=ENV, refresher=serving(refresher)) as team,
        team.http(auth=httpx.BasicAuth(LOGIN, PASSWORD)) as http,
    ):
        results = [(await http.post("/webhooks/hostaway", json=MESSAGE)).json()["result"]]
        await settle(lambda: team.server.queue.pending == 0)  # the worker took it
        results += [
            (await http.post("/webhooks/hostaway", json=MESSAGE)).json()["result"] for _ in range(3)
        ]
        refresher.gate.set()
        await settle(lambda: len(refresher.calls) >= 2)
        await anyio.sleep(0.05)
    # the first is taken by the worker at once; the second waits; the rest join the second
    assert results == ["queued", "queued", "duplicate", "duplicate"]
    assert refresher.calls == [("conversation", 611262), ("conversation", 611262)]


async def test_the_answer_comes_at_once_even_while_a_refresh_is_slow(tmp_path: Path) -> None:
    refresher = RecordingRefresher()
    refresher.gate = anyio.Event()  # never opened: every refresh hangs
    async with (
        running_team(tmp_path, env=ENV, refresher=serving(refresher)) as team,
        team.http(auth=httpx.BasicAuth(LOGIN, PASSWORD)) as http,
    ):
        began = time.monotonic()
        for number in range(20):
            answer = await http.post(
                "/webhooks/hostaway", json={**RESERVATION, "objectId": number + 1}
            )
            assert answer.status_code == 200
        elapsed = time.monotonic() - began
    assert elapsed < 1.0


@pytest.mark.parametrize(
    "auth",
    [
        None,
        httpx.BasicAuth(LOGIN, "wrong"),
        httpx.BasicAuth("someone", PASSWORD),
        httpx.BasicAuth(LOGIN, PASSWORD + "x"),
    ],
)
async def test_wrong_or_missing_credentials_are_refused(
    tmp_path: Path, auth: httpx.BasicAuth | None
) -> None:
    refresher = RecordingRefresher()
    async with (
        running_team(tmp_path, env=ENV, refresher=serving(refresher)) as team,
        team.http(auth=auth) as http,
    ):
        answer = await http.post("/webhooks/hostaway", json=RESERVATION)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Basic realm=")
    assert PASSWORD not in answer.text
    assert refresher.calls == []


@pytest.mark.parametrize("header", ["Basic !!!", "Basic " + "aGVsbG8=", "Bearer x", "Basic"])
async def test_malformed_basic_auth_is_refused(tmp_path: Path, header: str) -> None:
    async with running_team(tmp_path, env=ENV) as team, team.http() as http:
        answer = await http.post(
            "/webhooks/hostaway", json=RESERVATION, headers={"Authorization": header}
        )
    assert answer.status_code == 401


async def test_without_credentials_configured_the_endpoint_is_off(tmp_path: Path) -> None:
    async with (
        running_team(tmp_path) as team,
        team.http(auth=httpx.BasicAuth(LOGIN, PASSWORD)) as http,
    ):
        answer = await http.post("/webhooks/hostaway", json=RESERVATION)
    assert answer.status_code == 404


async def test_an_oversized_body_is_refused(tmp_path: Path) -> None:
    async with (
        running_team(tmp_path, env=ENV) as team,
        team.http(auth=httpx.BasicAuth(LOGIN, PASSWORD)) as http,
    ):
        answer = await http.post("/webhooks/hostaway", content=b"x" * (1024 * 1024 + 1))
    assert answer.status_code == 413


async def test_a_failing_refresh_does_not_stop_the_worker(tmp_path: Path) -> None:
    class Flaky(RecordingRefresher):
        async def refresh_reservation(self, reservation_id: int) -> None:
            raise RuntimeError("mirror unavailable")

    refresher = Flaky()
    async with running_team(tmp_path, env=ENV, refresher=serving(refresher)) as team:
        async with team.http(auth=httpx.BasicAuth(LOGIN, PASSWORD)) as http:
            await http.post("/webhooks/hostaway", json=RESERVATION)
            await http.post("/webhooks/hostaway", json=MESSAGE)
        await settle(lambda: refresher.calls == [("listing", 40160), ("conversation", 611262)])


async def test_without_the_mirror_a_reservation_event_drops_its_listings_calendar(
    tmp_path: Path,
) -> None:
    """HOSTAWAY_STORE=off: nothing is cached per reservation or conversation, but the calendar of
    the listing a delivery names is read again."""
    nights = DateRange(date.today() + timedelta(days=30), date.today() + timedelta(days=31))
    watched = WatchedRefresher()
    async with running_team(tmp_path, env=ENV, refresher=watched) as team:
        assert isinstance(watched.inner, CacheRefresher)
        hostaway = team.server.adapter.hostaway
        assert isinstance(hostaway, Hostaway)
        await hostaway.calendar(40160, nights)
        await hostaway.calendar(40160, nights)
        path = "GET /listings/40160/calendar"
        assert hostaway.stats.by_path[path] == 1
        async with team.http(auth=httpx.BasicAuth(LOGIN, PASSWORD)) as http:
            await http.post("/webhooks/hostaway", json=RESERVATION)
        await watched.finished(("reservation", 2401472), ("listing", 40160))
        await hostaway.calendar(40160, nights)
        assert hostaway.stats.by_path[path] == 2
        assert hostaway.stats.by_path["GET /reservations/2401472"] == 0  # nothing to refresh
