"""Internal models mapped once from raw Hostaway dicts. Nothing above this module reads a raw key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from .._values import (
    as_bool,
    as_date,
    as_datetime,
    as_float,
    as_int,
    as_str,
    money,
    percent_off,
)
from ..channels import channel_label

BLOCKING_STATUSES = frozenset({"new", "modified", "ownerStay"})
CONFIRMED_STATUSES = frozenset({"new", "modified"})


class AccessInfo(BaseModel):
    """Door codes, wifi and key instructions: shown only when explicitly asked for."""

    wifi_username: str | None = None
    wifi_password: str | None = None
    door_security_code: str | None = None
    key_pickup: str | None = None
    special_instruction: str | None = None
    door_code: str | None = None
    door_code_vendor: str | None = None
    door_code_instruction: str | None = None


class Listing(BaseModel):
    id: int
    name: str
    internal_name: str | None = None
    property_type_id: int | None = None
    room_type: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    country_code: str | None = None
    address: str | None = None
    zipcode: str | None = None
    lat: float | None = None
    lng: float | None = None
    bedrooms: int | None = None
    beds: int | None = None
    bathrooms: float | None = None
    guest_bathrooms: float | None = None
    max_guests: int | None = None
    guests_included: int | None = None
    square_meters: float | None = None
    base_price: float | None = None
    cleaning_fee: float | None = None
    extra_person_fee: float | None = None
    weekly_discount_percent: float | None = None
    monthly_discount_percent: float | None = None
    damage_deposit: float | None = None
    min_nights: int | None = None
    max_nights: int | None = None
    check_in_start: int | None = None
    check_in_end: int | None = None
    check_out: int | None = None
    cancellation_policy: str | None = None
    currency: str | None = None
    time_zone: str | None = None
    instant_bookable: bool | None = None
    description: str | None = None
    house_rules: str | None = None
    amenity_count: int = 0
    image_count: int = 0
    average_rating: float | None = None
    star_rating: float | None = None
    archived: bool = False
    access: AccessInfo = AccessInfo()

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Listing:
        return cls(
            id=as_int(raw.get("id")) or 0,
            name=as_str(raw.get("name")) or as_str(raw.get("internalListingName")) or "(unnamed)",
            internal_name=as_str(raw.get("internalListingName")),
            property_type_id=as_int(raw.get("propertyTypeId")),
            room_type=as_str(raw.get("roomType")),
            city=as_str(raw.get("city")),
            state=as_str(raw.get("state")),
            country=as_str(raw.get("country")),
            country_code=as_str(raw.get("countryCode")),
            address=as_str(raw.get("address")) or as_str(raw.get("publicAddress")),
            zipcode=as_str(raw.get("zipcode")),
            lat=as_float(raw.get("lat")),
            lng=as_float(raw.get("lng")),
            bedrooms=as_int(raw.get("bedroomsNumber")),
            beds=as_int(raw.get("bedsNumber")),
            bathrooms=as_float(raw.get("bathroomsNumber")),
            guest_bathrooms=as_float(raw.get("guestBathroomsNumber")),
            max_guests=as_int(raw.get("personCapacity")),
            guests_included=as_int(raw.get("guestsIncluded")),
            square_meters=as_float(raw.get("squareMeters")),
            base_price=money(raw.get("price")),
            cleaning_fee=money(raw.get("cleaningFee")),
            extra_person_fee=money(raw.get("priceForExtraPerson")),
            weekly_discount_percent=percent_off(raw.get("weeklyDiscount")),
            monthly_discount_percent=percent_off(raw.get("monthlyDiscount")),
            damage_deposit=money(raw.get("refundableDamageDeposit")),
            min_nights=as_int(raw.get("minNights")),
            max_nights=as_int(raw.get("maxNights")),
            check_in_start=as_int(raw.get("checkInTimeStart")),
            check_in_end=as_int(raw.get("checkInTimeEnd")),
            check_out=as_int(raw.get("checkOutTime")),
            cancellation_policy=as_str(raw.get("cancellationPolicy")),
            currency=as_str(raw.get("currencyCode")),
            time_zone=as_str(raw.get("timeZoneName")),
            instant_bookable=as_bool(raw.get("instantBookable")),
            description=as_str(raw.get("description")),
            house_rules=as_str(raw.get("houseRules")),
            amenity_count=len(raw.get("listingAmenities") or []),
            image_count=len(raw.get("listingImages") or []),
            average_rating=as_float(raw.get("averageReviewRating")),
            star_rating=as_float(raw.get("starRating")),
            archived=as_str(raw.get("specialStatus")) == "archived",
            access=AccessInfo(
                wifi_username=as_str(raw.get("wifiUsername")),
                wifi_password=as_str(raw.get("wifiPassword")),
                door_security_code=as_str(raw.get("doorSecurityCode")),
                key_pickup=as_str(raw.get("keyPickup")),
                special_instruction=as_str(raw.get("specialInstruction")),
            ),
        )


class CalendarDay(BaseModel):
    date: date
    available: bool
    status: str | None = None
    price: float | None = None
    min_stay: int | None = None
    max_stay: int | None = None
    closed_on_arrival: bool = False
    closed_on_departure: bool = False
    note: str | None = None

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> CalendarDay | None:
        day = as_date(raw.get("date"))
        if day is None:
            return None
        return cls(
            date=day,
            available=as_bool(raw.get("isAvailable")) is True,
            status=as_str(raw.get("status")),
            price=money(raw.get("price")),
            min_stay=as_int(raw.get("minimumStay")),
            max_stay=as_int(raw.get("maximumStay")),
            closed_on_arrival=as_bool(raw.get("closedOnArrival")) is True,
            closed_on_departure=as_bool(raw.get("closedOnDeparture")) is True,
            note=as_str(raw.get("note")),
        )


class Reservation(BaseModel):
    id: int
    listing_id: int | None = None
    listing_name: str | None = None
    channel_id: int | None = None
    channel: str | None = None
    channel_reservation_id: str | None = None
    confirmation_code: str | None = None
    status: str = "unknown"
    reservation_date: datetime | None = None
    arrival: date | None = None
    departure: date | None = None
    nights: int = 0
    check_in_time: int | None = None
    check_out_time: int | None = None
    guest_name: str | None = None
    guest_first_name: str | None = None
    guest_last_name: str | None = None
    guest_email: str | None = None
    phone: str | None = None
    guest_country: str | None = None
    guest_city: str | None = None
    guest_address: str | None = None
    guest_locale: str | None = None
    guests: int | None = None
    adults: int | None = None
    children: int | None = None
    infants: int | None = None
    pets: int | None = None
    total_price: float | None = None
    tax_amount: float | None = None
    cleaning_fee: float | None = None
    channel_commission: float | None = None
    hostaway_commission: float | None = None
    security_deposit: float | None = None
    currency: str | None = None
    is_paid: bool | None = None
    payment_status: str | None = None
    cancellation_date: datetime | None = None
    cancelled_by: str | None = None
    host_note: str | None = None
    guest_note: str | None = None
    comment: str | None = None
    guest_portal_url: str | None = None
    updated_on: datetime | None = None
    access: AccessInfo = AccessInfo()

    @property
    def blocks_calendar(self) -> bool:
        return self.status in BLOCKING_STATUSES

    @property
    def is_confirmed(self) -> bool:
        return self.status in CONFIRMED_STATUSES

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Reservation:
        arrival = as_date(raw.get("arrivalDate"))
        departure = as_date(raw.get("departureDate"))
        nights = as_int(raw.get("nights"))
        if arrival and departure and departure > arrival:
            nights = (departure - arrival).days
        channel_id = as_int(raw.get("channelId"))
        return cls(
            id=as_int(raw.get("id")) or as_int(raw.get("hostawayReservationId")) or 0,
            listing_id=as_int(raw.get("listingMapId")),
            listing_name=as_str(raw.get("listingName")),
            channel_id=channel_id,
            channel=channel_label(channel_id, as_str(raw.get("channelName"))),
            channel_reservation_id=as_str(raw.get("channelReservationId"))
            or as_str(raw.get("reservationId")),
            confirmation_code=as_str(raw.get("confirmationCode")),
            status=as_str(raw.get("status")) or "unknown",
            reservation_date=as_datetime(raw.get("reservationDate")),
            arrival=arrival,
            departure=departure,
            nights=nights or 0,
            check_in_time=as_int(raw.get("checkInTime")),
            check_out_time=as_int(raw.get("checkOutTime")),
            guest_name=as_str(raw.get("guestName"))
            or as_str(f"{raw.get('guestFirstName') or ''} {raw.get('guestLastName') or ''}"),
            guest_first_name=as_str(raw.get("guestFirstName")),
            guest_last_name=as_str(raw.get("guestLastName")),
            guest_email=as_str(raw.get("guestEmail")),
            phone=as_str(raw.get("phone")),
            guest_country=as_str(raw.get("guestCountry")),
            guest_city=as_str(raw.get("guestCity")),
            guest_address=as_str(raw.get("guestAddress")),
            guest_locale=as_str(raw.get("guestLocale")),
            guests=as_int(raw.get("numberOfGuests")),
            adults=as_int(raw.get("adults")),
            children=as_int(raw.get("children")),
            infants=as_int(raw.get("infants")),
            pets=as_int(raw.get("pets")),
            total_price=money(raw.get("totalPrice")),
            tax_amount=money(raw.get("taxAmount")),
            cleaning_fee=money(raw.get("cleaningFee")),
            channel_commission=money(raw.get("channelCommissionAmount")),
            hostaway_commission=money(raw.get("hostawayCommissionAmount")),
            security_deposit=money(raw.get("securityDepositFee")),
            currency=as_str(raw.get("currency")),
            is_paid=as_bool(raw.get("isPaid")),
            payment_status=as_str(raw.get("paymentStatus")),
            cancellation_date=as_datetime(raw.get("cancellationDate")),
            cancelled_by=as_str(raw.get("cancelledBy")),
            host_note=as_str(raw.get("hostNote")),
            guest_note=as_str(raw.get("guestNote")),
            comment=as_str(raw.get("comment")),
            guest_portal_url=as_str(raw.get("guestPortalUrl")),
            updated_on=as_datetime(raw.get("updatedOn")),
            access=AccessInfo(
                door_code=as_str(raw.get("doorCode")),
                door_code_vendor=as_str(raw.get("doorCodeVendor")),
                door_code_instruction=as_str(raw.get("doorCodeInstruction")),
            ),
        )


@dataclass(frozen=True, slots=True)
class Stay:
    """What the revenue and occupancy reports read of a reservation: small enough to hold tens
    of thousands at once (a `Reservation` is a few kilobytes)."""

    id: int
    listing_id: int | None
    listing_name: str | None
    status: str
    arrival: date | None
    departure: date | None
    reservation_date: datetime | None
    total_price: float | None
    currency: str | None
    channel: str | None

    @property
    def blocks_calendar(self) -> bool:
        return self.status in BLOCKING_STATUSES

    @property
    def is_confirmed(self) -> bool:
        return self.status in CONFIRMED_STATUSES

    @classmethod
    def of(cls, r: Reservation) -> Stay:
        return cls(
            id=r.id,
            listing_id=r.listing_id,
            listing_name=r.listing_name,
            status=r.status,
            arrival=r.arrival,
            departure=r.departure,
            reservation_date=r.reservation_date,
            total_price=r.total_price,
            currency=r.currency,
            channel=r.channel,
        )


class PriceComponent(BaseModel):
    name: str
    type: str | None = None
    amount: float | None = None
    included_in_total: bool = True


class PriceDetails(BaseModel):
    total_price: float | None = None
    components: list[PriceComponent] = []

    @classmethod
    def from_api(cls, raw: Any) -> PriceDetails:
        raw = raw if isinstance(raw, dict) else {}
        components = [
            PriceComponent(
                name=as_str(c.get("title")) or as_str(c.get("name")) or "component",
                type=as_str(c.get("type")),
                amount=money(c.get("total") if c.get("total") is not None else c.get("value")),
                included_in_total=as_bool(c.get("isIncludedInTotalPrice")) is not False,
            )
            for c in raw.get("components") or []
            if isinstance(c, dict) and as_bool(c.get("isDeleted")) is not True
        ]
        return cls(total_price=money(raw.get("totalPrice")), components=components)
