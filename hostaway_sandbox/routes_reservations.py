"""Reservations: filtered lists with offset or afterId cursor paging, create, update, cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .bookings import cancel_reservation, create_reservation, update_reservation
from .errors import BadRequest, NotFound
from .store import Store
from .web import (
    json_body,
    listing_envelope,
    page_params,
    paginated,
    q,
    q_date,
    q_flag,
    q_int,
    success,
)

SortKey = Callable[[dict[str, Any]], tuple[str, int]]


def _field_key(field: str) -> SortKey:
    return lambda reservation: (reservation[field] or "", reservation["id"])


def _sorts(store: Store) -> dict[str | None, tuple[SortKey, bool]]:
    """sortOrder -> (key, descending). Ties break on id in the same direction."""

    def conversation_key(field: str) -> SortKey:
        def key(reservation: dict[str, Any]) -> tuple[str, int]:
            conversation = store.conversation_for_reservation(reservation["id"]) or {}
            return conversation.get(field) or "", reservation["id"]

        return key

    return {
        None: (_field_key("updatedOn"), True),
        "updatedOn": (_field_key("updatedOn"), False),
        "arrivalDate": (_field_key("arrivalDate"), False),
        "arrivalDateDesc": (_field_key("arrivalDate"), True),
        "latestActivity": (_field_key("latestActivityOn"), False),
        "latestActivityDesc": (_field_key("latestActivityOn"), True),
        "lastConversationMessageSent": (conversation_key("messageSentOn"), False),
        "lastConversationMessageSentDesc": (conversation_key("messageSentOn"), True),
        "lastConversationMessageReceived": (conversation_key("messageReceivedOn"), False),
        "lastConversationMessageReceivedDesc": (conversation_key("messageReceivedOn"), True),
    }


def _filter(request: Request, store: Store) -> list[dict[str, Any]]:
    """Documented filters; there is no status filter (a `status` parameter is ignored)."""
    rows = store.reservations
    for param, field in (("listingId", "listingMapId"), ("channelId", "channelId")):
        if (wanted := q_int(request, param)) is not None:
            rows = [r for r in rows if r[field] == wanted]
    for param in ("assigneeUserId", "customerUserId"):
        if (wanted := q_int(request, param)) is not None:
            rows = [r for r in rows if r[param] == wanted]
    if match := q(request, "match"):
        rows = [r for r in rows if match.lower() in (r["guestName"] or "").lower()]
    if email := q(request, "guestEmail"):
        rows = [r for r in rows if (r["guestEmail"] or "").lower() == email.strip().lower()]
    for prefix, field in (("arrival", "arrivalDate"), ("departure", "departureDate")):
        start, end = q_date(request, f"{prefix}StartDate"), q_date(request, f"{prefix}EndDate")
        if start:
            rows = [r for r in rows if r[field] >= start.isoformat()]
        if end:
            rows = [r for r in rows if r[field] <= end.isoformat()]
    start, end = q_date(request, "latestActivityStart"), q_date(request, "latestActivityEnd")
    if start:
        rows = [r for r in rows if r["latestActivityOn"][:10] >= start.isoformat()]
    if end:
        rows = [r for r in rows if r["latestActivityOn"][:10] <= end.isoformat()]
    for flag in ("isStarred", "isArchived", "isPinned"):
        if q(request, flag) is not None:
            wanted_flag = int(q_flag(request, flag))
            rows = [r for r in rows if r[flag] == wanted_flag]
    if q_flag(request, "hasUnreadConversationMessages"):
        rows = [r for r in rows if _has_unread(store, r["id"])]
    return rows


def _has_unread(store: Store, reservation_id: int) -> bool:
    conversation = store.conversation_for_reservation(reservation_id)
    return bool(conversation and conversation["hasUnreadMessages"])


def _render(reservation: dict[str, Any], include_resources: bool) -> dict[str, Any]:
    """hostProxyEmail is only sent in lists with includeResources=1 (always on single reads)."""
    rendered = dict(reservation)
    if not include_resources:
        rendered["hostProxyEmail"] = None
    return rendered


async def list_reservations(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    page = page_params(request)
    sorts = _sorts(store)
    sort_order = q(request, "sortOrder")
    if sort_order not in sorts:
        allowed = ", ".join(name for name in sorts if name)
        raise BadRequest(f"Invalid sortOrder; use one of {allowed}")
    key, descending = sorts[sort_order]
    rows = sorted(_filter(request, store), key=key, reverse=descending)
    include = q_flag(request, "includeResources")
    after_id = q_int(request, "afterId")
    if after_id is None:
        return paginated([_render(r, include) for r in rows], page)
    # Rows strictly after the cursor in sort order; offset is ignored. The cursor row need not
    # match the filters; an id that never existed falls back to id order.
    try:
        anchor: dict[str, Any] | None = store.reservation(after_id)
    except NotFound:
        anchor = None
    if anchor is not None:
        mark = key(anchor)
        after = [r for r in rows if (key(r) < mark if descending else key(r) > mark)]
    else:
        after = [r for r in rows if (r["id"] < after_id if descending else r["id"] > after_id)]
    chunk = [_render(r, include) for r in after[: page.size]]
    return listing_envelope(chunk, len(rows), page, None)


async def get_reservation(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    return success(store.reservation(request.path_params["reservation_id"]))


async def post_reservation(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    body = await json_body(request)
    force = q_flag(request, "forceOverbooking")
    return success(create_reservation(store, body, force=force, provider=q(request, "provider")))


async def put_reservation(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    body = await json_body(request)
    force = q_flag(request, "forceOverbooking")
    reservation_id = request.path_params["reservation_id"]
    return success(update_reservation(store, reservation_id, body, force=force))


async def put_cancelled(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    body = await json_body(request)
    reservation_id = request.path_params["reservation_id"]
    return success(cancel_reservation(store, reservation_id, body.get("cancelledBy")))


routes = [
    Route("/v1/reservations", list_reservations, methods=["GET"]),
    Route("/v1/reservations", post_reservation, methods=["POST"]),
    Route("/v1/reservations/{reservation_id:int}", get_reservation, methods=["GET"]),
    Route("/v1/reservations/{reservation_id:int}", put_reservation, methods=["PUT"]),
    Route(
        "/v1/reservations/{reservation_id:int}/statuses/cancelled", put_cancelled, methods=["PUT"]
    ),
]
