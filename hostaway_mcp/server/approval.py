"""Who approves a write. A preview (confirm=false) returns an `approval_id` bound to the tool and
its exact arguments; confirm=true must bring it back, and then a person approves:

- **elicitation**: where the host can ask, it shows the user our own preview text (through the
  SDK's `Resolve`/`Elicit`, which works on both protocol revisions) and the write is sent only on
  accept;
- **app**: the approval card of MCP Apps hosts calls `run_approved` with the approval_id alone;
- **model**: where the host cannot ask and HOSTAWAY_WRITE_APPROVAL=model, the assistant's
  confirm=true with a valid approval_id is enough. With `host` (the default) it is refused.

The bookkeeping (issue, check, consume) is `domain.writes.approvals`, one registry per process."""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, get_type_hints

from mcp.server.apps import client_supports_apps
from mcp.server.mcpserver import (
    AcceptedElicitation,
    Context,
    Elicit,
    ElicitationResult,
    Resolve,
)
from pydantic import BaseModel, Field

from ..config import ApprovalMode
from ..domain.models.writes import CALLER_TEXT, WriteResult
from ..domain.writes.approvals import (
    Approval,
    ApprovalRefused,
    ApprovedVia,
    approved,
)
from ..logs import redact
from .state import state

logger = logging.getLogger(__name__)

WriteTool = Callable[..., Awaitable[Any]]
ANSWER = "person_approval"  # the resolved parameter: filled by the SDK, never by the model
ApprovalId = Annotated[
    str | None,
    Field(
        max_length=64,
        description="From this exact call's preview.",
    ),
]
HOST_CANNOT_ASK = (
    "Not sent: this app cannot ask the user to approve changes (it does not support MCP "
    "elicitation), and this server is set to need the user's own approval "
    "(HOSTAWAY_WRITE_APPROVAL=host). The user can approve the preview in its approval card where "
    "the app shows MCP Apps, use an app that asks before changes (Claude Code, VS Code, Cursor), "
    "or set HOSTAWAY_WRITE_APPROVAL=model to let the assistant's confirmation count, knowing the "
    "risk. Nothing was sent."
)
ASK_AGAIN = (
    "Not sent: the user could not be asked to approve this change just now. Call the tool again "
    "with confirm=true and the same approval_id. Nothing was sent."
)


class PersonsAnswer(BaseModel):
    """What the host asks the user (one checkbox; declining sends nothing either)."""

    approve: bool = Field(
        title="Approve and send",
        description="Check to send this change to Hostaway now.",
    )


class NotAsked(PersonsAnswer):
    """Nobody was asked: the host cannot ask, it is a preview, or the approval is not valid."""


NOT_ASKED = NotAsked(approve=False)


def can_ask(ctx: Context) -> bool:
    """Does this client take form elicitations (what the SDK itself requires to send one)?"""
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


# ---- what the person reads ---------------------------------------------------------------------


OPEN, CLOSE = "«««", "»»»"


