"""The team server with its local mirror: one sync per process, started in the background at
start-up; its state, progress and lag on /healthz and /metrics; webhooks reading the object named
into the copy (the next answer has it without a list request to Hostaway); and at shutdown the
sync stopped and the store closed before the token is revoked."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from hostaway_mcp.hostaway import Hostaway
from hostaway_mcp.hostaway.mirror import Mirror, NotMirrored
from hostaway_mcp.server.webhooks import MirrorRefresher
from hostaway_sandbox import Sandbox, upstream
from tests.server.team_harness import (
    Team,
    WatchedRefresher,
    json_log_lines,
    parse_metrics,
    running_team,
)
from tests.support.mirror import free_stay, small_sandbox, structured

pytestmark = pytest.mark.anyio

LOGIN, PASSWORD = "hostaway", "a-long-webhook-password"
ENV = {"HOSTAWAY_WEBHOOK_LOGIN": LOGIN, "HOSTAWAY_WEBHOOK_PASSWORD": PASSWORD}
Samples = dict[str, list[tuple[dict[str, str], float]]]


class HeldBack:
    """The sandbox's app, holding the first sync's full read of the reviews until the test lets
    it through: the sync stays "syncing", with the rest of the account copied."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.app: ASGIApp = sandbox.app
        self.gate = anyio.Event()
        self.held = 0
        sandbox.app = self  # type: ignore[assignment]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        full_read = b"offset=" in scope.get("query_string", b"")  # not the one-row probe
        if scope["type"] == "http" and scope["path"] == "/v1/reviews" and full_read:
            self.held += 1
            await self.gate.wait()
        await self.app(scope, receive, send)

    async def until_held(self) -> None:
        with anyio.fail_after(30):
            while not self.held:  # noqa: ASYNC110 - the sync signals nothing
                await anyio.sleep(0.01)


async def healthz(team: Team) -> dict[str, Any]:
    async with team.http() as http:
        answer = await http.get("/healthz")
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


async def metrics(team: Team) -> Samples:
    async with team.http(team.tokens["maria"]) as http:
        answer = await http.get("/metrics")
    assert answer.status_code == 200
    return parse_metrics(answer.text)


def mirror_states(samples: Samples) -> dict[str, float]:
    return {labels["state"]: value for labels, value in samples["hostaway_mcp_mirror_state"]}


def only(state: str) -> dict[str, float]:
    return {name: 1 if name == state else 0 for name in ("off", "syncing", "ready", "error")}


async def until_mirror(team: Team, state: str) -> dict[str, Any]:
    """Poll /healthz until the mirror is in ``state`` (bounded)."""
    with anyio.fail_after(60):
        while (body := await healthz(team))["mirror"] != state:
            assert state == "error" or body["mirror"] != "error", body
            await anyio.sleep(0.02)
    return body


def mirror_of(team: Team) -> Mirror:
    hostaway = team.server.adapter.hostaway
    assert hostaway is not None and hostaway.mirror is not None
    return hostaway.mirror


def errors(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line["level"] in ("ERROR", "CRITICAL")]


# ---- running it ---------------------------------------------------------------------------------


async def test_one_mirror_per_process_syncs_in_the_background_and_shows_on_healthz(
    tmp_path: Path,
) -> None:
    sandbox = small_sandbox(3)
    held = HeldBack(sandbox)
    store = tmp_path / "store"
    with json_log_lines() as lines:
        async with running_team(tmp_path, sandbox=sandbox, store=str(store)) as team:
            await held.until_held()
            with anyio.fail_after(30):  # the bookkeeping in memory is read again every second
                while not (syncing := await healthz(team)).get("mirror_progress"):  # noqa: ASYNC110
                    await anyio.sleep(0.02)
            syncing_samples = await metrics(team)
            # Two people at once, answered by the one adapter and its one mirror.
            async with team.client("maria") as maria, team.client("joao") as joao:
                await structured(maria, "list_all_properties", {"limit": 1})
                held.gate.set()
                ready = await until_mirror(team, "ready")
                seen = [await structured(user, "get_sync_status") for user in (maria, joao)]
            assert mirror_of(team).syncing_here
            ready_samples = await metrics(team)
    assert syncing["mirror"] == "syncing" and syncing["status"] == "ok"
    assert 0 < syncing["mirror_progress"] < 1 and "mirror_lag_seconds" not in syncing
    assert mirror_states(syncing_samples) == only("syncing")
    assert "hostaway_mcp_mirror_lag_seconds" not in syncing_samples
    assert ready["status"] == "ok" and "mirror_progress" not in ready
    assert ready["mirror_lag_seconds"] >= 0
    assert str(store) not in str(ready)  # the store's path is for get_sync_status, not /healthz
    assert [status["state"] for status in seen] == ["ready", "ready"]
    assert seen[0]["store_path"] == seen[1]["store_path"]
    assert mirror_states(ready_samples) == only("ready")
    [(_, lag)] = ready_samples["hostaway_mcp_mirror_lag_seconds"]
    assert lag >= 0
    messages = [line["message"] for line in lines]
    assert messages.count("mirror store open") == 1
    assert messages.count("mirror: first sync done") == 1


