"""The access token is revoked when the server shuts down cleanly, and no longer works after."""

from __future__ import annotations

import httpx
import pytest
import respx
from mcp import Client

from hostaway_mcp.hostaway import Hostaway
from tests.support.accounts import demo_account
from tests.support.records import TOKEN, envelope, token_body
from tests.support.servers import BASE_URL, FAST_RETRY, make_client, settings
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio


async def test_shutdown_revokes_the_token_and_it_stops_working() -> None:
    sandbox = demo_account()
    async with Client(sandbox_server(sandbox)) as client:
        result = await client.call_tool("list_all_properties", {"limit": 1})
        assert not result.is_error
        [token] = sandbox.tokens.issued()
    assert sandbox.count("DELETE", "/accessTokens") == 1
    assert sandbox.tokens.revoked() == [token]
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url="http://s/v1") as http:
        refused = await http.get("/listings", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403


async def test_a_server_that_never_minted_a_token_sends_nothing_at_shutdown() -> None:
    sandbox = demo_account()
    async with Client(sandbox_server(sandbox)) as client:
        await client.list_tools()
    assert sandbox.request_log == []


async def test_revocation_sends_the_token_as_hostaway_documents_it() -> None:
    with respx.mock(base_url=BASE_URL) as router:
        router.post("/accessTokens").respond(200, json=token_body())
        router.get("/listings").respond(200, json=envelope([], count=0))
        revoke = router.delete("/accessTokens").respond(200, json=envelope([]))
        hostaway = Hostaway.connect(settings(), retry=FAST_RETRY, token_warmup=0.0)
        await hostaway.check()
        await hostaway.aclose()
    request = revoke.calls.last.request
    assert request.url.params["token"] == TOKEN
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


async def test_a_failed_revocation_never_stops_the_shutdown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with respx.mock(base_url=BASE_URL) as router:
        router.post("/accessTokens").respond(200, json=token_body())
        router.get("/listings").respond(200, json=envelope([], count=0))
        router.delete("/accessTokens").mock(side_effect=httpx.ConnectError("down"))
        client = make_client()
        await client.check()
        assert await client.revoke_token() is False
        assert await client.revoke_token() is False  # nothing left to revoke
        await client.aclose()
    assert "access token not revoked" in caplog.text
    assert TOKEN not in caplog.text
