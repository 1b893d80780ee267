"""A 429 means Hostaway did not act: a creating request is sent again after the window. Anything
after Hostaway may have acted is 'outcome unknown' and is never resent."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from mcp import Client

from hostaway_mcp.hostaway import Hostaway
from hostaway_mcp.server.app import build_server
from hostaway_sandbox import Sandbox
from tests.support.accounts import demo_account
from tests.support.servers import FAST_RETRY, confirm_write, settings
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio

WINDOW = 0.05  # the rate window, scaled down: a resend waits one window


def first_conversation(sandbox: Sandbox) -> int:
    conversation_id: int = sandbox.store.conversations[0]["id"]
    return conversation_id


def message_call(conversation_id: int) -> dict[str, Any]:
    return {
        "conversation_id": conversation_id,
        "body": "Your check-in code arrives tomorrow.",
        "communication_type": "email",
        "confirm": True,
    }


def audit_statuses(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.status  # type: ignore[attr-defined]
        for r in caplog.records
        if r.name == "hostaway_mcp.domain.audit"
    ]


async def send(server: Any, conversation_id: int) -> Any:
    async with Client(server) as client:
        return await confirm_write(client, "send_guest_message", message_call(conversation_id))


async def test_a_message_answered_429_is_sent_again_after_the_window_and_stored_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    sandbox = demo_account()
    conversation_id = first_conversation(sandbox)
    path = f"/conversations/{conversation_id}/messages"
    before = len(sandbox.store.messages[conversation_id])
    sandbox.faults.inject(path, "status", status=429, method="POST")
    server = sandbox_server(
        sandbox, read_only=False, write_approval="model", rate_window_seconds=WINDOW
    )
    result = await send(server, conversation_id)
    assert not result.is_error, result.content[0].text
    assert result.structured_content["sent"] is True
    assert sandbox.count("POST", path) == 2  # refused once (429), then sent again
    assert len(sandbox.store.messages[conversation_id]) == before + 1  # stored exactly once
    assert audit_statuses(caplog) == ["ok"]
    resends = [r for r in caplog.records if r.getMessage() == "resending after HTTP 429"]
    assert len(resends) == 1 and resends[0].path == path  # type: ignore[attr-defined]


async def test_a_message_still_refused_with_429_fails_plainly_after_bounded_resends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    sandbox = demo_account()
    conversation_id = first_conversation(sandbox)
    path = f"/conversations/{conversation_id}/messages"
    before = len(sandbox.store.messages[conversation_id])
    sandbox.faults.inject(path, "status", status=429, method="POST", count=50)
    server = sandbox_server(
        sandbox, read_only=False, write_approval="model", rate_window_seconds=WINDOW
    )
    result = await send(server, conversation_id)
    assert result.is_error
    assert "Outcome unknown" not in result.content[0].text  # Hostaway refused: nothing happened
    assert sandbox.count("POST", path) == FAST_RETRY.max_attempts
    assert len(sandbox.store.messages[conversation_id]) == before
    assert audit_statuses(caplog) == ["failed"]


async def test_an_undecodable_answer_after_sending_is_outcome_unknown_and_not_resent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    sandbox = demo_account()
    conversation_id = first_conversation(sandbox)
    path = f"/conversations/{conversation_id}/messages"
    before = len(sandbox.store.messages[conversation_id])
    sandbox.faults.inject(path, "undecodable", method="POST")
    server = sandbox_server(
        sandbox, read_only=False, write_approval="model", rate_window_seconds=WINDOW
    )
    result = await send(server, conversation_id)
    text = result.content[0].text
    assert result.is_error
    assert "Outcome unknown: POST" in text
    assert "Do not simply call send_guest_message again" in text
    assert sandbox.count("POST", path) == 1  # never resent
    assert len(sandbox.store.messages[conversation_id]) == before + 1  # Hostaway did act
    assert audit_statuses(caplog) == ["outcome_unknown"]


async def test_a_server_error_on_a_creating_request_is_outcome_unknown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    sandbox = demo_account()
    conversation_id = first_conversation(sandbox)
    path = f"/conversations/{conversation_id}/messages"
    sandbox.faults.inject(path, "status", status=503, method="POST")
    server = sandbox_server(
        sandbox, read_only=False, write_approval="model", rate_window_seconds=WINDOW
    )
    result = await send(server, conversation_id)
    assert result.is_error and "Outcome unknown: POST" in result.content[0].text
    assert sandbox.count("POST", path) == 1
    assert audit_statuses(caplog) == ["outcome_unknown"]


class BreaksAfterSending(httpx.AsyncBaseTransport):
    """Delivers the request to the sandbox, then fails in a way nobody planned for."""

    def __init__(self, inner: httpx.AsyncBaseTransport, path: str) -> None:
        self.inner = inner
        self.path = path

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and request.url.path.endswith(self.path):
            raise RuntimeError("something odd happened after the request left")
        return response


async def test_an_unexpected_failure_after_sending_is_outcome_unknown_and_not_resent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    sandbox = demo_account()
    conversation_id = first_conversation(sandbox)
    path = f"/conversations/{conversation_id}/messages"
    before = len(sandbox.store.messages[conversation_id])

    def connect(s: Any) -> Hostaway:
        transport = BreaksAfterSending(sandbox.transport(), path)
        return Hostaway.connect(s, transport=transport, retry=FAST_RETRY, token_warmup=0.0)

    server = build_server(
        settings(
            demo=True,
            read_only=False,
            write_approval="model",
            rate_limit_ip=10_000,
            rate_limit_account=10_000,
        ),
        connect_to=connect,
    )
    result = await send(server, conversation_id)
    assert result.is_error and "Outcome unknown: POST" in result.content[0].text
    assert sandbox.count("POST", path) == 1
    assert len(sandbox.store.messages[conversation_id]) == before + 1
    assert audit_statuses(caplog) == ["outcome_unknown"]
