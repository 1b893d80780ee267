"""Token flow: bare token response, credential checks, warm-up, expiry, revocation."""

from __future__ import annotations

import httpx
import pytest

from hostaway_sandbox import DEMO_CLIENT_ID, Sandbox

from .conftest import BASE_URL, TOKEN_FORM, mint_token

pytestmark = pytest.mark.anyio


def plain_client(sandbox: Sandbox) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=sandbox.transport(), base_url=BASE_URL)


async def test_token_response_is_a_bare_object(sandbox: Sandbox) -> None:
    async with plain_client(sandbox) as http:
        response = await http.post("/accessTokens", data=TOKEN_FORM)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token_type", "expires_in", "access_token"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 63072000
    assert isinstance(body["access_token"], str)
    assert len(body["access_token"]) >= 32


async def test_each_token_is_different(sandbox: Sandbox) -> None:
    async with plain_client(sandbox) as http:
        assert await mint_token(http) != await mint_token(http)


@pytest.mark.parametrize(
    "override",
    [
        {"client_secret": "wrong"},
        {"client_id": "100002"},
        {"client_secret": ""},
    ],
)
async def test_bad_credentials_get_403_fail(shared: Sandbox, override: dict[str, str]) -> None:
    async with plain_client(shared) as http:
        response = await http.post("/accessTokens", data={**TOKEN_FORM, **override})
    assert response.status_code == 403
    assert response.json() == {"status": "fail", "result": "Invalid client credentials"}


async def test_wrong_grant_type_is_rejected(shared: Sandbox) -> None:
    async with plain_client(shared) as http:
        response = await http.post("/accessTokens", data={**TOKEN_FORM, "grant_type": "password"})
    assert response.status_code == 400
    assert response.json()["status"] == "fail"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer not-a-token", "Basic abc"],
)
async def test_requests_without_a_valid_token_get_403(shared: Sandbox, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    async with plain_client(shared) as http:
        response = await http.get("/listings", headers=headers)
    assert response.status_code == 403
    body = response.json()
    assert body["status"] == "fail"
    assert isinstance(body["result"], str)
    assert body["result"]


async def test_fresh_token_is_refused_until_warmed_up(sandbox: Sandbox) -> None:
    sandbox.token_warmup = 60.0
    async with plain_client(sandbox) as http:
        token = await mint_token(http)
        headers = {"Authorization": f"Bearer {token}"}
        early = await http.get("/listings", headers=headers)
        sandbox.token_warmup = 0.0  # as if the warm-up had elapsed
        later = await http.get("/listings", headers=headers)
    assert early.status_code == 403
    assert "not active yet" in early.json()["result"]
    assert later.status_code == 200


async def test_expire_tokens_invalidates_existing_tokens_only(sandbox: Sandbox) -> None:
    async with plain_client(sandbox) as http:
        old = await mint_token(http)
        assert (
            await http.get("/listings", headers={"Authorization": f"Bearer {old}"})
        ).status_code == 200
        sandbox.expire_tokens()
        refused = await http.get("/listings", headers={"Authorization": f"Bearer {old}"})
        new = await mint_token(http)
        accepted = await http.get("/listings", headers={"Authorization": f"Bearer {new}"})
    assert refused.status_code == 403
    assert refused.json()["status"] == "fail"
    assert accepted.status_code == 200


async def test_revoked_token_is_refused(sandbox: Sandbox) -> None:
    async with plain_client(sandbox) as http:
        token = await mint_token(http)
        headers = {"Authorization": f"Bearer {token}"}
        revoked = await http.delete("/accessTokens", params={"token": token}, headers=headers)
        after = await http.get("/listings", headers=headers)
    assert revoked.json() == {"status": "success", "result": []}
    assert after.status_code == 403
    assert sandbox.tokens.revoked() == [token]
    assert sandbox.tokens.issued() == [token]  # still listed, for leak checks


async def test_token_requests_are_logged(sandbox: Sandbox) -> None:
    async with plain_client(sandbox) as http:
        await mint_token(http)
        await http.post("/accessTokens", data={**TOKEN_FORM, "client_secret": "x"})
    assert sandbox.count(method="POST", path="/accessTokens") == 2
    assert [r.status for r in sandbox.request_log] == [200, 403]
    assert sandbox.request_log[0].path == "/accessTokens"
    assert DEMO_CLIENT_ID == "100001"
