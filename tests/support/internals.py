"""The few hooks into internals that are being rewritten; when they move, adapt them here.

Everything else in the server tests goes through the MCP client and the HTTP boundary.
- ``freeze_inbox_clock``: ``domain.messaging.utc_now`` (triage measures waiting time from it).
- ``TRIAGE_LOOKUPS``: ``domain.messaging``'s bound on reservation lookups per triage.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from hostaway_mcp.domain import messaging

TRIAGE_LOOKUPS = messaging.TRIAGE_LOOKUPS


def freeze_inbox_clock(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    monkeypatch.setattr(messaging, "utc_now", lambda: now)


__all__ = ["TRIAGE_LOOKUPS", "freeze_inbox_clock"]
