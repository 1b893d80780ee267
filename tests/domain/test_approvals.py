"""The approval bookkeeping, pure: issue, check, consume, expiry, binding to tool and arguments,
and the engine that refuses to send without an approval or when the request changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from hostaway_mcp.domain.models.writes import WriteRequest, WriteResult
from hostaway_mcp.domain.writes.approvals import (
    Approval,
    ApprovalRefused,
    ApprovalRegistry,
    approved,
    canonical_arguments,
    changed_arguments,
    current_approval,
)

ARGS = {"listing_id": 40160, "start_date": date(2026, 5, 1), "price": 180.0, "note": None}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 9, 0, 30, 123456, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def preview() -> WriteResult:
    return WriteResult(
        tool="update_calendar",
        confirmed=False,
        sent=False,
        summary="Preview, nothing sent yet: will update the calendar.",
        details={},
        request=WriteRequest(method="PUT", path="/listings/40160/calendar", body={"price": 180}),
        next_step="",
    )


async def perform(**_: Any) -> WriteResult:  # pragma: no cover - never called here
    raise AssertionError


def issue(registry: ApprovalRegistry, args: dict[str, Any] = ARGS) -> Approval:
    return registry.issue("update_calendar", args, preview(), perform)


def test_an_issued_approval_checks_for_the_same_tool_and_arguments_and_expires_in_15_minutes() -> (
    None
):
    clock = Clock()
    registry = ApprovalRegistry(clock=clock)
    approval = issue(registry)
    assert approval.approval_id.startswith("apv_") and len(approval.approval_id) == 36
    assert approval.expires_at == datetime(2026, 12, 2, 9, 15, 30, tzinfo=UTC)
    same = dict(reversed(list(ARGS.items())))  # the order of the arguments does not matter
    assert registry.check(approval.approval_id, "update_calendar", same) is approval
    clock.now += timedelta(minutes=14, seconds=59)
    assert registry.check(approval.approval_id, "update_calendar", ARGS) is approval
    clock.now += timedelta(seconds=1)
    with pytest.raises(ApprovalRefused, match="expired at 2026-12-02 09:15 UTC"):
        registry.check(approval.approval_id, "update_calendar", ARGS)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"price": 181.0}, "price"),
        ({"start_date": date(2026, 5, 2)}, "start_date"),
        ({"note": "paint"}, "note"),
        ({"extra": 1}, "extra"),
    ],
)
def test_any_changed_argument_is_refused_and_named(change: dict[str, Any], named: str) -> None:
    registry = ApprovalRegistry()
    approval = issue(registry)
    with pytest.raises(ApprovalRefused) as caught:
        registry.check(approval.approval_id, "update_calendar", {**ARGS, **change})
    assert f"{named} changed since the preview" in caught.value.message
    assert "Nothing was sent." in caught.value.message


def test_the_binding_is_the_hmac_not_the_stored_copy() -> None:
    registry = ApprovalRegistry(key=b"k" * 32)
    approval = issue(registry)
    approval.arguments["price"] = 999.0  # tampering with the record does not move the binding
    assert registry.check(approval.approval_id, "update_calendar", ARGS) is approval
    with pytest.raises(ApprovalRefused, match="other arguments"):
        registry.check(approval.approval_id, "update_calendar", {**ARGS, "price": 999.0})


@pytest.mark.parametrize("given", [None, "", "apv_", "apv_zzz", "nonsense", "apv_" + "0" * 32])
def test_missing_or_unknown_ids_are_refused(given: str | None) -> None:
    registry = ApprovalRegistry()
    issue(registry)
    with pytest.raises(ApprovalRefused, match=r"needs the approval_id|Unknown approval_id"):
        registry.check(given, "update_calendar", ARGS)


def test_an_id_with_a_forged_mac_is_unknown() -> None:
    registry = ApprovalRegistry()
    approval = issue(registry)
    forged = approval.approval_id[:-4] + "0000"
    with pytest.raises(ApprovalRefused, match="Unknown approval_id"):
        registry.check(forged, "update_calendar", ARGS)


def test_another_process_cannot_use_this_processes_ids() -> None:
    approval = issue(ApprovalRegistry())
    with pytest.raises(ApprovalRefused, match="Unknown approval_id"):
        ApprovalRegistry().check(approval.approval_id, "update_calendar", ARGS)


def test_consume_is_once() -> None:
    registry = ApprovalRegistry()
    approval = issue(registry)
    registry.consume(approval)
    with pytest.raises(ApprovalRefused, match="already used"):
        registry.check(approval.approval_id, "update_calendar", ARGS)
    with pytest.raises(ApprovalRefused, match="already used"):
        registry.consume(approval)
    with pytest.raises(ApprovalRefused, match="already used"):
        registry.find(approval.approval_id, "")


def test_find_by_id_alone_knows_the_tool_and_arguments() -> None:
    registry = ApprovalRegistry()
    approval = issue(registry)
    found = registry.find(approval.approval_id, "")
    assert (found.tool, found.arguments) == ("update_calendar", ARGS)
    with pytest.raises(ApprovalRefused, match="approves update_calendar, not cancel_booking"):
        registry.find(approval.approval_id, "cancel_booking")


def test_the_registry_forgets_expired_approvals_and_stays_bounded() -> None:
    clock = Clock()
    registry = ApprovalRegistry(clock=clock, max_approvals=3)
    first = issue(registry)
    for _ in range(3):
        issue(registry)
    assert len(registry) == 3
    with pytest.raises(ApprovalRefused, match="Unknown"):
        registry.find(first.approval_id, "")
    clock.now += timedelta(minutes=16)
    issue(registry)
    assert len(registry) == 1


def test_canonical_arguments_and_changed_names() -> None:
    assert canonical_arguments({"b": date(2026, 1, 2), "a": [1, 2]}) == (
        '{"a":[1,2],"b":"2026-01-02"}'
    )
    assert changed_arguments({"a": 1, "b": "x"}, {"a": 1, "b": "y", "c": None}) == ["b"]


def test_the_current_approval_is_scoped_to_the_block() -> None:
    request = WriteRequest(method="POST", path="/tasks", body={"title": "x"})
    assert current_approval() is None
    with approved("app", request):
        current = current_approval()
        assert current is not None and current.via == "app" and current.request == request
    assert current_approval() is None