def _quoted(value: str) -> str:
    """One line in double quotes, escaped: nothing inside can pass for our own text."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]  # a preview already quoted it
    return json.dumps(value, ensure_ascii=False)


def consent_message(approval: Approval) -> str:
    """Our own words about the previewed write; text someone else wrote (the message body, a title
    the assistant chose, a guest's name) only quoted, each in its own place."""
    preview = approval.preview
    what = preview.summary.removeprefix("Preview, nothing sent yet: ")
    lines = ["Approve this change to your Hostaway account?", "", what[:1].upper() + what[1:], ""]
    for key, value in preview.details.items():
        if key in ("message", "recipient"):
            continue
        shown = _quoted(value) if key in CALLER_TEXT else value
        lines.append(f"- {key.replace('_', ' ')}: {shown}")
    if "message" in preview.details:
        # The text cannot close its own block early and go on in what looks like our words.
        body = preview.details["message"].replace(OPEN, "« « «").replace(CLOSE, "» » »")
        lines += ["", "Message, exactly as it will be sent:", OPEN, body, CLOSE]
    if preview.untrusted is not None:
        written = preview.untrusted.model_dump(exclude_none=True)
        fields = "; ".join(f"{k.replace('_', ' ')} {_quoted(v)}" for k, v in written.items())
        lines += [
            "",
            f"Written by the guest or a booking channel (data, not instructions): {fields}",
        ]
    if preview.warnings:
        lines += ["", "Warnings:", *(f"- {warning}" for warning in preview.warnings)]
    lines += [
        "",
        f"Request: {preview.request.method} {preview.request.path}",
        f"Approval {approval.approval_id}, valid until "
        f"{approval.expires_at:%Y-%m-%d %H:%M} UTC, for this one request.",
    ]
    return redact("\n".join(lines))


def _next_step(tool: str, approval: Approval, asks: bool, mode: ApprovalMode, card: bool) -> str:
    again = (
        f'call {tool} again with the same arguments, confirm=true and approval_id="'
        f'{approval.approval_id}" (valid until {approval.expires_at:%H:%M} UTC, once)'
    )
    if card:  # the host draws this preview as the approval card: its buttons are the user's
        shown = (
            "The user sees this preview as an approval card and can approve or cancel it there "
            "themselves; never press it for them (approve_write is the card's, not yours)."
        )
        if asks:
            return f"{shown} If they ask you to send it instead, {again}: their app asks them."
        if mode == "model":
            return f"{shown} Only if they tell you to send it instead, {again}."
        return f"{shown} In this app confirm=true is refused."
    if asks:
        return (
            f"Show this preview to the user. To send it, {again}: their app then asks them to "
            "approve it, and nothing is sent if they decline."
        )
    if mode == "model":
        return f"Show this preview to the user. Only if they agree, {again}."
    return (
        "Show this preview to the user. They must approve it themselves, and this app cannot "
        "ask them: they can use its approval card where the app shows one, an app that asks "
        "before changes (Claude Code, VS Code, Cursor), or set HOSTAWAY_WRITE_APPROVAL=model "
        f"(then {again}). Until then confirm=true is refused."
    )


# ---- the gate ----------------------------------------------------------------------------------


def _asker(tool: str, argument_names: list[str]) -> Callable[..., Awaitable[Any]]:
    """The resolver the SDK runs before the tool: with confirm=true, a valid approval and a host
    that can ask, it asks the person; otherwise it asks no one (the tool body then decides)."""

    async def ask(**given: Any) -> PersonsAnswer | Elicit[PersonsAnswer]:
        ctx: Context = given.pop("ctx")
        if not given.get("confirm") or not can_ask(ctx):
            return NOT_ASKED
        approval_id = given.pop("approval_id", None)
        arguments = {k: v for k, v in given.items() if k != "confirm"}
        try:
            approval = state(ctx).approvals.check(approval_id, tool, arguments)
        except ApprovalRefused:
            return NOT_ASKED  # the tool body refuses, with the reason
        return Elicit(consent_message(approval), PersonsAnswer)

    parameters = [inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context)]
    parameters += [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in argument_names]
    ask.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    ask.__annotations__ = {"ctx": Context, "return": PersonsAnswer | Elicit[PersonsAnswer]}
    ask.__qualname__ = ask.__name__ = f"approve_{tool}"  # a stable key for the SDK's round trips
    return ask


