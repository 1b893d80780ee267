"""The team server's user name in log lines (`user`) and audit lines (`approved_by`)."""

from __future__ import annotations

import json
import logging

import pytest

from hostaway_mcp.domain.audit import record_write
from hostaway_mcp.logs import JsonFormatter, user_name


def _format(record: logging.LogRecord) -> dict[str, object]:
    entry: dict[str, object] = json.loads(JsonFormatter().format(record))
    return entry


def test_a_line_carries_the_user_only_when_there_is_one() -> None:
    record = logging.makeLogRecord({"msg": "tool call", "levelname": "INFO"})
    assert "user" not in _format(record)
    token = user_name.set("maria")
    try:
        assert _format(record)["user"] == "maria"
    finally:
        user_name.reset(token)


def test_the_audit_line_names_who_approved_the_write(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    write = {
        "tool": "update_calendar",
        "target_type": "listing",
        "target_id": 40160,
        "method": "PUT",
        "path": "/listings/40160/calendar",
        "status": "ok",
    }
    record_write(**write)
    token = user_name.set("joao")
    try:
        record_write(**write)
        team = _format(caplog.records[-1])
    finally:
        user_name.reset(token)
    stdio = _format(caplog.records[-2])
    assert stdio["approved_by"] is None and "user" not in stdio
    assert team["approved_by"] == "joao" and team["user"] == "joao"
