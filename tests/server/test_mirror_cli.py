"""`hostaway-mcp sync` and `hostaway-mcp forget` against the sandbox served over HTTP on
loopback: the sync runs to the end with progress on stderr, forget deletes the file."""

from __future__ import annotations

import io
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import anyio
import anyio.to_thread
import pytest
import uvicorn

from hostaway_mcp.__main__ import main
from hostaway_mcp.config import load_settings
from hostaway_mcp.hostaway import Hostaway, track_provenance
from hostaway_mcp.hostaway.mirror.sync import CALENDAR_AHEAD_DAYS
from hostaway_mcp.mirror_cli import forget, sync
from hostaway_sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox
from tests.support.mirror import damage, small_sandbox, synced

pytestmark = pytest.mark.anyio


@pytest.fixture
def sandbox() -> Sandbox:
    return small_sandbox(2)


@pytest.fixture
async def base_url(sandbox: Sandbox) -> AsyncIterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    http = uvicorn.Server(
        uvicorn.Config(sandbox.app, host="127.0.0.1", port=port, log_level="error")
    )
    async with anyio.create_task_group() as group:
        group.start_soon(http.serve)
        with anyio.fail_after(10):
            while not http.started:  # noqa: ASYNC110 - uvicorn offers no start event
                await anyio.sleep(0.02)
        yield f"http://127.0.0.1:{port}/v1"
        http.should_exit = True


def files(directory: Path) -> list[Path]:
    return sorted(directory.iterdir())


def env(base_url: str, store: Path) -> dict[str, str]:
    return {
        "HOSTAWAY_CLIENT_ID": DEMO_CLIENT_ID,
        "HOSTAWAY_CLIENT_SECRET": DEMO_CLIENT_SECRET,
        "HOSTAWAY_BASE_URL": base_url,
        "HOSTAWAY_STORE": str(store),
        "RATE_LIMIT_IP": "10000",
        "RATE_LIMIT_ACCOUNT": "10000",
    }


@pytest.mark.slow  # a real hostaway-mcp sync process
async def test_sync_then_forget(base_url: str, tmp_path: Path) -> None:
    settings = load_settings(env(base_url, tmp_path))
    out = io.StringIO()
    assert await anyio.to_thread.run_sync(sync, settings, out) == 0
    report = out.getvalue()
    assert "[##############################] 100%" in report
    assert "Local copy ready:" in report and "listings" in report
    assert ".sqlite3" in [p.suffix for p in files(tmp_path)]
    again = io.StringIO()  # a second run only refreshes
    assert await anyio.to_thread.run_sync(sync, settings, again) == 0
    said = io.StringIO()
    assert forget(settings, said) == 0
    assert "Deleted the local copy of account" in said.getvalue()
    assert files(tmp_path) == []
    assert forget(settings, said) == 0
    assert "No local copy" in said.getvalue()


def test_sync_and_forget_without_a_store_or_an_account(tmp_path: Path) -> None:
    off = load_settings({"HOSTAWAY_STORE": "off", "HOSTAWAY_CLIENT_ID": "1"})
    assert sync(off, io.StringIO()) == 2
    assert forget(off, io.StringIO()) == 0
    anonymous = load_settings({"HOSTAWAY_STORE": str(tmp_path)})
    assert forget(anonymous, io.StringIO()) == 2
    assert sync(anonymous, io.StringIO()) == 2


def test_the_command_line_names_both_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOSTAWAY_STORE", "off")
    monkeypatch.setenv("HOSTAWAY_CLIENT_ID", "1")
    assert main(["sync"]) == 2
    assert "HOSTAWAY_STORE=off" in capsys.readouterr().err
    monkeypatch.setenv("HOSTAWAY_TIMEOUT", "soon")
    assert main(["forget"]) == 2
    assert "HOSTAWAY_TIMEOUT" in capsys.readouterr().err


