"""The MCP server: lifespan (one Hostaway client per process), tool registration, and the
translation of domain errors into ToolErrors. Tools are thin: they validate via their signatures and
delegate to the services."""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated, Any, TypeVar

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from . import __version__
from .budget import fit_to_budget
from .client import HostawayClient
from .config import Settings
from .errors import ConfigurationError, HostawayError
from .gateway import Gateway, Progress
from .instructions import server_instructions
from .logs import correlation_id, new_correlation_id
from .models.bookings import ArrivalsDepartures, BookingDetails, BookingList, GuestInfo
from .models.properties import (
    Availability,
    AvailableProperties,
    ConnectionStatus,
    PriceQuote,
    PropertyDetails,
    PropertyList,
)
from .params import (
    BookingStatus,
    Cursor,
    EndDate,
    Guests,
    IncludeAccessCodes,
    ListingId,
    OptionalDate,
    ReservationId,
    ShortText,
    StartDate,
)
from .services import bookings, properties

logger = logging.getLogger(__name__)

DEMO_BASE_URL = "http://demo.sandbox/v1"
R = TypeVar("R", bound=BaseModel)


@dataclass
class AppState:
    settings: Settings
    config_error: str | None = None
    client: HostawayClient | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def gateway(self) -> Gateway:
        if self.config_error is not None or self.client is None:
            raise ConfigurationError(self.config_error or "The Hostaway client is not running.")
        gateway = self.extras.get("gateway")
        if gateway is None:
            gateway = self.extras["gateway"] = Gateway(self.client, self.settings.cache_ttl)
        assert isinstance(gateway, Gateway)  # noqa: S101 - set just above
        return gateway


def _state(ctx: Context) -> AppState:
    state = ctx.request_context.lifespan_context
    assert isinstance(state, AppState)  # noqa: S101 - the lifespan always yields one
    return state


def _gateway(ctx: Context) -> Gateway:
    return _state(ctx).gateway


def _progress(ctx: Context) -> Progress:
    """Forward service progress to the client; MCP wants strictly increasing values."""
    last = -1.0

    async def report(done: float, total: float | None, message: str) -> None:
        nonlocal last
        if done > last:
            last = done
            await ctx.report_progress(done, total, message)

    return report


def _render(result: BaseModel, max_chars: int) -> CallToolResult:
    fitted = fit_to_budget(result, max_chars)
    structured = fitted.model_dump(mode="json")
    # The text block is what most hosts put in front of the model: compact, no nulls.
    text = json.dumps(
        fitted.model_dump(mode="json", exclude_none=True), separators=(",", ":"), ensure_ascii=False
    )
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=structured
    )


# ---- tool registration -----------------------------------------------------------------------

ToolFunction = Callable[..., Awaitable[BaseModel]]
_READ_TOOLS: list[tuple[ToolFunction, str]] = []


def read_tool(title: str) -> Callable[[ToolFunction], ToolFunction]:
    def remember(fn: ToolFunction) -> ToolFunction:
        _READ_TOOLS.append((fn, title))
        return fn

    return remember


