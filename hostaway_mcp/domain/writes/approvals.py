"""Approvals: a preview issues an `approval_id` bound (HMAC, with a key that lives and dies with
the process) to the tool and its exact arguments. The write it approves is sent at most once,
within APPROVAL_TTL, and only with that id. Pure bookkeeping with an injectable clock: the MCP
layer owns one registry per process and decides who approved (a person asked by the host, the
approval card, or the model where the settings allow it)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic_core import to_jsonable_python

from ...errors import ValidationFailed
from ..models.writes import WriteRequest, WriteResult

APPROVAL_TTL = timedelta(minutes=15)
MAX_APPROVALS = 1000  # pending and recently used; the oldest go first beyond this
PREFIX = "apv_"
NONCE_CHARS = 12
MAC_CHARS = 20
ApprovedVia = Literal["elicitation", "app", "model"]
Clock = Callable[[], datetime]
NOTHING_SENT = "Nothing was sent."


def utc_now() -> datetime:
    return datetime.now(UTC)


def canonical_arguments(arguments: Mapping[str, Any]) -> str:
    """One text for one set of arguments: JSON, keys sorted, dates as ISO strings."""
    return json.dumps(
        to_jsonable_python(dict(arguments)),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


class ApprovalRefused(ValidationFailed):
    """The approval_id is missing, unknown, for another write, used, or expired: nothing sent."""


@dataclass
class Approval:
    """One previewed write, waiting for someone to approve it."""

    approval_id: str
    tool: str
    arguments: dict[str, Any]  # as validated, without confirm and approval_id
    expires_at: datetime
    preview: WriteResult  # what was shown: the consent text and the exact request come from it
    perform: Callable[..., Awaitable[WriteResult]]  # the tool, to run again with confirm=true
    used: bool = field(default=False)


class ApprovalRegistry:
    """The approvals of one process: issue on preview, check and consume on confirm."""

    def __init__(
        self,
        *,
        clock: Clock = utc_now,
        ttl: timedelta = APPROVAL_TTL,
        key: bytes | None = None,
        max_approvals: int = MAX_APPROVALS,
    ) -> None:
        self._clock = clock
        self._ttl = ttl
        self._key = key or secrets.token_bytes(32)
        self._max = max_approvals
        self._approvals: dict[str, Approval] = {}  # by nonce, oldest first

    def __len__(self) -> int:
        return len(self._approvals)

    def _mac(self, nonce: str, tool: str, arguments: Mapping[str, Any]) -> str:
        message = f"{nonce}\n{tool}\n{canonical_arguments(arguments)}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:MAC_CHARS]

    def issue(
        self,
        tool: str,
        arguments: Mapping[str, Any],
        preview: WriteResult,
        perform: Callable[..., Awaitable[WriteResult]],
    ) -> Approval:
        self._forget_expired()
        nonce = secrets.token_hex(NONCE_CHARS // 2)
        approval = Approval(
            approval_id=f"{PREFIX}{nonce}{self._mac(nonce, tool, arguments)}",
            tool=tool,
            arguments=dict(arguments),
            expires_at=(self._clock() + self._ttl).replace(microsecond=0),
            preview=preview,
            perform=perform,
        )
        self._approvals[nonce] = approval
        while len(self._approvals) > self._max:
            del self._approvals[next(iter(self._approvals))]
        return approval

    def _forget_expired(self) -> None:
        now = self._clock()
        for nonce in [n for n, a in self._approvals.items() if a.expires_at <= now]:
            del self._approvals[nonce]

    def find(self, approval_id: str | None, tool: str) -> Approval:
        """The approval by its id alone (the approval card has nothing else): refused when it is
        missing, unknown, for another tool, already used or expired."""
        if not approval_id:
            raise ApprovalRefused(
                f"confirm=true needs the approval_id of a preview. Call {tool} with "
                "confirm=false first, show the preview to the user, and confirm with the "
                f"approval_id it returns. {NOTHING_SENT}"
            )
        nonce = approval_id[len(PREFIX) : len(PREFIX) + NONCE_CHARS]
        approval = self._approvals.get(nonce) if approval_id.startswith(PREFIX) else None
        if approval is None or approval.approval_id != approval_id:
            raise ApprovalRefused(
                f"Unknown approval_id {approval_id!r}: this server did not issue it, or it expired "
                "long ago (approvals do not survive a restart). Preview the change again "
                f"(confirm=false). {NOTHING_SENT}"
            )
        if tool and approval.tool != tool:
            raise ApprovalRefused(
                f"approval_id {approval_id} approves {approval.tool}, not {tool}. {NOTHING_SENT}"
            )
        if approval.used:
            raise ApprovalRefused(
                f"approval_id {approval_id} was already used: each approval sends its write "
                "once. Check the outcome of that call (do not repeat the write); a new change "
                f"needs a new preview. {NOTHING_SENT}"
            )
        if approval.expires_at <= self._clock():
            raise ApprovalRefused(
                f"approval_id {approval_id} expired at {approval.expires_at:%Y-%m-%d %H:%M} UTC "
                "(approvals last 15 minutes). Preview the change again (confirm=false) and ask "
                f"the user again. {NOTHING_SENT}"
            )
        return approval

    def check(self, approval_id: str | None, tool: str, arguments: Mapping[str, Any]) -> Approval:
        """The approval for exactly this tool and these arguments, not yet consumed."""
        approval = self.find(approval_id, tool)
        nonce = approval.approval_id[len(PREFIX) : len(PREFIX) + NONCE_CHARS]
        bound = approval.approval_id[len(PREFIX) + NONCE_CHARS :]
        if not hmac.compare_digest(bound, self._mac(nonce, tool, arguments)):
            changed = changed_arguments(approval.arguments, arguments)
            raise ApprovalRefused(
                f"approval_id {approval.approval_id} was issued for other arguments: "
                f"{', '.join(changed) or 'they'} changed since the preview. The user approves "
                "what they saw: preview the new request (confirm=false) and confirm with its "
                f"approval_id. {NOTHING_SENT}"
            )
        return approval

    def consume(self, approval: Approval) -> None:
        """Mark it used (once: the second consumer is refused)."""
        if approval.used:
            raise ApprovalRefused(f"approval_id {approval.approval_id} was already used.")
        approval.used = True


def changed_arguments(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Names of the arguments whose values differ (the values may be private: never shown)."""
    names = sorted(set(before) | set(after))
    return [
        name
        for name in names
        if canonical_arguments({"v": before.get(name)})
        != canonical_arguments({"v": after.get(name)})
    ]


# ---- what the engine sees ----------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovedWrite:
    """The approval the current call runs under: who gave it, and the request they saw."""

    via: ApprovedVia
    request: WriteRequest | None


_current: ContextVar[ApprovedWrite | None] = ContextVar("approved_write", default=None)


@contextmanager
def approved(via: ApprovedVia, request: WriteRequest | None) -> Iterator[None]:
    """Run a confirmed write under this approval (the engine refuses to send without one)."""
    token = _current.set(ApprovedWrite(via, request))
    try:
        yield
    finally:
        _current.reset(token)


def current_approval() -> ApprovedWrite | None:
    return _current.get()
