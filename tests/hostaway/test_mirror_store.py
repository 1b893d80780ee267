"""The mirror's file: where it lives, its modes, files it cannot use (set aside and rebuilt, never
a crash), no access code ever written to it, and several processes on one store."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import anyio
import pytest

from hostaway_mcp.config import STORE_OFF, STORE_THROWAWAY, default_store_dir, load_settings
from hostaway_mcp.hostaway import (
    DateRange,
    Hostaway,
    NewBooking,
    ReservationQuery,
    SyncStatus,
    commands,
    track_provenance,
)
from hostaway_mcp.hostaway.mirror.files import store_file
from hostaway_mcp.hostaway.mirror.lock import SyncLock
from hostaway_mcp.hostaway.mirror.schema import SCHEMA_VERSION
from hostaway_mcp.hostaway.mirror.store import MirrorStore
from hostaway_sandbox import Sandbox, upstream
from tests.support.accounts import DEMO_TODAY as TODAY
from tests.support.mirror import adapter, damage, small_sandbox, synced

pytestmark = pytest.mark.anyio

ACCOUNT, API = "100001", "http://demo.sandbox/v1"


def every_byte(directory: Path) -> bytes:
    """The store and everything beside it (WAL, shared memory, lock), as stored on disk."""
    return b"".join(p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def the_file(directory: Path) -> Path:
    return store_file(str(directory), ACCOUNT, API)


# ---- where it lives --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {"HOME": "/home/ana"}, "/home/ana/.local/share/hostaway-mcp"),
        ("linux", {"HOME": "/home/ana", "XDG_DATA_HOME": "/data"}, "/data/hostaway-mcp"),
        ("darwin", {"HOME": "/Users/ana"}, "/Users/ana/Library/Application Support/hostaway-mcp"),
        (
            "win32",
            {"USERPROFILE": "C:/Users/ana", "LOCALAPPDATA": "C:/Users/ana/AppData/Local"},
            "C:/Users/ana/AppData/Local/hostaway-mcp",
        ),
    ],
)
def test_the_default_place_is_the_users_data_directory(
    platform: str, env: dict[str, str], expected: str
) -> None:
    assert Path(default_store_dir(env, platform)) == Path(expected)


def test_the_store_settings() -> None:
    assert load_settings({"XDG_DATA_HOME": "/data"}).store.endswith("hostaway-mcp")
    assert load_settings({"HOSTAWAY_STORE": "OFF"}).store == STORE_OFF
    assert load_settings({}, demo=True).store == STORE_THROWAWAY
    assert load_settings({"HOSTAWAY_STORE": "/x/y.sqlite3"}).store == "/x/y.sqlite3"
    tuned = load_settings(
        {
            "HOSTAWAY_MIRROR_PAST_DAYS": "365",
            "HOSTAWAY_MIRROR_FUTURE_DAYS": "400",
            "HOSTAWAY_FRESHNESS_S": "30",
        }
    )
    assert (tuned.mirror_past_days, tuned.mirror_future_days, tuned.freshness_s) == (365, 400, 30)


def test_one_file_per_account_and_api() -> None:
    one = store_file("/d", "100001", "https://api.hostaway.com/v1")
    assert one.parent == Path("/d") and one.suffix == ".sqlite3"
    assert store_file("/d", "100002", "https://api.hostaway.com/v1") != one
    assert store_file("/d", "100001", "http://127.0.0.1:8765/v1") != one
    assert store_file("/d/mine.db", "100001", "x") == Path("/d/mine.db")


# ---- modes and files it cannot use ------------------------------------------------------------


async def test_the_directory_and_files_are_private(tmp_path: Path) -> None:
    directory = tmp_path / "new" / "store"
    hostaway = await synced(small_sandbox(2), directory)
    path = the_file(directory)
    assert mode(directory) == 0o700
    assert mode(path) == 0o600
    for companion in ("-wal", "-shm", ".lock"):
        sibling = path.with_name(path.name + companion)
        assert sibling.exists() and mode(sibling) == 0o600, companion
    await hostaway.aclose()


def open_store(path: Path, account: str = ACCOUNT) -> MirrorStore:
    return MirrorStore.open(path, account_id=account, base_url=API, fingerprint="f1")


def set_aside(path: Path, reason: str) -> list[Path]:
    """The copies kept of a file set aside (without their -wal / -shm companions)."""
    kept = path.parent.glob(f"{path.name}.{reason}-*")
    return sorted(p for p in kept if not p.name.endswith(("-wal", "-shm")))


def test_a_corrupt_file_is_set_aside_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"this is not a database " * 400)
    store = open_store(path)
    store.set_meta({"probe": "ok"})
    assert store.meta("probe") == "ok"
    store.close()
    kept = set_aside(path, "corrupt")
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not")


def test_a_file_from_a_newer_version_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    open_store(path).close()
    with sqlite3.connect(path) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store = open_store(path)
    assert store.read(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) == SCHEMA_VERSION
    store.close()
    assert len(set_aside(path, "newer")) == 1


def test_another_accounts_file_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    first = open_store(path, account="999")
    first.set_meta({"probe": "theirs"})
    first.close()
    store = open_store(path)
    assert store.meta("probe") is None
    assert store.meta("account_id") == ACCOUNT
    store.close()
    assert len(set_aside(path, "other-account")) == 1


def test_an_older_schema_is_migrated_forward(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with sqlite3.connect(path) as c:  # version 0: an empty file, as a first release would find it
        assert c.execute("PRAGMA user_version").fetchone()[0] == 0
    store = open_store(path)
    assert store.read(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) == SCHEMA_VERSION
    store.close()
    assert set_aside(path, "corrupt") == []


async def test_rows_written_by_other_entity_code_are_read_again(tmp_path: Path) -> None:
    sandbox = small_sandbox(2)
    hostaway = await synced(sandbox, tmp_path)
    await hostaway.aclose()
    path = the_file(tmp_path)
    with sqlite3.connect(path) as c:
        c.execute("UPDATE meta SET value = 'older-code' WHERE key = 'fingerprint'")
    again = adapter(sandbox, tmp_path)
    assert again.mirror is not None and await again.mirror.open()
    status = await again.sync_status()
    assert status.state == "syncing" and status.counts["reservations"] == 0
    await again.aclose()


# ---- no access codes ---------------------------------------------------------------------------

PLANTED = {
    "doorSecurityCode": "DOOR-7781-ZQ",
    "wifiUsername": "wifi-user-QX81",
    "wifiPassword": "wifi-pass-Kd93jQ",
    "keyPickup": "Key box behind the olive tree, code 5511",
    "specialInstruction": "Alarm code is 0042 on the left",
    "doorCode": "RES-CODE-4242#",
    "doorCodeVendor": "VendorLockXYZ",
    "doorCodeInstruction": "Press the lock symbol then RES-CODE",
}


def plant_access_codes(sandbox: Sandbox) -> list[str]:
    """Distinctive codes on every listing and booking (and the copies conversations embed);
    returns every access value the account now holds."""
    for listing in sandbox.store.listings:
        for key in ("doorSecurityCode", "wifiUsername", "wifiPassword", "keyPickup"):
            listing[key] = f"{PLANTED[key]}-{listing['id']}"
        listing["specialInstruction"] = PLANTED["specialInstruction"]
    for reservation in sandbox.store.reservations:
        for key in ("doorCode", "doorCodeVendor", "doorCodeInstruction"):
            reservation[key] = PLANTED[key]
        sandbox.store.reservation_changed(reservation)
    values = {
        str(record[key])
        for records, keys in (
            (sandbox.store.listings, ("doorSecurityCode", "wifiUsername", "wifiPassword")),
            (sandbox.store.listings, ("keyPickup", "specialInstruction")),
            (sandbox.store.reservations, ("doorCode", "doorCodeVendor", "doorCodeInstruction")),
        )
        for record in records
        for key in keys
        if record.get(key)
    }
    return sorted(values)


async def test_no_access_code_is_ever_written_to_the_store(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    codes = plant_access_codes(sandbox)
    assert any("RES-CODE" in code for code in codes)
    hostaway = await synced(sandbox, tmp_path)
    # The live detail reads still have them: they are read when asked for.
    listing = await hostaway.listing(sandbox.store.listings[0]["id"])
    assert listing.access.wifi_password
    booking = await hostaway.reservation(sandbox.store.reservations[0]["id"])
    assert booking.access.door_code == PLANTED["doorCode"]
    # Answers from the store carry none.
    rows = await hostaway.reservations(
        ReservationQuery(departing=DateRange(TODAY), arriving=DateRange(last=TODAY))
    )
    assert rows and all(r.access.door_code is None for r in rows)
    await hostaway.aclose()
    stored = every_byte(tmp_path)
    assert len(stored) > 100_000
    leaked = [code for code in codes if code.encode() in stored]
    assert leaked == []


# ---- several processes on one store -----------------------------------------------------------

WINDOW = ReservationQuery(
    departing=DateRange(TODAY - timedelta(days=700)),
    arriving=DateRange(last=TODAY + timedelta(days=700)),
)


def free_nights(sandbox: Sandbox, listing_id: int, nights: int = 3) -> DateRange:
    start = TODAY + timedelta(days=50)
    while not all(
        sandbox.store.calendar.is_free(listing_id, start + timedelta(days=n)) for n in range(nights)
    ):
        start += timedelta(days=1)
    return DateRange(start, start + timedelta(days=nights - 1))


async def test_one_process_syncs_and_the_others_read(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    syncing = await synced(sandbox, tmp_path)
    reader = adapter(sandbox, tmp_path)
    assert reader.mirror is not None and await reader.mirror.open()
    assert not reader.mirror.try_lock()  # the first process syncs
    assert not reader.mirror.syncing_here
    before = reader.stats.by_path["GET /reservations"]
    rows = await reader.reservations(
        ReservationQuery(departing=DateRange(TODAY), arriving=DateRange(last=TODAY))
    )
    assert rows and reader.stats.by_path["GET /reservations"] == before  # read from the store
    assert (await reader.sync_status()).state == "ready"
    # A write through the reading process is in the store at once; the calendar nights it
    # touches are read again by the syncing process.
    listing_id = sandbox.store.listings[0]["id"]
    stay = free_nights(sandbox, listing_id)
    booking = NewBooking(
        listing_id=listing_id,
        arrival=stay.first,
        departure=stay.last + timedelta(days=1),
        guest_name="Reader Write",
        guest_first_name=None,
        guest_last_name=None,
        guests=1,
    )
    created = await reader.execute(commands.create_reservation(booking))
    assert created is not None
    assert created.id in {r.id for r in await syncing.reservations(WINDOW)}
    before = syncing.stats.by_path[f"GET /listings/{listing_id}/calendar"]
    await syncing.mirror.cycle()  # type: ignore[union-attr]
    assert syncing.stats.by_path[f"GET /listings/{listing_id}/calendar"] == before + 1
    assert await syncing.closed_nights(listing_id, stay) == {
        stay.first + timedelta(days=n) for n in range(3)
    }
    await syncing.aclose()  # the syncing process goes away: the next to try takes over
    assert reader.mirror.try_lock()
    await reader.aclose()


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from hostaway_mcp.hostaway.mirror.lock import SyncLock
lock = SyncLock(Path(sys.argv[1]))
assert lock.try_acquire()
print("locked", flush=True)
time.sleep(60)
"""


