"""Guest conversations and their messages."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from ..errors import NotFound
from ._base import WITH_RESOURCES, Reads, clean
from ._values import as_int
from .entities import Conversation, Message
from .types import RowPage


class MessageReads(Reads):
    async def conversation(self, conversation_id: int) -> Conversation:
        """One conversation with its embedded reservation and latest message."""
        raw = await self._one(
            f"/conversations/{conversation_id}",
            NotFound(
                f"Conversation {conversation_id} was not found.",
                hint="Use list_conversations (or get_inbox_triage) to find conversation ids.",
            ),
            WITH_RESOURCES,
        )
        return Conversation.from_api(raw)

    def conversation_pages(
        self, *, reservation_id: int | None = None, offset: int = 0, page_size: int = 100
    ) -> AsyncGenerator[RowPage[Conversation], None]:
        """Conversations in Hostaway's order, each with its reservation and latest message."""
        query = clean({**WITH_RESOURCES, "reservationId": reservation_id})
        return self._offset_rows(
            "/conversations", query, Conversation.from_api, offset=offset, page_size=page_size
        )

    async def message_page(
        self, conversation_id: int, *, limit: int, offset: int = 0
    ) -> tuple[list[Message], int | None]:
        """One page of a conversation's messages (in Hostaway's order) and its message count."""
        envelope = await self._client.request(
            "GET",
            f"/conversations/{conversation_id}/messages",
            params={"limit": limit, "offset": offset},
        )
        result = envelope.get("result")
        rows: list[Any] = result if isinstance(result, list) else []
        messages = [Message.from_api(r) for r in rows if isinstance(r, dict)]
        return messages, as_int(envelope.get("count"))

    def message_pages(
        self, conversation_id: int, *, offset: int, page_size: int
    ) -> AsyncGenerator[RowPage[Message], None]:
        """A conversation's messages from ``offset`` on, page by page."""
        return self._offset_rows(
            f"/conversations/{conversation_id}/messages",
            {},
            Message.from_api,
            offset=offset,
            page_size=page_size,
        )
