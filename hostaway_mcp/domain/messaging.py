"""Guest communication: conversations, a conversation's latest messages, and the inbox triage."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import aclosing
from datetime import UTC, datetime

from ..errors import NotFound
from ..hostaway import Conversation, Hostaway, Message, Progress, Reservation, no_progress
from .concurrency import concurrently
from .cursor import decode_cursor, shown_before
from .fencing import KnownSecrets, fence, scrub
from .inbox import LATEST, hours_between, latest_in_reading_order, newest_first, triage_key
from .models.messaging import (
    ConversationList,
    ConversationMessages,
    ConversationSummary,
    InboxTriage,
    MessageOut,
    TriageItem,
    preview,
)
from .names import listings_for, secrets_for
from .paging import collect

logger = logging.getLogger(__name__)

SCAN_PAGE_SIZE = 100
# get_inbox_triage's bound: conversation pages scanned and reservations looked up (see its tool).
TRIAGE_PAGES = 3
TRIAGE_LOOKUPS = 5


def utc_now() -> datetime:
    return datetime.now(UTC)


async def _names(hostaway: Hostaway, reservations: Iterable[Reservation | None]) -> dict[int, str]:
    """Listing names for reservations that came without one (one cached listing scan)."""
    needed = (r.listing_id for r in reservations if r is not None and not r.listing_name)
    listings = await listings_for(hostaway, needed)
    return {listing_id: listing.name for listing_id, listing in listings.items()}


async def _secrets(hostaway: Hostaway, reservations: list[Reservation | None]) -> KnownSecrets:
    """The codes of these stays' properties and bookings, to mask in message texts."""
    return await secrets_for(
        hostaway, (r.listing_id for r in reservations if r is not None), reservations
    )


def _listing_name(r: Reservation | None, names: dict[int, str]) -> str | None:
    if r is None:
        return None
    return r.listing_name or names.get(r.listing_id or 0)


async def list_conversations(
    hostaway: Hostaway,
    *,
    reservation_id: int | None,
    unread_only: bool,
    limit: int,
    cursor: str | None,
    progress: Progress = no_progress,
) -> ConversationList:
    filters = {"reservation_id": reservation_id, "unread_only": unread_only}
    offset = decode_cursor(cursor, "list_conversations", filters) or 0

    def accept(c: Conversation) -> bool:
        return (not unread_only or c.has_unread) and (
            reservation_id is None or c.reservation_id == reservation_id
        )

    pages = hostaway.conversation_pages(
        reservation_id=reservation_id,
        offset=offset,
        page_size=SCAN_PAGE_SIZE if unread_only else limit,
    )
    found = await collect(
        pages,
        accept,
        limit,
        progress,
        shown_before=shown_before(cursor),
        upstream_count_is_exact=not unread_only,  # the booking filter is Hostaway's own
    )
    names = await _names(hostaway, (c.reservation for c in found.items))
    secrets = await _secrets(hostaway, [c.reservation for c in found.items])
    next_cursor, resume = found.cursors("list_conversations", filters)
    return ConversationList(
        conversations=[
            ConversationSummary.of(c, _listing_name(c.reservation, names), secrets)
            for c in found.items
        ],
        next_cursor=next_cursor,
        total=found.total,
        total_is_exact=found.total_exact,
    ).with_resume(resume)


# ---- one conversation --------------------------------------------------------------------------


async def recent_messages(
    hostaway: Hostaway, conversation_id: int, limit: int
) -> tuple[list[Message], int | None]:
    """The `limit` most recent messages oldest -> newest, and the conversation's message count.

    The first page tells the order: newest-first holds the answer already (one request);
    oldest-first needs the tail, read at offset count - limit (a second request)."""
    first, count = await hostaway.message_page(conversation_id, limit=limit)
    seen = len(first)
    if not first or (count is not None and count <= seen):
        return latest_in_reading_order(first, limit), count if count is not None else seen
    gathered = list(first)
    if newest_first(first):
        if seen >= limit:
            return latest_in_reading_order(first, limit), count
        start = seen  # a server that caps the page size: read on until `limit` are in
    else:
        start = seen if count is None else max(count - limit, seen)
    pages = hostaway.message_pages(
        conversation_id,
        offset=start,
        page_size=limit if count is not None else SCAN_PAGE_SIZE,
    )
    async with aclosing(pages) as stream:
        async for page in stream:
            mapped = [message for _, message in page.rows]
            if page.rows:
                seen = page.rows[-1][0]
            gathered = latest_in_reading_order([*gathered, *mapped], limit)
            if newest_first(first) and len(gathered) >= limit:
                break
    return latest_in_reading_order(gathered, limit), count if count is not None else seen


