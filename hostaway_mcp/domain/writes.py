"""The write engine every write tool goes through.

A service validates with reads only and describes its write as a `PlannedWrite`; `execute` then
either returns the preview (confirm=false: nothing is sent) or sends exactly that one request,
audits it, and returns what changed. The tool-specific services live in `writes_*.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ..errors import (
    HostawayError,
    NotFound,
    OutcomeUnknown,
    UpstreamTimeout,
    UpstreamUnavailable,
    ValidationFailed,
)
from ..hostaway.adapter import Gateway
from ..hostaway.entities import CalendarDay
from .audit import WriteStatus, record_write
from .models.writes import WriteOutcome, WriteRequest, WriteResult

logger = logging.getLogger(__name__)


@dataclass
class PlannedWrite:
    """One validated write, ready to preview or send."""

    tool: str
    method: Literal["POST", "PUT"]
    path: str
    body: dict[str, Any]
    # ("cancel", "cancelled"): the preview says "will cancel …", the result "Cancelled …".
    verbs: tuple[str, str]
    what: str  # the rest of the sentence, e.g. "3 nights of Seaside Loft (listing 40161)"
    details: dict[str, str]
    target_type: str  # what the write is addressed to, for the audit line
    target_id: int | None
    outcome: Callable[[Any], WriteOutcome]  # Hostaway's answer (`result`) -> compact outcome
    how_to_check: str  # what to look at when the outcome is unknown, before trying again
    warnings: list[str] = field(default_factory=list)
    creates: bool = False  # never retried; a timeout after sending means "outcome unknown"
    touches_listing: int | None = None  # a listing whose cached calendar the write changes


async def execute(gateway: Gateway, plan: PlannedWrite, *, confirm: bool) -> WriteResult:
    request = WriteRequest(method=plan.method, path=plan.path, body=plan.body)
    will, did = plan.verbs
    if not confirm:
        logger.debug("write preview", extra={"tool": plan.tool, "path": plan.path})
        return WriteResult(
            tool=plan.tool,
            confirmed=False,
            sent=False,
            summary=f"Preview, nothing sent yet: will {will} {plan.what}.",
            details=plan.details,
            request=request,
            warnings=plan.warnings,
            next_step=(
                "Show this preview to the user. Only if they agree, call "
                f"{plan.tool} again with the same arguments and confirm=true."
            ),
        )
    status: WriteStatus = "failed"
    error: str | None = None
    outcome: WriteOutcome | None = None
    try:
        envelope = await gateway.client.request(
            plan.method, plan.path, json_body=plan.body, creates=plan.creates
        )
        status = "ok"
        outcome = plan.outcome(envelope.get("result"))
    except OutcomeUnknown as exc:
        status, error = "outcome_unknown", type(exc).__name__
        raise _unknown(plan, exc) from None
    except UpstreamTimeout as exc:
        error = type(exc).__name__
        if plan.creates:
            raise  # a connect timeout: the creating request never left, so nothing happened
        status = "outcome_unknown"  # retried PUTs that never got an answer may still have landed
        raise _unknown(plan, exc) from None
    except UpstreamUnavailable as exc:
        error = type(exc).__name__
        if plan.creates:  # a 5xx answer: most likely not created, but say how to make sure
            raise UpstreamUnavailable(
                exc.message, hint=f"{exc.hint} {plan.how_to_check}", status_code=exc.status_code
            ) from None
        raise
    except Exception as exc:
        error = type(exc).__name__
        raise
    finally:
        if plan.touches_listing is not None:
            gateway.invalidate_listing(plan.touches_listing)  # even on failure: it may have landed
        record_write(
            tool=plan.tool,
            target_type=plan.target_type,
            target_id=plan.target_id,
            method=plan.method,
            path=plan.path,
            status=status,
            result_id=outcome.id if outcome else None,
            error=error,
        )
    assert outcome is not None  # noqa: S101 - set when the request succeeded
    created = f" ({outcome.kind} {outcome.id})" if plan.method == "POST" and outcome.id else ""
    return WriteResult(
        tool=plan.tool,
        confirmed=True,
        sent=True,
        summary=f"{did[:1].upper()}{did[1:]} {plan.what}{created}.",
        details=plan.details,
        request=request,
        result=outcome,
        warnings=plan.warnings,
        next_step="Done. Tell the user what changed; no further call is needed.",
    )


def _unknown(plan: PlannedWrite, exc: HostawayError) -> OutcomeUnknown:
    message = exc.message
    if not isinstance(exc, OutcomeUnknown):  # the client's own OutcomeUnknown already says so
        message += " The change may or may not have taken effect."
    return OutcomeUnknown(
        f"Outcome unknown: {message}",
        hint=f"Do not simply call {plan.tool} again. {plan.how_to_check}",
    )


# ---- shared checks -------------------------------------------------------------------------


def require_change(changes: dict[str, Any], what: str) -> None:
    if not changes:
        raise ValidationFailed(f"Nothing to change: give at least one of {what}.")


def not_blank(value: str, name: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationFailed(f"{name} must not be blank.")
    return text


async def listing_label(gateway: Gateway, listing_id: int | None, name: str | None = None) -> str:
    if listing_id is None:
        return name or "an unknown listing"
    if name is None:
        try:
            name = (await gateway.listing(listing_id)).name
        except NotFound:
            name = None
    return f"{name} (listing {listing_id})" if name else f"listing {listing_id}"


async def fresh_calendar(
    gateway: Gateway, listing_id: int, first: date, last: date
) -> dict[date, CalendarDay]:
    """Calendar days first..last (inclusive) as Hostaway has them now: a write is checked against
    the live calendar, never a cached copy."""
    gateway.invalidate_listing(listing_id)
    return await gateway.calendar(listing_id, first, last)
