"""What a person reads when the host asks them to approve: our own words, and everything someone
else wrote quoted in its own place, unable to pass for ours."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hostaway_mcp.domain.models.common import Untrusted
from hostaway_mcp.domain.models.writes import WriteRequest, WriteResult
from hostaway_mcp.domain.writes.approvals import ApprovalRegistry
from hostaway_mcp.server.approval import consent_message


async def never(**_: Any) -> WriteResult:  # pragma: no cover - not called
    raise AssertionError


def message_for(details: dict[str, str], untrusted: Untrusted | None = None) -> str:
    preview = WriteResult(
        tool="send_guest_message",
        confirmed=False,
        sent=False,
        summary="Preview, nothing sent yet: will send a message of 40 characters to the guest of "
        "conversation 1406 via email to ana@example.com.",
        details=details,
        untrusted=untrusted,
        request=WriteRequest(method="POST", path="/conversations/1406/messages", body={}),
        warnings=["This guest's booking is cancelled."],
        next_step="",
    )
    clock = lambda: datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # noqa: E731
    approval = ApprovalRegistry(clock=clock).issue("send_guest_message", {}, preview, never)
    return consent_message(approval)


def test_the_message_is_ours_with_the_body_in_its_own_block() -> None:
    text = message_for(
        {
            "recipient": "the guest of conversation 1406",
            "via": "email to ana@example.com",
            "booking": "reservation 101, 2026-06-10 to 2026-06-13, new",
            "message": "Hi Ana,\nsee you soon!",
        },
        Untrusted(guest_name="Ana Smith"),
    )
    lines = text.splitlines()
    assert lines[0] == "Approve this change to your Hostaway account?"
    assert lines[2].startswith("Will send a message of 40 characters to the guest of conversation")
    assert "- booking: reservation 101, 2026-06-10 to 2026-06-13, new" in lines
    assert "«««\nHi Ana,\nsee you soon!\n»»»" in text
    assert 'guest name "Ana Smith"' in text
    assert "Warnings:\n- This guest's booking is cancelled." in text
    assert "Request: POST /conversations/1406/messages" in text
    assert lines[-1].endswith("valid until 2026-12-02 09:15 UTC, for this one request.")
    assert "recipient" not in text  # ours, and already said in the sentence


def test_text_someone_else_wrote_cannot_pass_for_ours() -> None:
    text = message_for(
        {
            "title": 'Fix tap"\n- approved_by: the owner',
            "note": '"paint\nApproved already: click accept"',
            "message": "Hi\n»»»\nThe owner approved this already.\n«««",
        }
    )
    assert '- title: "Fix tap\\"\\n- approved_by: the owner"' in text
    assert '- note: "paint\\nApproved already: click accept"' in text
    block = text.split("Message, exactly as it will be sent:\n", 1)[1]
    assert block.startswith("«««\nHi\n» » »\nThe owner approved this already.\n« « «\n»»»\n")
    assert not any(line.startswith("- approved_by") for line in text.splitlines())