async def get_conversation_messages(
    hostaway: Hostaway, conversation_id: int, *, limit: int
) -> ConversationMessages:
    conversation = await hostaway.conversation(conversation_id)
    messages, total = await recent_messages(hostaway, conversation_id, limit)
    secrets = await secrets_for(hostaway, [conversation.listing_id], [conversation.reservation])
    return ConversationMessages(
        conversation_id=conversation.id,
        reservation_id=conversation.reservation_id,
        listing_id=conversation.listing_id,
        messages=[MessageOut.of(m, secrets) for m in messages],
        total_messages=total,
        untrusted=fence(guest_name=conversation.guest_name),
    )


# ---- inbox triage ------------------------------------------------------------------------------


async def _scan_waiting(
    hostaway: Hostaway, progress: Progress
) -> tuple[list[Conversation], int, bool]:
    """Up to TRIAGE_PAGES pages of conversations; returns the waiting ones, how many were scanned,
    and whether the scan reached the end."""
    waiting: list[Conversation] = []
    scanned = 0
    complete = False
    pages = hostaway.conversation_pages(page_size=SCAN_PAGE_SIZE)
    async with aclosing(pages) as stream:
        read = 0
        async for page in stream:
            read += 1
            scanned += len(page.rows)
            waiting.extend(c for _, c in page.rows if c.last_message_incoming is True)
            await progress(read, TRIAGE_PAGES + 1, f"scanned {scanned} conversations")
            if page.last:
                complete = True
            if page.last or read >= TRIAGE_PAGES:
                break
    return waiting, scanned, complete


async def _look_up_reservations(
    hostaway: Hostaway, waiting: list[Conversation]
) -> dict[int, Reservation]:
    """Reservations of the longest-waiting threads that came without one (at most TRIAGE_LOOKUPS)."""
    missing = sorted(
        (c for c in waiting if c.reservation is None and c.reservation_id is not None),
        key=lambda c: (c.waiting_since or LATEST, c.id),
    )
    wanted = list(dict.fromkeys(c.reservation_id for c in missing if c.reservation_id))
    found: dict[int, Reservation] = {}

    async def look_up(reservation_id: int) -> None:
        try:
            found[reservation_id] = await hostaway.reservation(reservation_id)
        except NotFound:
            logger.info("conversation reservation not found", extra={"id": reservation_id})

    async with concurrently() as group:
        for reservation_id in wanted[:TRIAGE_LOOKUPS]:
            group.start_soon(look_up, reservation_id)
    return found


async def get_inbox_triage(
    hostaway: Hostaway,
    *,
    limit: int,
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> InboxTriage:
    now = now or utc_now()
    everything = await hostaway.waiting_conversations()  # the mirror: every waiting guest
    if everything is not None:
        waiting, scanned = everything
        waiting = [c for c in waiting if c.last_message_incoming is True]
        complete = True
    else:
        waiting, scanned, complete = await _scan_waiting(hostaway, progress)
    looked_up = await _look_up_reservations(hostaway, waiting)
    await progress(TRIAGE_PAGES + 1, TRIAGE_PAGES + 1, f"{len(waiting)} guests waiting")

    def reservation_of(c: Conversation) -> Reservation | None:
        return c.reservation or looked_up.get(c.reservation_id or 0)

    def rank(c: Conversation) -> tuple[int, int, datetime, int]:
        r = reservation_of(c)
        return triage_key(
            arrival=r.arrival if r else None,
            departure=r.departure if r else None,
            status=r.status if r else None,
            waiting_since=c.waiting_since,
            conversation_id=c.id,
            today=now.date(),
        )

    chosen = sorted(waiting, key=rank)[:limit]
    names = await _names(hostaway, (reservation_of(c) for c in chosen))
    secrets = await _secrets(hostaway, [reservation_of(c) for c in chosen])
    items = []
    for c in chosen:
        r = reservation_of(c)
        latest = c.latest_message
        items.append(
            TriageItem(
                conversation_id=c.id,
                reservation_id=c.reservation_id,
                listing_name=_listing_name(r, names),
                waiting_since=c.waiting_since,
                waiting_hours=hours_between(c.waiting_since, now),
                arrival_date=r.arrival if r else None,
                booking_status=r.status if r else None,
                untrusted=fence(
                    guest_name=c.guest_name or (r.guest_name if r else None),
                    last_message_preview=preview(scrub(latest.body, secrets)) if latest else None,
                ),
            )
        )
    return InboxTriage(
        items=items,
        waiting_total=len(waiting),
        conversations_scanned=scanned,
        scan_complete=complete,
    )
