"""Resources: the property index, one property, one booking — the same shapes and redaction as
the matching tools, as JSON."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Annotated

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from pydantic import BaseModel, Field

from ..domain import bookings, properties
from ..errors import HostawayError, NotFound
from ..hostaway import track_provenance
from ..logs import redact
from .budget import fit_to_budget
from .provenance import stamped
from .state import AppState, state

JSON = "application/json"
INDEX_LIMIT = 10_000


async def _render(app: AppState, produce: Callable[[], Awaitable[BaseModel]]) -> str:
    try:
        with track_provenance() as seen:
            result = stamped(await produce(), seen)
    except NotFound as exc:
        raise ResourceNotFoundError(redact(exc.user_message())) from None
    except HostawayError as exc:
        raise ResourceError(redact(exc.user_message())) from None
    fitted = fit_to_budget(result, app.settings.max_result_chars)
    text = json.dumps(fitted.model_dump(mode="json", exclude_none=True), separators=(",", ":"))
    return redact(text)


def register_resources(server: MCPServer[AppState], current: Callable[[], AppState]) -> None:
    """``current`` returns the running AppState (static resources get no request context)."""

    @server.resource(
        "hostaway://properties",
        name="properties",
        title="Property index",
        description="Every property: id, name, city, bedrooms, capacity, base price, currency.",
        mime_type=JSON,
    )
    async def property_index() -> str:
        app = current()
        return await _render(
            app,
            lambda: properties.list_all_properties(
                app.hostaway,
                search=None,
                city=None,
                country=None,
                min_bedrooms=None,
                min_guests=None,
                limit=INDEX_LIMIT,
                cursor=None,
            ),
        )

    @server.resource(
        "hostaway://properties/{listing_id}",
        name="property",
        title="Property details",
        description="One property, as get_property_details returns it (no access codes).",
        mime_type=JSON,
    )
    async def property_details(listing_id: Annotated[int, Field(ge=1)], ctx: Context) -> str:
        app = state(ctx)
        return await _render(
            app,
            lambda: properties.get_property_details(
                app.hostaway, listing_id, include_access_codes=False, full_text=False
            ),
        )

    @server.resource(
        "hostaway://bookings/{reservation_id}",
        name="booking",
        title="Booking details",
        description="One booking, as get_booking_details returns it (no access codes).",
        mime_type=JSON,
    )
    async def booking_details(reservation_id: Annotated[int, Field(ge=1)], ctx: Context) -> str:
        app = state(ctx)
        return await _render(
            app,
            lambda: bookings.get_booking_details(
                app.hostaway, reservation_id, include_access_codes=False
            ),
        )
