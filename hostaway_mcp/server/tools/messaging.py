"""Guest communication tools: conversations, a thread's messages, and the inbox triage."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from ...domain import messaging
from ...domain.models.messaging import ConversationList, ConversationMessages, InboxTriage
from ..params import Cursor
from .registry import gateway, progress, read_tool

ConversationId = Annotated[
    int,
    Field(
        ge=1,
        le=2_147_483_647,
        description="Hostaway conversation id (see list_conversations or get_inbox_triage).",
    ),
]


@read_tool("List conversations")
async def list_conversations(
    ctx: Context,
    reservation_id: Annotated[
        int | None, Field(ge=1, le=2_147_483_647, description="Only this booking's conversation.")
    ] = None,
    unread_only: Annotated[
        bool, Field(description="Only conversations with unread guest messages.")
    ] = False,
    limit: Annotated[int, Field(ge=1, le=100, description="Conversations per page.")] = 20,
    cursor: Cursor = None,
) -> ConversationList:
    """Guest conversations with their latest message (preview, time, who wrote last) and unread
    flag; filter by booking or unread. Use get_conversation_messages to read a thread."""
    return await messaging.list_conversations(
        gateway(ctx),
        reservation_id=reservation_id,
        unread_only=unread_only,
        limit=limit,
        cursor=cursor,
        progress=progress(ctx),
    )


@read_tool("Conversation messages")
async def get_conversation_messages(
    ctx: Context,
    conversation_id: ConversationId,
    limit: Annotated[int, Field(ge=1, le=100, description="How many recent messages.")] = 30,
) -> ConversationMessages:
    """What was said in one guest conversation: its most recent messages, oldest to newest, each
    marked incoming (guest) or outgoing (you)."""
    return await messaging.get_conversation_messages(gateway(ctx), conversation_id, limit=limit)


@read_tool("Inbox triage")
async def get_inbox_triage(
    ctx: Context,
    limit: Annotated[int, Field(ge=1, le=50, description="How many waiting threads to show.")] = 20,
) -> InboxTriage:
    """Who is waiting for a reply (the guest wrote last), most urgent first: guests arriving soonest
    (or staying now), then the longest waiting. Upstream cost: at most 8 requests (3 pages of 100
    recent conversations + 5 booking look-ups), plus 1 per 200 properties if the cached property
    list is needed for names."""
    return await messaging.get_inbox_triage(gateway(ctx), limit=limit, progress=progress(ctx))