def test_the_sync_lock_holds_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3.lock"
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", LOCK_HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert not SyncLock(path).try_acquire()
    finally:
        holder.kill()
        holder.wait(10)
    ours = SyncLock(path)
    assert ours.try_acquire()  # the OS let go of the dead holder's lock
    ours.release()


async def test_forget_deletes_the_store_unless_a_process_uses_it(tmp_path: Path) -> None:
    sandbox = small_sandbox(2)
    hostaway = await synced(sandbox, tmp_path)
    settings = hostaway._client.settings
    assert Hostaway.forget_local_copy(settings) is None  # in use
    await hostaway.aclose()
    removed = Hostaway.forget_local_copy(settings)
    assert removed and the_file(tmp_path) in removed
    assert every_byte(tmp_path) == b""


# ---- a file that goes bad, or is held, while in use ----------------------------------------------


async def until(state: str, hostaway: Hostaway) -> SyncStatus:
    with anyio.fail_after(30):
        while (status := await hostaway.sync_status()).state != state:  # noqa: ASYNC110 - polled, bounded
            await anyio.sleep(0.02)
    return status


async def live_statuses(sandbox: Sandbox) -> dict[int, str]:
    live = adapter(sandbox, STORE_OFF)
    found = {r.id: r.status for r in await live.reservations(WINDOW)}
    await live.aclose()
    return found