async def test_healthz_and_metrics_show_the_mirrors_own_lag(tmp_path: Path) -> None:
    async with running_team(tmp_path, sandbox=small_sandbox(2), store=str(tmp_path)) as team:
        await until_mirror(team, "ready")
        later = time.time() + 3600  # the mirror's clock, an hour on and standing still
        mirror_of(team)._clock = lambda: later
        body = await healthz(team)
        [(_, lag)] = (await metrics(team))["hostaway_mcp_mirror_lag_seconds"]
    assert lag >= 3600
    assert body["mirror_lag_seconds"] == round(lag, 1)


async def test_with_the_store_off_healthz_and_metrics_say_off(tmp_path: Path) -> None:
    async with running_team(tmp_path, store="off") as team:
        assert team.server.adapter.hostaway is not None
        assert team.server.adapter.hostaway.mirror is None
        body = await healthz(team)
        samples = await metrics(team)
    assert body["mirror"] == "off" and body["status"] == "ok"
    assert "mirror_progress" not in body and "mirror_lag_seconds" not in body
    assert mirror_states(samples) == only("off")
    assert "hostaway_mcp_mirror_lag_seconds" not in samples


async def test_a_failing_mirror_makes_healthz_degraded_without_saying_why(tmp_path: Path) -> None:
    sandbox = small_sandbox(2)
    sandbox.faults.inject("/reviews", "status", count=1_000_000, status=503)
    store = tmp_path / "store"
    async with running_team(tmp_path, sandbox=sandbox, store=str(store)) as team:
        await until_mirror(team, "error")
        async with team.client("maria") as client:
            await structured(client, "check_connection")  # Hostaway answers: upstream is ok
            status = await structured(client, "get_sync_status")
        body = await healthz(team)
        samples = await metrics(team)
    assert body["upstream"]["state"] == "ok"
    assert body["status"] == "degraded" and body["mirror"] == "error"
    assert "503" in status["error"]  # the reason is for the people with a token
    assert status["error"] not in str(body) and str(store) not in str(body)
    assert mirror_states(samples) == only("error")


# ---- webhooks -----------------------------------------------------------------------------------


async def deliver(team: Team, payload: dict[str, Any]) -> None:
    async with team.http(auth=httpx.BasicAuth(LOGIN, PASSWORD)) as http:
        answer = await http.post("/webhooks/hostaway", json=payload)
    assert answer.json() == {"status": "ok", "result": "queued"}


def booking_ids(answer: dict[str, Any]) -> set[int]:
    return {booking["id"] for booking in answer["bookings"]}


@asynccontextmanager
async def team_with_a_ready_copy(
    tmp_path: Path, sandbox: Sandbox, watched: WatchedRefresher
) -> AsyncIterator[Any]:
    """The team server with its local copy ready, webhooks refreshing it through ``watched``, and
    no refresh cycle coming to help within a test."""
    async with running_team(
        tmp_path,
        env=ENV,
        sandbox=sandbox,
        refresher=watched,
        store=str(tmp_path / "store"),
        freshness_s=3600.0,
    ) as team:
        await until_mirror(team, "ready")
        yield team