def _wrap(fn: ToolFunction) -> Callable[..., Awaitable[CallToolResult]]:
    name = fn.__name__

    @functools.wraps(fn)
    async def run(**kwargs: Any) -> CallToolResult:
        state = _state(kwargs["ctx"])
        token = correlation_id.set(new_correlation_id())
        started = time.perf_counter()
        outcome = "ok"
        try:
            return _render(await fn(**kwargs), state.settings.max_result_chars)
        except HostawayError as exc:
            outcome = type(exc).__name__
            raise ToolError(exc.user_message()) from None
        except ToolError:
            outcome = "ToolError"
            raise
        except Exception:
            outcome = "crash"
            raise
        finally:
            logger.info(
                "tool call",
                extra={
                    "tool": name,
                    "outcome": outcome,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            correlation_id.reset(token)

    return run


def _annotations(title: str, *, read_only: bool = True, **hints: bool) -> ToolAnnotations:
    return ToolAnnotations(title=title, read_only_hint=read_only, open_world_hint=True, **hints)


# ---- read tools ------------------------------------------------------------------------------


@read_tool("Check the Hostaway connection")
async def check_connection(ctx: Context) -> ConnectionStatus:
    """Check that the server can reach Hostaway with its credentials; use first when tools fail."""
    state = _state(ctx)
    gateway = state.gateway
    listings_total = await gateway.client.check()
    return ConnectionStatus(
        ok=True,
        account_id=state.settings.client_id,
        listings_total=listings_total,
        read_only=state.settings.read_only,
        demo=state.settings.demo,
        api_base_url="built-in demo sandbox (simulated data)"
        if state.settings.demo
        else state.settings.base_url,
        upstream_requests=gateway.client.stats.requests,
    )


@read_tool("List properties")
async def list_all_properties(
    ctx: Context,
    search: Annotated[ShortText, Field(description="Part of the property name.")] = None,
    city: Annotated[ShortText, Field(description="City, as written in Hostaway.")] = None,
    country: Annotated[ShortText, Field(description="Country, as written in Hostaway.")] = None,
    min_bedrooms: Annotated[
        int | None, Field(ge=0, le=50, description="At least this many bedrooms.")
    ] = None,
    min_guests: Annotated[
        int | None, Field(ge=1, le=100, description="Sleeps at least this many guests.")
    ] = None,
    limit: Annotated[int, Field(ge=1, le=200, description="Properties per page.")] = 50,
    cursor: Cursor = None,
) -> PropertyList:
    """List the account's properties (listings) with id, location, size and base price. Use it to
    find listing ids; filter by name, city, country, bedrooms or capacity."""
    return await properties.list_all_properties(
        _gateway(ctx),
        search=search,
        city=city,
        country=country,
        min_bedrooms=min_bedrooms,
        min_guests=min_guests,
        limit=limit,
        cursor=cursor,
        progress=_progress(ctx),
    )


@read_tool("Property details")
async def get_property_details(
    ctx: Context,
    listing_id: ListingId,
    include_access_codes: IncludeAccessCodes = False,
    full_text: Annotated[
        bool, Field(description="Return the description and house rules uncut.")
    ] = False,
) -> PropertyDetails:
    """Everything a manager asks about one property: address, capacity, rooms, check-in/out hours,
    minimum/maximum nights, prices and fees, cancellation policy, house rules, rating."""
    return await properties.get_property_details(
        _gateway(ctx), listing_id, include_access_codes=include_access_codes, full_text=full_text
    )


@read_tool("Check availability")
async def check_availability(
    ctx: Context, listing_id: ListingId, start_date: StartDate, end_date: EndDate
) -> Availability:
    """Is one property bookable for a stay? Checks every night from start_date up to (not
    including) end_date, the minimum/maximum stay of the arrival night, and closed arrival or
    departure days; gives the nightly prices."""
    return await properties.check_availability(_gateway(ctx), listing_id, start_date, end_date)


@read_tool("Find available properties")
async def find_available_properties(
    ctx: Context,
    start_date: StartDate,
    end_date: EndDate,
    guests: Annotated[
        int | None, Field(ge=1, le=100, description="Party size; capacity must fit.")
    ] = None,
    city: Annotated[ShortText, Field(description="Only this city.")] = None,
    limit: Annotated[int, Field(ge=1, le=100, description="Stop after this many matches.")] = 20,
) -> AvailableProperties:
    """Which properties are free for a stay (and fit the party)? Each match was confirmed night by
    night against its calendar, including minimum stay; gives each one's total nightly price."""
    return await properties.find_available_properties(
        _gateway(ctx),
        start=start_date,
        end=end_date,
        guests=guests,
        city=city,
        limit=limit,
        progress=_progress(ctx),
    )


@read_tool("Price quote")
async def get_price_quote(
    ctx: Context, listing_id: ListingId, start_date: StartDate, end_date: EndDate, guests: Guests
) -> PriceQuote:
    """Hostaway's own price for a stay, with its components (base rate, cleaning fee, taxes,
    discounts). Use for "how much would 3 nights for 4 guests cost?"."""
    return await properties.get_price_quote(_gateway(ctx), listing_id, start_date, end_date, guests)


@read_tool("Search bookings")
async def search_bookings(
    ctx: Context,
    listing_id: Annotated[int | None, Field(ge=1, description="Only this listing.")] = None,
    status: Annotated[
        list[BookingStatus] | None,
        Field(
            max_length=16, description="Only these statuses; confirmed bookings are new/modified."
        ),
    ] = None,
    arrival_from: OptionalDate = None,
    arrival_to: OptionalDate = None,
    departure_from: OptionalDate = None,
    departure_to: OptionalDate = None,
    guest_name: Annotated[ShortText, Field(description="Part of the guest's name.")] = None,
    guest_email: Annotated[ShortText, Field(description="The guest's exact email.")] = None,
    channel: Annotated[
        ShortText,
        Field(description="airbnb, booking.com, vrbo, direct, expedia, google… or a channel id."),
    ] = None,
    limit: Annotated[int, Field(ge=1, le=200, description="Bookings per page.")] = 50,
    cursor: Cursor = None,
) -> BookingList:
    """Find bookings (reservations) by property, status, arrival/departure dates (inclusive),
    guest name or email, or channel. Most recently updated first."""
    return await bookings.search_bookings(
        _gateway(ctx),
        listing_id=listing_id,
        statuses=list(status) if status else None,
        arrival_from=arrival_from,
        arrival_to=arrival_to,
        departure_from=departure_from,
        departure_to=departure_to,
        guest_name=guest_name,
        guest_email=guest_email,
        channel=channel,
        limit=limit,
        cursor=cursor,
        progress=_progress(ctx),
    )


@read_tool("Booking details")
async def get_booking_details(
    ctx: Context, reservation_id: ReservationId, include_access_codes: IncludeAccessCodes = False
) -> BookingDetails:
    """One booking in full: dates and times, guest counts and contact, money breakdown (total,
    taxes, cleaning fee, commission, paid), codes, notes, cancellation."""
    return await bookings.get_booking_details(
        _gateway(ctx), reservation_id, include_access_codes=include_access_codes
    )


@read_tool("Guest info")
async def get_guest_info(ctx: Context, reservation_id: ReservationId) -> GuestInfo:
    """Who is the guest of a booking: name, contact, location, language, party, guest portal link,
    and their earlier confirmed stays with you (matched by email)."""
    return await bookings.get_guest_info(_gateway(ctx), reservation_id)


@read_tool("Arrivals and departures")
async def get_arrivals_and_departures(
    ctx: Context,
    start_date: Annotated[
        date | None, Field(description="First day, YYYY-MM-DD; default today.")
    ] = None,
    days: Annotated[int, Field(ge=1, le=31, description="How many days from start_date.")] = 1,
    listing_id: Annotated[int | None, Field(ge=1, description="Only this listing.")] = None,
) -> ArrivalsDepartures:
    """Who arrives and who leaves, day by day, and which properties turn over (a departure and an
    arrival the same day). Counts confirmed bookings and owner stays."""
    return await bookings.get_arrivals_and_departures(
        _gateway(ctx),
        start_date=start_date or date.today(),
        days=days,
        listing_id=listing_id,
        progress=_progress(ctx),
    )


# ---- the server ------------------------------------------------------------------------------


def demo_settings(settings: Settings) -> Settings:
    """Demo mode talks to the built-in simulator with its own credentials."""
    from .sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    return replace(
        settings,
        demo=True,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        base_url=DEMO_BASE_URL,
    )


def make_client(settings: Settings) -> HostawayClient:
    if not settings.demo:
        return HostawayClient(settings)
    from .sandbox import Sandbox  # only demo mode needs the simulator

    # The same client stack (auth, limiter, retries, pagination) over an in-process transport.
    return HostawayClient(settings, transport=Sandbox().transport())


def build_server(
    settings: Settings,
    config_error: str | None = None,
    *,
    client_factory: Callable[[Settings], HostawayClient] | None = None,
) -> MCPServer[AppState]:
    """The MCP server for these settings. A config error still starts a server: every tool then
    answers with the error, so the user reads it in their chat instead of a log file.
    ``client_factory`` lets tests supply the client (e.g. over a sandbox with fault knobs)."""
    if settings.demo:
        settings = demo_settings(settings)
    new_client = client_factory or make_client

    @asynccontextmanager
    async def lifespan(_: MCPServer[AppState]) -> AsyncIterator[AppState]:
        state = AppState(settings=settings, config_error=config_error)
        if config_error is None:
            state.client = new_client(settings)
        try:
            yield state
        finally:
            if state.client is not None:
                await state.client.aclose()

    server: MCPServer[AppState] = MCPServer(
        "hostaway",
        title="Hostaway",
        version=__version__,
        instructions=server_instructions(settings),
        lifespan=lifespan,
    )
    for fn, title in _READ_TOOLS:
        server.add_tool(
            _wrap(fn),
            name=fn.__name__,
            title=title,
            description=fn.__doc__,
            annotations=_annotations(title),
        )
    return server