async def test_a_damaged_store_is_answered_live_then_set_aside_and_made_again(
    tmp_path: Path,
) -> None:
    sandbox = small_sandbox(3)
    await (await synced(sandbox, tmp_path)).aclose()
    path = the_file(tmp_path)
    assert damage(path, str(sandbox.store.reservations[0]["guestName"]).encode()) > 0
    hostaway = adapter(sandbox, tmp_path)
    mirror = hostaway.mirror
    assert mirror is not None
    mirror._start_delay = 0.0
    assert await mirror.open() and mirror.try_lock()  # header and schema intact: it opens
    # The first answer that meets the damage is read live, whole.
    with track_provenance() as seen:
        found = {r.id: r.status for r in await hostaway.reservations(WINDOW)}
    assert found == await live_statuses(sandbox) and seen.data_as_of is None
    status = await hostaway.sync_status()
    assert status.state == "error" and status.error and "damaged" in status.error
    # The background sync sets the file aside and makes the copy again.
    async with anyio.create_task_group() as group:
        group.start_soon(mirror.run)
        await until("ready", hostaway)
        group.cancel_scope.cancel()
    assert len(set_aside(path, "corrupt")) == 1
    with track_provenance() as seen:
        assert {r.id: r.status for r in await hostaway.reservations(WINDOW)} == found
    assert seen.data_as_of is not None
    await hostaway.aclose()


