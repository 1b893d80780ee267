"""The one result shape every write tool returns: a preview (confirm=false, nothing sent) or the
outcome of the single request that confirm=true sent."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer
from pydantic.json_schema import SkipJsonSchema

from .common import Output, Untrusted, _drop_titles, texts

# Keys of `details` whose values are text the caller wrote (a message, a title, a note, a name as
# given): a person asked to approve sees them quoted, apart from our own words.
CALLER_TEXT = frozenset(
    {"message", "title", "description", "concept", "note", "host_note", "guest_note", "guest",
     "email", "phone", "categories"}
)  # fmt: skip


def _absent_not_null(schema: dict[str, Any]) -> None:
    """Like `Untrusted`: an absent value is left out, never null (`SkipJsonSchema[None]`), so each
    optional property is just its type (this schema travels with every write tool)."""
    _drop_titles(schema)
    for prop in schema["properties"].values():
        prop.pop("default", None)


class Change(Output):
    """A value set: no before = not set yet, no after = cleared."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_absent_not_null)

    field: str
    label: str
    before: str | SkipJsonSchema[None] = None
    after: str | SkipJsonSchema[None] = None
    untrusted: Annotated[Untrusted | SkipJsonSchema[None], texts("guest_note")] = Field(
        default=None, description="Before, as a guest wrote it."
    )

    @model_serializer(mode="wrap")
    def _present_only(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        return {key: value for key, value in handler(self).items() if value is not None}


class WriteRequest(Output):
    method: Literal["POST", "PUT"]
    path: str = Field(description="Relative to the Hostaway API base URL, e.g. /tasks.")
    body: dict[str, Any] = Field(description="The exact JSON body, only the fields being set.")


class WriteOutcome(Output):
    kind: Literal["calendar", "reservation", "message", "task", "expense"]
    id: int | None = Field(
        default=None, description="Hostaway id of the object created or changed."
    )
    status: str | None = Field(default=None, description="Its status as Hostaway reported it.")
    days_updated: int | None = Field(
        default=None, description="Calendar days Hostaway reported as changed."
    )
    note: str | None = Field(default=None, description="Anything else Hostaway's answer says.")


class WriteResult(Output):
    tool: str
    confirmed: bool = Field(description="The confirm flag this call was made with.")
    sent: bool = Field(description="True only when the write was sent to Hostaway and succeeded.")
    summary: str = Field(description="In plain words: what will change (preview) or what changed.")
    details: dict[str, str] = Field(
        description="The facts to check before confirming (who, what, when, how much)."
    )
    untrusted: Annotated[Untrusted | None, texts("guest_name")] = None  # the recipient / guest
    changes: list[Change] = Field(default_factory=list, description="Before -> after.")
    request: WriteRequest = Field(
        description="The request confirm=true sends (preview) or sent (result)."
    )
    result: WriteOutcome | None = Field(
        default=None, description="Hostaway's answer, compacted; absent in a preview."
    )
    warnings: list[str] = Field(
        default_factory=list, description="Things the user should know before confirming."
    )
    next_step: str
    approval_id: str | None = Field(
        default=None, description="Preview: send this write once with confirm=true and this id."
    )
    expires_at: datetime | None = Field(default=None, description="approval_id expiry (UTC).")
    approved_via: Literal["elicitation", "app", "model"] | None = Field(
        default=None,
        description="Who approved: the user asked by their app, in the approval card, or model.",
    )
