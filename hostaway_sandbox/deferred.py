"""A transport built on its first request, so demo mode's start-up (the MCP handshake) does not wait
for the sandbox to generate a year of demo data (about a third of a second)."""

from __future__ import annotations

from collections.abc import Callable

import anyio
import anyio.to_thread
import httpx


class DeferredTransport(httpx.AsyncBaseTransport):
    """Calls ``build`` once, in a worker thread (the event loop keeps serving meanwhile), when the
    first request arrives; concurrent first requests wait for that one build."""

    def __init__(self, build: Callable[[], httpx.AsyncBaseTransport]) -> None:
        self._build = build
        self._inner: httpx.AsyncBaseTransport | None = None
        self._lock = anyio.Lock()

    async def _transport(self) -> httpx.AsyncBaseTransport:
        if self._inner is None:
            async with self._lock:
                if self._inner is None:
                    self._inner = await anyio.to_thread.run_sync(self._build)
        return self._inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await (await self._transport()).handle_async_request(request)

    async def aclose(self) -> None:
        if self._inner is not None:
            await self._inner.aclose()


def sandbox_transport() -> DeferredTransport:
    """The demo account's transport; its Sandbox is created on the first request."""

    def build() -> httpx.AsyncBaseTransport:
        from .app import Sandbox

        return Sandbox().transport()

    return DeferredTransport(build)
