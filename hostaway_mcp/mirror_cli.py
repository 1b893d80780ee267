"""`hostaway-mcp sync` and `hostaway-mcp forget`: the local copy of the account from a terminal.
Progress goes to stderr (a bar on a terminal, a line every few seconds otherwise)."""

from __future__ import annotations

import sqlite3
import sys
import time
from typing import TextIO

import anyio

from .config import STORE_OFF, STORE_THROWAWAY, Settings
from .errors import HostawayError

BAR = 30
TICK = 0.5
LINE_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal


def _bar(share: float, seconds_left: float | None, counts: dict[str, int]) -> str:
    filled = round(share * BAR)
    left = f", about {max(1, round(seconds_left / 60))} min left" if seconds_left else ""
    rows = ", ".join(f"{counts.get(k, 0):,} {k}" for k in ("listings", "reservations"))
    return f"[{'#' * filled}{'-' * (BAR - filled)}] {share:4.0%}{left} ({rows})"


def sync(settings: Settings, out: TextIO | None = None) -> int:
    """Run (or resume) the sync in this terminal, then exit: 0 when the copy is complete."""
    out = out or sys.stderr
    if settings.store == STORE_OFF:
        out.write("hostaway-mcp: HOSTAWAY_STORE=off, so there is no local copy to sync.\n")
        return 2
    try:
        return anyio.run(_sync, settings, out)
    except KeyboardInterrupt:
        out.write("\nStopped; `hostaway-mcp sync` (or the server) continues where it stopped.\n")
        return 130


async def _sync(settings: Settings, out: TextIO) -> int:
    from .server.app import connect, demo_settings

    if settings.demo:
        settings = demo_settings(settings)
    if not settings.has_credentials:
        out.write(f"hostaway-mcp: {settings.missing_credentials_message()}\n")
        return 2
    hostaway = connect(settings)
    mirror = hostaway.mirror
    assert mirror is not None  # noqa: S101 - the store is on (checked above)
    started = time.monotonic()
    try:
        if not await mirror.open():
            out.write(f"hostaway-mcp: {mirror.error}\n")
            return 1
        if not mirror.try_lock():
            out.write(
                f"hostaway-mcp: another hostaway-mcp process is syncing {mirror.path}; it "
                "carries on there.\n"
            )
            return 1
        terminal = out.isatty()
        failure: Exception | None = None
        async with anyio.create_task_group() as group:

            async def show() -> None:
                last_line = 0.0
                while True:
                    status = await mirror.status()
                    line = _bar(status.progress, status.seconds_left, status.counts)
                    if terminal:
                        out.write(f"\r{line}")
                        out.flush()
                    elif time.monotonic() - last_line >= LINE_EVERY:
                        out.write(line + "\n")
                        last_line = time.monotonic()
                    await anyio.sleep(TICK)

            group.start_soon(show)
            try:
                await mirror.sync_now()
            except Exception as exc:  # raised below as itself, not inside an ExceptionGroup
                failure = exc
            finally:
                group.cancel_scope.cancel()
        if failure is not None:
            raise failure
        status = await mirror.status()
        out.write(("\n" if terminal else "") + _bar(1.0, None, status.counts) + "\n")
        counts = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in status.counts.items())
        out.write(
            f"Local copy ready: {counts}. {hostaway.stats.requests} requests in "
            f"{time.monotonic() - started:.0f} s. Stored in {mirror.path}\n"
        )
        return 0
    except HostawayError as exc:
        out.write(f"\nhostaway-mcp: {exc.user_message()}\n")
        out.write("Run `hostaway-mcp sync` again to continue where it stopped.\n")
        return 1
    except (OSError, sqlite3.Error) as exc:
        out.write(f"\nhostaway-mcp: the local copy at {mirror.path} cannot be used: {exc}\n")
        return 1
    finally:
        await hostaway.aclose()


def forget(settings: Settings, out: TextIO | None = None) -> int:
    """Delete this account's local copy (and copies set aside earlier)."""
    out = out or sys.stderr
    from .hostaway import Hostaway

    if settings.store in (STORE_OFF, STORE_THROWAWAY):
        out.write("hostaway-mcp: there is no local copy to forget (HOSTAWAY_STORE=off or demo).\n")
        return 0
    if not settings.client_id:
        out.write(f"hostaway-mcp: {settings.missing_credentials_message()}\n")
        return 2
    path = Hostaway.local_copy_path(settings)
    removed = Hostaway.forget_local_copy(settings)
    if removed is None:
        out.write(
            f"hostaway-mcp: a running hostaway-mcp is using {path}; stop it (quit the MCP host) "
            "and try again.\n"
        )
        return 1
    if removed:
        out.write(f"Deleted the local copy of account {settings.client_id}: {path}\n")
    else:
        out.write(f"No local copy of account {settings.client_id} at {path}.\n")
    return 0
