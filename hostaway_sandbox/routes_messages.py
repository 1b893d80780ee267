"""Conversations, their messages, and reviews."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .errors import BadRequest
from .store import COMMUNICATION_TYPES, Store
from .values import as_int
from .views import conversation_activity
from .web import (
    bracket_values,
    json_body,
    page_params,
    paginated,
    q,
    q_date,
    q_flag,
    q_int,
    success,
)

REVIEW_SORTS = ("id", "guestName", "arrivalDate", "departureDate")
REVIEW_TYPES = ("guest-to-host", "host-to-guest")


async def list_conversations(request: Request) -> JSONResponse:
    """Most recent activity (message sent or received) first."""
    store: Store = request.app.state.store
    page = page_params(request)
    rows = store.conversations
    if (reservation_id := q_int(request, "reservationId")) is not None:
        rows = [c for c in rows if c["reservationId"] == reservation_id]
    rows = sorted(rows, key=lambda c: (conversation_activity(c), c["id"]), reverse=True)
    return paginated(rows, page)


async def get_conversation(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    return success(store.conversation(request.path_params["conversation_id"]))


async def list_messages(request: Request) -> JSONResponse:
    """Oldest first; scheduled (not yet sent) messages only with includeScheduledMessages=1."""
    store: Store = request.app.state.store
    conversation_id = request.path_params["conversation_id"]
    store.conversation(conversation_id)
    page = page_params(request)
    rows = store.messages[conversation_id]
    if not q_flag(request, "includeScheduledMessages"):
        rows = [m for m in rows if m["status"] == "sent"]
    return paginated(rows, page)


async def post_message(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    conversation_id = request.path_params["conversation_id"]
    store.conversation(conversation_id)
    body = await json_body(request)
    text = body.get("body")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("body is required and must not be empty")
    communication_type = body.get("communicationType") or "email"
    if communication_type not in COMMUNICATION_TYPES:
        raise BadRequest(f"communicationType must be one of {', '.join(COMMUNICATION_TYPES)}")
    return success(store.add_message(conversation_id, text, communication_type))


def _review_filters(request: Request, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    pairs = request.query_params.multi_items()
    # Only the array form (listingMapIds[]=1) is understood; a bare listingMapIds=1 is ignored.
    listing_ids = {as_int(v, "listingMapIds") for v in bracket_values(pairs, "listingMapIds")}
    if listing_ids:
        rows = [r for r in rows if r["listingMapId"] in listing_ids]
    statuses = set(bracket_values(pairs, "statuses"))
    if statuses:
        rows = [r for r in rows if r["status"] in statuses]
    if (reservation_id := q_int(request, "reservationId")) is not None:
        rows = [r for r in rows if r["reservationId"] == reservation_id]
    if review_type := q(request, "type"):
        if review_type not in REVIEW_TYPES:
            raise BadRequest(f"type must be one of {', '.join(REVIEW_TYPES)}")
        rows = [r for r in rows if r["type"] == review_type]
    start, end = q_date(request, "departureDateStart"), q_date(request, "departureDateEnd")
    if start:
        rows = [r for r in rows if r["departureDate"][:10] >= start.isoformat()]
    if end:
        rows = [r for r in rows if r["departureDate"][:10] <= end.isoformat()]
    return rows


async def list_reviews(request: Request) -> JSONResponse:
    """Sorted by sortBy (default id) and sortOrder (default asc)."""
    store: Store = request.app.state.store
    page = page_params(request)
    rows = _review_filters(request, store.reviews)
    sort_by = q(request, "sortBy") or "id"
    if sort_by not in REVIEW_SORTS:
        raise BadRequest(f"sortBy must be one of {', '.join(REVIEW_SORTS)}")
    sort_order = (q(request, "sortOrder") or "asc").lower()
    if sort_order not in ("asc", "desc"):
        raise BadRequest("sortOrder must be asc or desc")
    rows = sorted(rows, key=lambda r: (r[sort_by] or "", r["id"]), reverse=sort_order == "desc")
    return paginated(rows, page)


routes = [
    Route("/v1/conversations", list_conversations, methods=["GET"]),
    Route("/v1/conversations/{conversation_id:int}", get_conversation, methods=["GET"]),
    Route("/v1/conversations/{conversation_id:int}/messages", list_messages, methods=["GET"]),
    Route("/v1/conversations/{conversation_id:int}/messages", post_message, methods=["POST"]),
    Route("/v1/reviews", list_reviews, methods=["GET"]),
]
