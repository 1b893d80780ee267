"""The audit trail: one INFO line per executed write (JSON on stderr, like every log line).

It names the tool, what was written to (type and id), the request line, the correlation id of the
tool call, who approved it (`approved_via`: elicitation, app or model; `approved_by`: the team
server's user, null over stdio) and how it ended: never message bodies, guest names, emails or
phone numbers. Previews are not writes and are not audited.
"""

from __future__ import annotations

import logging
from typing import Literal

from ..logs import correlation_id, user_name

logger = logging.getLogger("hostaway_mcp.domain.audit")

WriteStatus = Literal["ok", "failed", "outcome_unknown"]


def record_write(
    *,
    tool: str,
    target_type: str,
    target_id: int | None,
    method: str,
    path: str,
    status: WriteStatus,
    result_id: int | None = None,
    error: str | None = None,
    approved_via: str | None = None,
) -> None:
    """Log one executed write. `path` holds ids only; `error` is an exception class name."""
    logger.info(
        "write executed",
        extra={
            "audit": "write",
            "tool": tool,
            "target_type": target_type,
            "target_id": target_id,
            "method": method,
            "path": path,
            "status": status,
            "result_id": result_id,
            "error": error,
            "approved_via": approved_via,
            "correlation_id": correlation_id.get(),
            "approved_by": user_name.get(),
        },
    )
