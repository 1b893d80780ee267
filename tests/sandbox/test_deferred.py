"""Demo mode builds the sandbox on the first request, not during start-up (the MCP handshake)."""

from __future__ import annotations

import anyio
import httpx
import pytest

import hostaway_sandbox.app as sandbox_app
from hostaway_mcp.config import Settings
from hostaway_mcp.server.app import connect, demo_settings
from hostaway_sandbox.deferred import DeferredTransport

pytestmark = pytest.mark.anyio


class Counting:
    """A build function that counts its calls and returns a MockTransport."""

    def __init__(self) -> None:
        self.builds = 0
        self.closed = False

    def __call__(self) -> httpx.AsyncBaseTransport:
        self.builds += 1
        owner = self

        class Closing(httpx.MockTransport):
            async def aclose(self) -> None:
                owner.closed = True

        return Closing(lambda request: httpx.Response(200, json={"path": request.url.path}))


async def test_builds_once_on_the_first_request_even_when_concurrent() -> None:
    build = Counting()
    transport = DeferredTransport(build)
    assert build.builds == 0
    answers: list[str] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://demo/v1") as http:

        async def get(i: int) -> None:
            answers.append((await http.get(f"/listings/{i}")).json()["path"])

        async with anyio.create_task_group() as group:
            for i in range(10):
                group.start_soon(get, i)
    assert build.builds == 1
    assert sorted(answers) == sorted(f"/v1/listings/{i}" for i in range(10))
    assert build.closed  # closing the client closed the built transport


async def test_closing_before_any_request_builds_nothing() -> None:
    build = Counting()
    await DeferredTransport(build).aclose()
    assert build.builds == 0


async def test_demo_client_creates_no_sandbox_until_it_sends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created: list[sandbox_app.Sandbox] = []
    real = sandbox_app.Sandbox

    class Recorded(real):
        def __init__(self) -> None:
            super().__init__()
            self.token_warmup = 0.0
            created.append(self)

    monkeypatch.setattr(sandbox_app, "Sandbox", Recorded)
    hostaway = connect(demo_settings(Settings(demo=True)))
    try:
        assert created == []
        hostaway._client._tokens.warmup = 0.0  # the sandbox above accepts new tokens at once
        assert await hostaway.check() == len(created[0].store.listings)
        assert len(created) == 1
    finally:
        await hostaway.aclose()
