"""Output models for guest conversations, their messages, and the inbox triage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from ...hostaway import Conversation, Message
from ..fencing import NO_SECRETS, KnownSecrets, fence, scrub
from ..formatting import shorten
from .common import CountedPage, Cuttable, FromStore, Output, Untrusted, texts

PREVIEW_CHARS = 160
BODY_CHARS = 2000


def preview(text: str | None) -> str | None:
    """A one-line preview of at most PREVIEW_CHARS characters."""
    if text is None:
        return None
    flat = " ".join(text.split())
    if len(flat) <= PREVIEW_CHARS:
        return flat or None
    return flat[: PREVIEW_CHARS - 1].rstrip() + "…"


class ConversationSummary(Output):
    id: int = Field(description="Hostaway conversation id (for get_conversation_messages).")
    reservation_id: int | None
    listing_id: int | None = Field(description="From the conversation's reservation.")
    listing_name: str | None
    has_unread: bool = Field(description="Hostaway's hasUnreadMessages flag.")
    last_message_at: datetime | None = Field(description="Latest message, sent or received (UTC).")
    last_message_incoming: bool | None = Field(
        description="True when the latest message is the guest's (a reply may be due)."
    )
    # the start of the latest message: at most 160 characters
    untrusted: Annotated[Untrusted | None, texts("guest_name", "last_message_preview")] = None

    @classmethod
    def of(
        cls, c: Conversation, listing_name: str | None, secrets: KnownSecrets = NO_SECRETS
    ) -> ConversationSummary:
        latest = c.latest_message
        return cls(
            id=c.id,
            reservation_id=c.reservation_id,
            listing_id=c.listing_id,
            listing_name=listing_name,
            has_unread=c.has_unread,
            last_message_at=c.last_message_at,
            last_message_incoming=c.last_message_incoming,
            untrusted=fence(
                guest_name=c.guest_name,
                last_message_preview=preview(scrub(latest.body, secrets)) if latest else None,
            ),
        )


class ConversationList(CountedPage, FromStore):
    items_field: ClassVar[str] = "conversations"
    conversations: list[ConversationSummary]


class MessageOut(Output):
    id: int
    sent_at: datetime | None = Field(description="UTC.")
    direction: Literal["incoming", "outgoing"] = Field(
        description="incoming = from the guest, outgoing = from you."
    )
    channel: str | None = Field(description="How it travelled: email, channel, sms, whatsapp.")
    status: str | None = Field(description="sent, awaiting, failed…")
    attachment_count: int
    # very long bodies are cut with a marker
    untrusted: Annotated[Untrusted | None, texts("body")] = None

    @classmethod
    def of(cls, m: Message, secrets: KnownSecrets = NO_SECRETS) -> MessageOut:
        more = "the full text is in the Hostaway inbox"
        return cls(
            id=m.id,
            sent_at=m.sent_at,
            direction="incoming" if m.incoming else "outgoing",
            channel=m.channel,
            status=m.status,
            attachment_count=m.attachment_count,
            untrusted=fence(body=shorten(scrub(m.body, secrets), BODY_CHARS, more)),
        )


class ConversationMessages(Cuttable):
    items_field: ClassVar[str] = "messages"
    cut_from_start: ClassVar[bool] = True  # the budget drops the oldest messages first

    conversation_id: int
    reservation_id: int | None
    listing_id: int | None
    messages: list[MessageOut] = Field(description="The most recent messages, oldest first.")
    total_messages: int | None = Field(description="Messages in the whole conversation.")
    untrusted: Annotated[Untrusted | None, texts("guest_name")] = None


class TriageItem(Output):
    conversation_id: int
    reservation_id: int | None
    listing_name: str | None
    waiting_since: datetime | None = Field(
        description="The guest's first unanswered message as far as Hostaway shows it (UTC)."
    )
    waiting_hours: float | None = Field(description="Hours since waiting_since, 1 decimal.")
    arrival_date: date | None
    booking_status: str | None
    untrusted: Annotated[Untrusted | None, texts("guest_name", "last_message_preview")] = None


class InboxTriage(Cuttable, FromStore):
    items_field: ClassVar[str] = "items"
    items: list[TriageItem] = Field(
        description="Guests waiting for a reply: arriving soonest (in-house guests count as "
        "arriving today) first, then past or unknown arrivals; longest waiting first within a day."
    )
    waiting_total: int = Field(description="Waiting threads found in the conversations scanned.")
    conversations_scanned: int
    scan_complete: bool = Field(
        description="False when older conversations were not scanned (the bound was reached)."
    )
