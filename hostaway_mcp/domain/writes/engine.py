"""The write engine every write tool goes through.

A write service validates with reads only and describes its write as a `PlannedWrite` around one
prepared `Command`; `execute` then either returns the preview (confirm=false: nothing is sent) or,
under an approval (see `approvals`), sends exactly the request that was approved, audits it with
who approved it, and returns what changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ...errors import (
    HostawayError,
    NotFound,
    OutcomeUnknown,
    UpstreamTimeout,
    ValidationFailed,
)
from ...hostaway import Command, Hostaway, Listing, Reservation
from ..audit import WriteStatus, record_write
from ..models.common import Untrusted
from ..models.writes import Change, WriteOutcome, WriteRequest, WriteResult
from .approvals import current_approval

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class PlannedWrite(Generic[T]):
    """One validated write, ready to preview or send."""

    tool: str
    command: Command[T]
    # ("cancel", "cancelled"): the preview says "will cancel …", the result "Cancelled …".
    verbs: tuple[str, str]
    what: str  # the rest of the sentence, e.g. "3 nights of Seaside Loft (listing 40161)"
    details: dict[str, str]
    target_type: str  # what the write is addressed to, for the audit line
    target_id: int | None
    outcome: Callable[[T], WriteOutcome]  # Hostaway's answer -> compact outcome
    how_to_check: str  # what to look at when the outcome is unknown, before trying again
    warnings: list[str] = field(default_factory=list)
    # What a guest or a channel wrote that the preview shows (e.g. the recipient's name): kept
    # out of `what` and `details`, which are our own words.
    untrusted: Untrusted | None = None
    # Before -> after of each value set, for the approval card (never parsed from `details`).
    changes: list[Change] = field(default_factory=list)


def _preview(plan: PlannedWrite[Any], request: WriteRequest) -> WriteResult:
    logger.debug("write preview", extra={"tool": plan.tool, "path": plan.command.path})
    return WriteResult(
        tool=plan.tool,
        confirmed=False,
        sent=False,
        summary=f"Preview, nothing sent yet: will {plan.verbs[0]} {plan.what}.",
        details=plan.details,
        untrusted=plan.untrusted,
        changes=plan.changes,
        request=request,
        warnings=plan.warnings,
        next_step=(
            "Show this preview to the user. Only if they agree, call "
            f"{plan.tool} again with the same arguments, confirm=true and the approval_id."
        ),
    )


NOT_APPROVED = (
    "Not sent: a write is sent only under an approval. Call the tool with confirm=false for a "
    "preview, show it to the user, and confirm with its approval_id."
)
CHANGED_SINCE_PREVIEW = (
    "Not sent: Hostaway's data changed since the preview, so this write would now send a "
    "different request ({now}) from the one the user approved ({then}). Preview it again "
    "(confirm=false) and ask the user to approve the new preview."
)


def _line(request: WriteRequest) -> str:
    return f"{request.method} {request.path} with {len(request.body)} field(s)"


async def execute(hostaway: Hostaway, plan: PlannedWrite[T], *, confirm: bool) -> WriteResult:
    command = plan.command
    request = WriteRequest(method=command.method, path=command.path, body=command.body)
    if not confirm:
        return _preview(plan, request)
    approval = current_approval()
    if approval is None:
        raise ValidationFailed(NOT_APPROVED)
    if approval.request is not None and approval.request != request:
        raise ValidationFailed(
            CHANGED_SINCE_PREVIEW.format(now=_line(request), then=_line(approval.request))
        )
    status: WriteStatus = "failed"
    error: str | None = None
    outcome: WriteOutcome | None = None
    try:
        outcome = plan.outcome(await hostaway.execute(command))
        status = "ok"
    except OutcomeUnknown as exc:
        status, error = "outcome_unknown", type(exc).__name__
        raise _unknown(plan, exc) from None
    except UpstreamTimeout as exc:
        error = type(exc).__name__
        if not command.idempotent:
            raise  # a connect timeout: the request never left, so nothing happened
        status = "outcome_unknown"  # retried PUTs that never got an answer may still have landed
        raise _unknown(plan, exc) from None
    except HostawayError as exc:  # Hostaway refused it, or (idempotent) it failed every retry
        error = type(exc).__name__
        raise
    except Exception as exc:
        # Nobody planned for this, and the request may have reached Hostaway: never a plain
        # failure that invites sending it again.
        status, error = "outcome_unknown", type(exc).__name__
        logger.warning("unexpected failure of a write", exc_info=True, extra={"tool": plan.tool})
        raise _unknown(
            plan, OutcomeUnknown(f"The write failed unexpectedly ({type(exc).__name__}).")
        ) from None
    finally:
        record_write(
            tool=plan.tool,
            target_type=plan.target_type,
            target_id=plan.target_id,
            method=command.method,
            path=command.path,
            status=status,
            result_id=outcome.id if outcome else None,
            error=error,
            approved_via=approval.via,
        )
    created = f" ({outcome.kind} {outcome.id})" if command.method == "POST" and outcome.id else ""
    did = plan.verbs[1]
    return WriteResult(
        tool=plan.tool,
        confirmed=True,
        sent=True,
        summary=f"{did[:1].upper()}{did[1:]} {plan.what}{created}.",
        details=plan.details,
        untrusted=plan.untrusted,
        changes=plan.changes,
        request=request,
        result=outcome,
        approved_via=approval.via,
        warnings=plan.warnings,
        next_step="Done. Tell the user what changed; no further call is needed.",
    )


def _unknown(plan: PlannedWrite[Any], exc: HostawayError) -> OutcomeUnknown:
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


def created(details: Mapping[str, str], labels: Mapping[str, str]) -> list[Change]:
    """The values a new object gets (nothing before it), in the order of ``labels``."""
    return [
        Change(field=key, label=label, after=details[key])
        for key, label in labels.items()
        if key in details
    ]


def not_blank(value: str, name: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationFailed(f"{name} must not be blank.")
    return text


async def listing_label(hostaway: Hostaway, listing_id: int | None, name: str | None = None) -> str:
    if listing_id is None:
        return name or "an unknown listing"
    if name is None:
        try:
            name = (await hostaway.listing(listing_id)).name
        except NotFound:
            name = None
    return f"{name} (listing {listing_id})" if name else f"listing {listing_id}"


async def booking_and_listing(
    hostaway: Hostaway, listing_id: int | None, reservation_id: int | None
) -> tuple[Listing | None, Reservation | None]:
    """Both exist, and the booking is at that listing (when both are given)."""
    booking = await hostaway.reservation(reservation_id) if reservation_id else None
    listing = await hostaway.listing(listing_id) if listing_id else None
    if booking and listing_id and booking.listing_id not in (None, listing_id):
        raise ValidationFailed(
            f"Reservation {reservation_id} is at listing {booking.listing_id}, not listing "
            f"{listing_id}. Give the matching pair, or only one of them."
        )
    return listing, booking