async def test_a_booking_made_elsewhere_is_in_the_next_search_after_its_webhook(
    tmp_path: Path,
) -> None:
    sandbox = small_sandbox(3)
    watched = WatchedRefresher()
    async with team_with_a_ready_copy(tmp_path, sandbox, watched) as team:
        assert isinstance(watched.inner, MirrorRefresher)
        listing_id = sandbox.store.listings[0]["id"]
        arrival, departure = free_stay(sandbox, listing_id)
        booked = upstream.book(sandbox, listing_id, arrival, departure)  # another app books
        query = {"listing_id": listing_id, "arrival_from": str(arrival), "arrival_to": str(arrival)}
        async with team.client("maria") as client:
            before = await structured(client, "search_bookings", query)
            assert booked["id"] not in booking_ids(before)  # the copy has not seen it
            lists = sandbox.count("GET", "/reservations")
            await deliver(
                team,
                {
                    "event": "reservation.created",
                    "object": "reservation",
                    "objectId": booked["id"],
                    "listingMapId": listing_id,
                },
            )
            await watched.finished(("reservation", booked["id"]), ("listing", listing_id))
            after = await structured(client, "search_bookings", query)
    assert booking_ids(after) == booking_ids(before) | {booked["id"]}
    assert sandbox.count("GET", "/reservations") == lists  # no reservation list was read
    assert sandbox.count("GET", f"/reservations/{booked['id']}") == 1


def answered_thread(sandbox: Sandbox) -> dict[str, Any]:
    """A booking's conversation whose latest message is the host's: no one is waiting."""
    return next(
        c
        for c in sandbox.store.conversations
        if c["reservationId"]
        and c["conversationMessages"]
        and not c["conversationMessages"][0]["isIncoming"]
    )


async def waiting(client: Any) -> set[int]:
    triage = await structured(client, "get_inbox_triage", {"limit": 100})
    assert triage["scan_complete"]
    return {item["conversation_id"] for item in triage["items"]}


async def test_a_guest_message_is_in_the_next_inbox_after_its_webhook(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    watched = WatchedRefresher()
    async with team_with_a_ready_copy(tmp_path, sandbox, watched) as team:
        thread = answered_thread(sandbox)
        upstream.guest_writes(sandbox, thread["id"], "Is early check-in possible?")
        async with team.client("maria") as client:
            assert thread["id"] not in await waiting(client)  # the copy has not seen it
            lists = sandbox.count("GET", "/conversations")
            await deliver(
                team,
                {
                    "event": "message.received",
                    "object": "conversationMessage",
                    "objectId": 9001,
                    "data": {"conversationId": thread["id"]},
                },
            )
            await watched.finished(("conversation", thread["id"]))
            now_waiting = await waiting(client)
            listed = await structured(
                client, "list_conversations", {"reservation_id": thread["reservationId"]}
            )
    assert thread["id"] in now_waiting
    [conversation] = listed["conversations"]
    assert conversation["last_message_incoming"] is True
    assert "early check-in" in conversation["untrusted"]["last_message_preview"]
    assert sandbox.count("GET", "/conversations") == lists  # no conversation list was read
    assert sandbox.count("GET", f"/conversations/{thread['id']}") == 1


# ---- shutdown -----------------------------------------------------------------------------------


def assert_closed(mirror: Mirror) -> None:
    """Its connections closed and the sync lock let go."""
    with pytest.raises(NotMirrored):
        _ = mirror.db
    assert not mirror.syncing_here


async def test_shutdown_closes_the_mirror_before_the_token_is_revoked(tmp_path: Path) -> None:
    with json_log_lines() as lines:
        async with running_team(tmp_path, sandbox=small_sandbox(2), store=str(tmp_path)) as team:
            await until_mirror(team, "ready")
            mirror = mirror_of(team)
            hostaway = team.server.adapter.hostaway
            assert hostaway is not None
    assert_closed(mirror)
    messages = [line["message"] for line in lines]
    assert messages.index("mirror store closed") < messages.index("access token revoked")
    assert errors(lines) == []
    # No process holds the store any more: it may be deleted.
    assert Hostaway.forget_local_copy(hostaway._client.settings) is not None


async def test_a_stop_during_the_first_sync_is_clean_and_the_next_start_resumes(
    tmp_path: Path,
) -> None:
    sandbox = small_sandbox(3)
    held = HeldBack(sandbox)
    store = str(tmp_path / "store")
    with json_log_lines() as lines:
        async with running_team(tmp_path, sandbox=sandbox, store=store) as team:
            await held.until_held()
            mirror = mirror_of(team)
            assert (await healthz(team))["mirror"] == "syncing"
    assert_closed(mirror)
    messages = [line["message"] for line in lines]
    assert messages.index("mirror store closed") < messages.index("access token revoked")
    assert errors(lines) == []
    sandbox.app = held.app  # type: ignore[assignment]
    full_reads = sandbox.count("GET", "/reservations")
    async with running_team(tmp_path, sandbox=sandbox, store=store) as team:
        await until_mirror(team, "ready")
    # The reservations were copied before the stop: the next start only asks what changed.
    assert sandbox.count("GET", "/reservations") - full_reads <= 1
