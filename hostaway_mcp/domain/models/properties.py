"""Output models for properties, availability and quotes."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

from ...hostaway import AccessInfo, Listing
from ..fencing import KnownSecrets
from ..formatting import clock, shorten
from .common import CountedPage, Cuttable, FromStore, FromStoreCalendar, Output

DETAIL_TEXT_CHARS = 600


class ConnectionStatus(Output):
    ok: bool
    account_id: str | None = Field(description="The Hostaway account id in use.")
    listings_total: int | None = Field(description="Listings on the account.")
    read_only: bool = Field(description="True when write tools are disabled.")
    demo: bool = Field(description="True when answering from the built-in simulated account.")
    api_base_url: str
    upstream_requests: int = Field(description="Requests sent to Hostaway since start.")
    sync_state: Literal["off", "syncing", "ready", "error"] = Field(
        default="off",
        description="The local copy of the account: off, syncing, ready or error "
        "(get_sync_status tells more).",
    )


class SyncCounts(Output):
    listings: int = 0
    reservations: int = 0
    calendar_nights: int = 0
    conversations: int = 0
    reviews: int = 0
    tasks: int = 0
    expenses: int = 0


class SyncReport(Output):
    state: Literal["off", "syncing", "ready", "error"] = Field(
        description="off (live answers only), syncing (the first copy is being made), ready, "
        "or error (answers fall back to live; see error)."
    )
    progress: float = Field(description="Share of the first copy done, 0 to 1.")
    counts: SyncCounts = Field(description="Rows in the local copy.")
    last_full_sync_at: datetime | None = Field(description="When the first copy finished (UTC).")
    last_refresh_at: datetime | None = Field(
        description="When bookings were last brought up to date (UTC)."
    )
    store_path: str | None = Field(description="The local database file.")
    error: str | None
    seconds_left: int | None = Field(
        default=None, description="About how long until the first copy is ready."
    )
    summary: str = Field(description="The state in one sentence.")


class PropertySummary(Output):
    id: int
    name: str
    city: str | None
    country_code: str | None
    bedrooms: int | None
    bathrooms: float | None
    max_guests: int | None
    base_price: float | None = Field(description="Default nightly price.")
    currency: str | None

    @classmethod
    def of(cls, listing: Listing) -> PropertySummary:
        return cls(
            id=listing.id,
            name=listing.name,
            city=listing.city,
            country_code=listing.country_code,
            bedrooms=listing.bedrooms,
            bathrooms=listing.bathrooms,
            max_guests=listing.max_guests,
            base_price=listing.base_price,
            currency=listing.currency,
        )


class PropertyList(CountedPage, FromStore):
    items_field: ClassVar[str] = "properties"
    properties: list[PropertySummary]


class Address(Output):
    street_address: str | None
    city: str | None
    state: str | None
    country: str | None
    country_code: str | None
    zipcode: str | None
    lat: float | None
    lng: float | None


class Capacity(Output):
    max_guests: int | None
    guests_included: int | None = Field(description="Guests covered by the base price.")
    bedrooms: int | None
    beds: int | None
    bathrooms: float | None
    guest_bathrooms: float | None
    room_type: str | None
    square_meters: float | None


class StayRules(Output):
    check_in_from: str | None = Field(description="Listing-local time, HH:MM.")
    check_in_until: str | None
    check_out_by: str | None
    min_nights: int | None
    max_nights: int | None
    cancellation_policy: str | None
    instant_bookable: bool | None
    house_rules: str | None


class Pricing(Output):
    currency: str | None
    base_price: float | None
    cleaning_fee: float | None
    extra_person_fee: float | None = Field(description="Per extra guest above guests_included.")
    weekly_discount_percent: float | None = Field(description="Percent off weekly stays.")
    monthly_discount_percent: float | None = Field(description="Percent off monthly stays.")
    damage_deposit: float | None


class PropertyDetails(Output):
    id: int
    name: str
    internal_name: str | None
    address: Address
    capacity: Capacity
    stay_rules: StayRules
    pricing: Pricing
    time_zone: str | None
    description: str | None
    amenity_count: int
    image_count: int
    average_review_rating: float | None = Field(description="Hostaway's average, 0-10.")
    archived: bool
    access: AccessInfo | None = Field(
        default=None, description="Door/wifi codes; only with include_access_codes=true."
    )

    @classmethod
    def of(
        cls, listing: Listing, *, include_access_codes: bool, full_text: bool
    ) -> PropertyDetails:
        more = "call get_property_details with full_text=true for all of it"
        # House rules and descriptions often spell out the wifi password or the key-box code.
        secrets = KnownSecrets() if include_access_codes else KnownSecrets.of([listing])

        def text(value: str | None) -> str | None:
            value = secrets.mask(value)
            return value if full_text else shorten(value, DETAIL_TEXT_CHARS, more)

        return cls(
            id=listing.id,
            name=listing.name,
            internal_name=listing.internal_name,
            address=Address(
                street_address=listing.address,
                city=listing.city,
                state=listing.state,
                country=listing.country,
                country_code=listing.country_code,
                zipcode=listing.zipcode,
                lat=listing.lat,
                lng=listing.lng,
            ),
            capacity=Capacity(
                max_guests=listing.max_guests,
                guests_included=listing.guests_included,
                bedrooms=listing.bedrooms,
                beds=listing.beds,
                bathrooms=listing.bathrooms,
                guest_bathrooms=listing.guest_bathrooms,
                room_type=listing.room_type,
                square_meters=listing.square_meters,
            ),
            stay_rules=StayRules(
                check_in_from=clock(listing.check_in_start),
                check_in_until=clock(listing.check_in_end),
                check_out_by=clock(listing.check_out),
                min_nights=listing.min_nights,
                max_nights=listing.max_nights,
                cancellation_policy=listing.cancellation_policy,
                instant_bookable=listing.instant_bookable,
                house_rules=text(listing.house_rules),
            ),
            pricing=Pricing(
                currency=listing.currency,
                base_price=listing.base_price,
                cleaning_fee=listing.cleaning_fee,
                extra_person_fee=listing.extra_person_fee,
                weekly_discount_percent=listing.weekly_discount_percent,
                monthly_discount_percent=listing.monthly_discount_percent,
                damage_deposit=listing.damage_deposit,
            ),
            time_zone=listing.time_zone,
            description=text(listing.description),
            amenity_count=listing.amenity_count,
            image_count=listing.image_count,
            average_review_rating=listing.average_rating,
            archived=listing.archived,
            access=listing.access if include_access_codes else None,
        )


class NightDetail(Output):
    date: date
    available: bool
    status: str | None
    price: float | None
    min_stay: int | None


class Availability(Cuttable):
    items_field: ClassVar[str] = "nights_detail"
    listing_id: int
    start_date: date
    end_date: date = Field(description="Check-out day (not a night).")
    nights: int
    available: bool = Field(
        description="Every night is bookable and the stay meets the arrival night's rules."
    )
    reasons: list[str] = Field(description="Why the stay is not bookable (empty when it is).")
    unavailable_dates: list[date]
    total_nightly_price: float | None = Field(
        description="Sum of the nightly prices (no fees or taxes; see get_price_quote)."
    )
    currency: str | None
    nights_detail: list[NightDetail]


class AvailableProperty(Output):
    id: int
    name: str
    city: str | None
    bedrooms: int | None
    max_guests: int | None
    total_nightly_price: float | None
    currency: str | None


class AvailableProperties(Cuttable, FromStoreCalendar):
    items_field: ClassVar[str] = "properties"
    start_date: date
    end_date: date
    nights: int
    guests: int | None
    properties: list[AvailableProperty]
    candidates_checked: int = Field(description="Listings whose calendars were checked.")
    candidates_total: int = Field(description="Listings that passed Hostaway's pre-filter.")
    complete: bool = Field(
        description="False when `limit` was reached before every candidate was checked."
    )


class QuoteComponent(Output):
    name: str
    type: str | None = Field(description="price, fee, tax or discount.")
    amount: float | None
    included_in_total: bool


class PriceQuote(Output):
    listing_id: int
    start_date: date
    end_date: date
    guests: int
    bookable: bool = Field(
        description="The stay can be booked: nights free, stay rules met, party fits, not past."
    )
    reasons: list[str] = Field(description="Why it cannot be booked (empty when it can).")
    total_price: float | None = Field(description="Hostaway's price, even when not bookable.")
    currency: str | None
    components: list[QuoteComponent]