def guard(fn: WriteTool) -> WriteTool:
    """The write tool as registered: the same parameters plus `approval_id`, previews that issue
    approvals, and confirmations that send only what a person (or, where allowed, the model)
    approved."""
    tool = fn.__name__
    hints = get_type_hints(fn, include_extras=True)
    keyword = inspect.Parameter.KEYWORD_ONLY
    own = [
        p.replace(kind=keyword, annotation=hints[p.name])
        for p in inspect.signature(fn).parameters.values()
    ]
    names = [p.name for p in own if p.name != "ctx"] + ["approval_id"]
    answer = Annotated[ElicitationResult[PersonsAnswer], Resolve(_asker(tool, names))]

    async def write(**kwargs: Any) -> WriteResult:
        outcome = kwargs.pop(ANSWER)
        approval_id = kwargs.pop("approval_id", None)
        ctx: Context = kwargs["ctx"]
        app = state(ctx)
        arguments = {k: v for k, v in kwargs.items() if k not in ("ctx", "confirm")}
        if not kwargs.get("confirm"):
            preview = await fn(**kwargs)
            approval = app.approvals.issue(tool, arguments, preview, fn)
            step = _next_step(
                tool, approval, can_ask(ctx), app.settings.write_approval, client_supports_apps(ctx)
            )
            return preview.model_copy(  # type: ignore[no-any-return]
                update={
                    "approval_id": approval.approval_id,
                    "expires_at": approval.expires_at,
                    "next_step": step,
                }
            )
        approval = app.approvals.check(approval_id, tool, arguments)
        via = _approver(outcome, can_ask(ctx), app.settings.write_approval)
        if via is None:
            app.approvals.consume(approval)
            return _not_approved(approval, outcome)
        return await send(ctx, approval, via)

    write.__name__ = write.__qualname__ = tool
    write.__doc__ = fn.__doc__
    write.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            *own,
            inspect.Parameter("approval_id", keyword, default=None, annotation=ApprovalId),
            inspect.Parameter(ANSWER, keyword, annotation=answer),
        ],
        return_annotation=hints.get("return", WriteResult),
    )
    write.__annotations__ = {
        **{p.name: p.annotation for p in own},
        "approval_id": ApprovalId,
        ANSWER: answer,
        "return": hints.get("return", WriteResult),
    }
    return write


def _approver(
    outcome: ElicitationResult[PersonsAnswer], asks: bool, mode: ApprovalMode
) -> ApprovedVia | None:
    """Who approved, or None when the person said no (declined, cancelled, left it unchecked)."""
    if isinstance(outcome, AcceptedElicitation):
        if isinstance(outcome.data, NotAsked):
            if asks:
                raise ApprovalRefused(ASK_AGAIN)
            if mode != "model":
                raise ApprovalRefused(HOST_CANNOT_ASK)
            return "model"
        return "elicitation" if outcome.data.approve else None
    return None


def _not_approved(approval: Approval, outcome: ElicitationResult[PersonsAnswer]) -> WriteResult:
    said = {
        "decline": "declined this change when their app asked them to approve it",
        "cancel": "dismissed the approval request without approving",
    }.get(outcome.action, "did not check 'Approve and send'")
    logger.info("write not approved", extra={"tool": approval.tool, "answer": outcome.action})
    return approval.preview.model_copy(
        update={
            "confirmed": True,
            "sent": False,
            "summary": f"Not sent: the user {said}. Nothing was sent to Hostaway.",
            "next_step": "Nothing was sent. Do not try again unless the user asks; a new attempt "
            "needs a new preview (confirm=false).",
            "approval_id": None,
            "expires_at": None,
        }
    )


async def send(ctx: Context, approval: Approval, via: ApprovedVia) -> WriteResult:
    """Send the approved write, once: re-validated against Hostaway's current state, and only if
    it is still exactly the request that was previewed."""
    state(ctx).approvals.consume(approval)
    with approved(via, approval.preview.request):
        return await approval.perform(ctx=ctx, **approval.arguments, confirm=True)


async def run_approved(ctx: Context, approval_id: str, via: ApprovedVia = "app") -> WriteResult:
    """Send the write a preview described, from its approval_id alone (the approval card's
    Approve button). Refused when the id is unknown, used or expired; nothing is sent then."""
    approval = state(ctx).approvals.find(approval_id, "")
    return await send(ctx, approval, via)


CardApprovalId = Annotated[
    str, Field(min_length=1, max_length=64, description="The approval_id the card shows.")
]


async def approve_write(ctx: Context, approval_id: CardApprovalId) -> WriteResult:
    """The approval card's Approve button: send the change the user approved there."""
    # App-only (`_meta.ui.visibility: ["app"]`): hidden from the model, refused for clients
    # without MCP Apps. The id carries the tool and its exact arguments; there is nothing else to
    # pass, so nothing else can be changed.
    return await run_approved(ctx, approval_id, "app")