async def test_a_store_another_program_holds_is_waited_for_not_set_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hostaway_mcp.hostaway.mirror.schema.BUSY_TIMEOUT_S", 0.05)
    monkeypatch.setattr("hostaway_mcp.hostaway.mirror.mirror.ERROR_BACKOFF", (0.05,))
    monkeypatch.setattr("hostaway_mcp.hostaway.mirror.mirror.MIN_CYCLE", 0.05)
    sandbox = small_sandbox(2)
    hostaway = await synced(sandbox, tmp_path, freshness_s=0.05)
    mirror = hostaway.mirror
    assert mirror is not None
    mirror._start_delay = 0.0
    holder = sqlite3.connect(the_file(tmp_path), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # e.g. a database browser left with a write pending
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(mirror.run)
            status = await until("error", hostaway)
            assert status.error and "busy" in status.error
            with track_provenance() as seen:  # reading needs no write lock: still the copy
                await hostaway.reservations(WINDOW)
            assert seen.data_as_of is not None
            holder.execute("ROLLBACK")
            await until("ready", hostaway)
            group.cancel_scope.cancel()
    finally:
        holder.close()
    assert set_aside(the_file(tmp_path), "corrupt") == []
    await hostaway.aclose()


async def test_a_reading_process_follows_the_copy_the_syncing_one_made_again(
    tmp_path: Path,
) -> None:
    sandbox = small_sandbox(2)
    syncing = await synced(sandbox, tmp_path)
    reader = adapter(sandbox, tmp_path)
    assert reader.mirror is not None and syncing.mirror is not None
    reader.mirror._start_delay = 0.0
    assert await reader.mirror.open() and not reader.mirror.try_lock()
    listing_id = sandbox.store.listings[0]["id"]
    stay = free_nights(sandbox, listing_id)
    booked = upstream.book(sandbox, listing_id, stay.first, stay.last + timedelta(days=1))
    # The syncing process finds its file damaged: it sets it aside and copies the account again.
    assert await syncing.mirror._rebuild("damaged")
    await syncing.mirror.cycle()
    assert booked["id"] not in await reservation_statuses(reader)  # still the old file
    async with anyio.create_task_group() as group:
        group.start_soon(reader.mirror.run)
        with anyio.fail_after(30):
            while booked["id"] not in await reservation_statuses(reader):  # noqa: ASYNC110
                await anyio.sleep(0.02)
        group.cancel_scope.cancel()
    await reader.aclose()
    await syncing.aclose()


async def reservation_statuses(hostaway: Hostaway) -> dict[int, str]:
    return {r.id: r.status for r in await hostaway.reservations(WINDOW)}


async def test_a_reading_process_refreshes_what_the_syncing_one_left_stale(
    tmp_path: Path,
) -> None:
    sandbox = small_sandbox(3)
    syncing = await synced(sandbox, tmp_path)  # then busy elsewhere: no cycle for a while
    reader = adapter(sandbox, tmp_path)
    assert reader.mirror is not None
    now = [time.time()]
    reader.mirror._clock = lambda: now[0]
    assert await reader.mirror.open() and not reader.mirror.try_lock()
    listing_id = sandbox.store.listings[1]["id"]
    stay = free_nights(sandbox, listing_id)
    booked = upstream.book(sandbox, listing_id, stay.first, stay.last + timedelta(days=1))
    assert booked["id"] not in await reservation_statuses(reader)  # fresh enough: not asked
    now[0] += 61  # the copy is older than HOSTAWAY_FRESHNESS_S
    asked = reader.stats.by_path["GET /reservations"]
    assert booked["id"] in await reservation_statuses(reader)
    assert reader.stats.by_path["GET /reservations"] == asked + 1
    # The nights the new booking takes are read again before a calendar answer.
    nights = {stay.first + timedelta(days=n) for n in range(3)}
    assert await reader.closed_nights(listing_id, stay) == nights
    await reader.aclose()
    await syncing.aclose()
