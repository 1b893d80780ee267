"""The server with its local mirror over an in-process sandbox: build it, wait until the first
sync is done, and change the sandbox's data "upstream" as another app would."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from hostaway_mcp.hostaway import Hostaway
from hostaway_mcp.server.app import build_server
from hostaway_sandbox import Sandbox

from .accounts import DEMO_SEED as SEED
from .accounts import DEMO_TODAY as TODAY
from .servers import FAST_RETRY, settings

STRIPPED = ("data_as_of", "calendar_as_of")


def small_sandbox(listings: int | None = None, *, today: date = TODAY) -> Sandbox:
    """A sandbox with the limits out of the way (``listings`` None: the 24-listing demo)."""
    sandbox = Sandbox(seed=SEED, today=today, listings=listings)
    sandbox.token_warmup = 0.0
    sandbox.set_rate_limits(ip=10_000, account=10_000, window=10.0)
    return sandbox


class Built:
    """A server whose adapters (one per session) the test can reach."""

    def __init__(self, sandbox: Sandbox, store: Path | str, **overrides: Any) -> None:
        self.adapters: list[Hostaway] = []
        overrides.setdefault("rate_limit_ip", 10_000)
        overrides.setdefault("rate_limit_account", 10_000)
        start_delay = overrides.pop("start_delay", 0.0)

        def connect(s: Any) -> Hostaway:
            adapter = Hostaway.connect(
                s, transport=sandbox.transport(), retry=FAST_RETRY, token_warmup=0.0
            )
            if adapter.mirror is not None:
                adapter.mirror._start_delay = start_delay
            self.adapters.append(adapter)
            return adapter

        self.server = build_server(
            settings(demo=True, store=str(store), **overrides), connect_to=connect
        )

    @property
    def adapter(self) -> Hostaway:
        return self.adapters[-1]


async def wait_ready(client: Client, bound: float = 60.0) -> dict[str, Any]:
    """Poll get_sync_status until the first sync is done (bounded, no fixed sleep)."""
    with anyio.fail_after(bound):
        while True:
            status = await structured(client, "get_sync_status")
            if status["state"] == "ready":
                return status
            assert status["state"] != "error", status
            await anyio.sleep(0.05)


async def structured(
    client: Client, tool: str, args: dict[str, Any] | None = None
) -> dict[str, Any]:
    result = await client.call_tool(tool, args or {})
    assert not result.is_error, result.content[0].text  # type: ignore[union-attr]
    return result.structured_content  # type: ignore[return-value]


def free_stay(
    sandbox: Sandbox, listing_id: int, nights: int = 3, after: int = 40
) -> tuple[date, date]:
    """The first run of ``nights`` free nights at least ``after`` days ahead."""
    start = TODAY + timedelta(days=after)
    while True:
        stay = [start + timedelta(days=n) for n in range(nights)]
        if all(sandbox.store.calendar.is_free(listing_id, night) for night in stay):
            return start, start + timedelta(days=nights)
        start += timedelta(days=1)


def without_stamps(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in STRIPPED}


def adapter(sandbox: Sandbox, store: Path | str, **overrides: Any) -> Hostaway:
    """The adapter with its mirror at ``store``, over ``sandbox`` (limits out of the way)."""
    from hostaway_sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    values: dict[str, Any] = {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "base_url": "http://demo.sandbox/v1",
        "store": str(store),
        "rate_limit_ip": 10_000,
        "rate_limit_account": 10_000,
        **overrides,
    }
    return Hostaway.connect(
        settings(**values), transport=sandbox.transport(), retry=FAST_RETRY, token_warmup=0.0
    )


async def synced(sandbox: Sandbox, store: Path | str, **overrides: Any) -> Hostaway:
    """An adapter whose mirror has made its first sync (this "process" holds the sync lock)."""
    hostaway = adapter(sandbox, store, **overrides)
    mirror = hostaway.mirror
    assert mirror is not None
    assert await mirror.open()
    assert mirror.try_lock()
    await mirror.cycle()
    return hostaway


def damage(path: Path, marker: bytes) -> int:
    """Overwrite every page (after the first: the header and the schema) holding ``marker``, as
    a failing disk would; returns how many."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    hits = 0
    for start in range(page, len(data), page):
        if marker in data[start : start + page]:
            data[start : start + page] = b"\xa5" * page
            hits += 1
    path.write_bytes(bytes(data))
    return hits