@pytest.mark.slow  # a real hostaway-mcp sync process
async def test_sync_makes_a_damaged_copy_again_and_says_what_fails(
    base_url: str, sandbox: Sandbox, tmp_path: Path
) -> None:
    settings = load_settings(env(base_url, tmp_path))
    assert await anyio.to_thread.run_sync(sync, settings, io.StringIO()) == 0
    [store] = [p for p in files(tmp_path) if p.suffix == ".sqlite3"]
    assert damage(store, str(sandbox.store.reservations[0]["guestName"]).encode()) > 0
    sandbox.store.reservations[0]["updatedOn"] = "2099-01-01 00:00:00"  # the refresh meets it
    out = io.StringIO()
    assert await anyio.to_thread.run_sync(sync, settings, out) == 0, out.getvalue()
    assert "Local copy ready:" in out.getvalue()
    assert [p for p in files(tmp_path) if ".corrupt-" in p.name]
    # Hostaway failing: a sentence and the way on, not a traceback.
    sandbox.faults.inject("*", "status", count=1_000_000, status=503)
    assert forget(settings, io.StringIO()) == 0
    out = io.StringIO()
    assert await anyio.to_thread.run_sync(sync, settings, out) == 1
    assert "HTTP 503" in out.getvalue() and "continue where it stopped" in out.getvalue()


def requests_done(store: Path) -> int:
    """Requests the first sync has saved as done, read from the file as another process would."""
    if not store.exists():
        return 0
    with closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5.0)) as c:
        try:
            return int(c.execute("SELECT total(requests_done) FROM datasets").fetchone()[0])
        except sqlite3.OperationalError:  # not created yet
            return 0


@pytest.mark.slow
async def test_a_sync_killed_midway_is_taken_over_and_resumed(
    base_url: str, sandbox: Sandbox, tmp_path: Path
) -> None:
    """Two real processes on one store: `hostaway-mcp sync` holds it, this process reads it; the
    sync is killed (SIGKILL) halfway; this process takes the sync over and finishes it from
    where the dead one stopped."""
    clean = small_sandbox(2)  # the same account: what a whole sync asks for
    await (await synced(clean, tmp_path / "clean")).aclose()
    everything = clean.count("GET")
    sandbox.faults.inject("*", "latency", count=1_000_000, delay=0.05)
    store = tmp_path / "store.sqlite3"
    values = env(base_url, store)
    process = await anyio.open_process(
        [sys.executable, "-m", "hostaway_mcp", "sync"],
        env={**os.environ, **values},
        cwd=tmp_path,
    )
    reader = Hostaway.connect(load_settings(values))
    mirror = reader.mirror
    assert mirror is not None
    try:
        with anyio.fail_after(60):
            while await anyio.to_thread.run_sync(requests_done, store) < everything // 2:
                assert process.returncode is None, "the sync finished before it was killed"
                await anyio.sleep(0.01)
            assert await mirror.open() and not mirror.try_lock()  # the other process syncs
            assert (await reader.sync_status()).state == "syncing"
            process.kill()
            assert await process.wait() == -signal.SIGKILL
        with track_provenance() as seen:  # what the dead process copied is read from the file
            assert len(await reader.listings()) == 2
        assert seen.data_as_of is not None
        before = sandbox.count("GET")
        assert mirror.try_lock()  # the OS let go of the dead process's lock
        sandbox.faults.clear()
        await mirror.sync_now()
        resumed = sandbox.count("GET") - before
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await process.aclose()
    status = await reader.sync_status()
    await reader.aclose()
    assert status.state == "ready"
    assert status.counts == {
        "listings": 2,
        "reservations": len(sandbox.store.reservations),
        "conversations": len(sandbox.store.conversations),
        "reviews": sum(1 for r in sandbox.store.reviews if r["type"] == "guest-to-host"),
        "tasks": len(sandbox.store.tasks),
        "expenses": len(sandbox.store.expenses),
        "calendar_nights": 2 * (730 + CALENDAR_AHEAD_DAYS + 1),
    }
    # Resumed, not started over: what the killed process saved is not asked for again.
    assert resumed < everything - everything // 4
