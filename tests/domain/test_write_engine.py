"""The write engine: anything unplanned after a write was handed to Hostaway is 'outcome unknown',
never a plain failure that invites sending it again."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from hostaway_mcp.domain.models.writes import WriteOutcome
from hostaway_mcp.domain.writes.approvals import approved
from hostaway_mcp.domain.writes.engine import PlannedWrite, execute
from hostaway_mcp.errors import BadRequest, OutcomeUnknown
from hostaway_mcp.hostaway import Command

pytestmark = pytest.mark.anyio


class Failing:
    """Stands in for the adapter: its execute raises what it was given."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc
        self.sent = 0

    async def execute(self, command: Command[Any]) -> Any:
        self.sent += 1
        raise self.exc


def plan() -> PlannedWrite[Any]:
    return PlannedWrite(
        tool="create_task",
        command=Command(
            method="POST", path="/tasks", body={"title": "x"}, idempotent=False, decode=dict
        ),
        verbs=("create", "created"),
        what="a task",
        details={},
        target_type="listing",
        target_id=40160,
        outcome=lambda _: WriteOutcome(kind="task"),
        how_to_check="List the tasks of the listing first.",
    )


def audit(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.status for r in caplog.records if r.name.endswith("audit")]  # type: ignore[attr-defined]


async def test_an_unexpected_failure_is_outcome_unknown(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    hostaway = Failing(KeyError("result"))
    with approved("model", None), pytest.raises(OutcomeUnknown) as caught:
        await execute(hostaway, plan(), confirm=True)  # type: ignore[arg-type]
    assert "Do not simply call create_task again" in caught.value.user_message()
    assert "List the tasks of the listing first." in caught.value.user_message()
    assert audit(caplog) == ["outcome_unknown"]
    assert hostaway.sent == 1


async def test_a_refusal_is_a_plain_failure(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with approved("model", None), pytest.raises(BadRequest):
        await execute(Failing(BadRequest("no")), plan(), confirm=True)  # type: ignore[arg-type]
    assert audit(caplog) == ["failed"]
