"""Output models for bookings (Hostaway reservations) and guests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar

from pydantic import Field

from ...hostaway import AccessInfo, Reservation
from ..fencing import NO_SECRETS, KnownSecrets, fence, scrub
from ..formatting import clock, shorten
from .common import CountedPage, FromStore, Output, Page, Untrusted, texts

NOTE_CHARS = 500


class BookingSummary(Output):
    id: int = Field(description="Hostaway reservation id.")
    listing_id: int | None
    listing_name: str | None
    arrival_date: date | None
    departure_date: date | None = Field(description="Check-out day.")
    nights: int
    guests: int | None
    status: str
    channel: str | None
    total_price: float | None
    currency: str | None
    is_paid: bool | None
    untrusted: Annotated[Untrusted | None, texts("guest_name")] = None  # as they typed it

    @classmethod
    def of(cls, r: Reservation, listing_name: str | None = None) -> BookingSummary:
        return cls(
            id=r.id,
            listing_id=r.listing_id,
            listing_name=r.listing_name or listing_name,
            arrival_date=r.arrival,
            departure_date=r.departure,
            nights=r.nights,
            guests=r.guests,
            status=r.status,
            channel=r.channel,
            total_price=r.total_price,
            currency=r.currency,
            is_paid=r.is_paid,
            untrusted=fence(guest_name=r.guest_name),
        )


class BookingList(CountedPage, FromStore):
    items_field: ClassVar[str] = "bookings"
    bookings: list[BookingSummary]
    filters_applied: list[str] = Field(
        description="Each filter and where it ran: by Hostaway, or here after fetching."
    )


class GuestCounts(Output):
    total: int | None
    adults: int | None
    children: int | None
    infants: int | None
    pets: int | None


class GuestContact(Output):
    email: str | None
    phone: str | None
    country: str | None
    locale: str | None


class Money(Output):
    currency: str | None
    total_price: float | None
    tax_amount: float | None
    cleaning_fee: float | None
    channel_commission: float | None
    hostaway_commission: float | None
    security_deposit: float | None
    is_paid: bool | None
    payment_status: str | None


class Cancellation(Output):
    cancelled_on: datetime | None
    cancelled_by: str | None


class BookingDetails(BookingSummary):
    untrusted: Annotated[Untrusted | None, texts("guest_name", "guest_note", "comment")] = None
    reservation_date: datetime | None = Field(description="When it was booked (UTC).")
    check_in_time: str | None = Field(description="Listing-local time, HH:MM.")
    check_out_time: str | None
    guest_counts: GuestCounts
    guest: GuestContact
    money: Money
    confirmation_code: str | None
    channel_reservation_id: str | None = Field(description="The channel's own booking id.")
    host_note: str | None
    cancellation: Cancellation | None
    access: AccessInfo | None = Field(
        default=None, description="Door code etc.; only with include_access_codes=true."
    )

    @classmethod
    def of_reservation(
        cls,
        r: Reservation,
        *,
        include_access_codes: bool,
        listing_name: str | None = None,
        secrets: KnownSecrets = NO_SECRETS,
    ) -> BookingDetails:
        """``secrets``: the codes to mask in the notes (none when access codes were asked for)."""
        summary = BookingSummary.of(r, listing_name)
        more = "ask for the booking in Hostaway for the full note"

        def note(text: str | None) -> str | None:
            return shorten(scrub(text, secrets), NOTE_CHARS, more)

        return cls(
            **summary.model_dump(exclude={"untrusted"}),
            reservation_date=r.reservation_date,
            check_in_time=clock(r.check_in_time),
            check_out_time=clock(r.check_out_time),
            guest_counts=GuestCounts(
                total=r.guests, adults=r.adults, children=r.children, infants=r.infants, pets=r.pets
            ),
            guest=GuestContact(
                email=r.guest_email,
                phone=r.phone,
                country=r.guest_country,
                locale=r.guest_locale,
            ),
            money=Money(
                currency=r.currency,
                total_price=r.total_price,
                tax_amount=r.tax_amount,
                cleaning_fee=r.cleaning_fee,
                channel_commission=r.channel_commission,
                hostaway_commission=r.hostaway_commission,
                security_deposit=r.security_deposit,
                is_paid=r.is_paid,
                payment_status=r.payment_status,
            ),
            confirmation_code=r.confirmation_code,
            channel_reservation_id=r.channel_reservation_id,
            host_note=note(r.host_note),
            untrusted=fence(
                guest_name=r.guest_name, guest_note=note(r.guest_note), comment=note(r.comment)
            ),
            cancellation=Cancellation(cancelled_on=r.cancellation_date, cancelled_by=r.cancelled_by)
            if r.status == "cancelled" or r.cancellation_date
            else None,
            access=r.access if include_access_codes else None,
        )


class PreviousStay(Output):
    reservation_id: int
    listing_id: int | None
    listing_name: str | None
    arrival_date: date | None
    departure_date: date | None
    nights: int


class GuestInfo(Output):
    reservation_id: int
    email: str | None
    phone: str | None
    country: str | None
    locale: str | None
    adults: int | None
    children: int | None
    infants: int | None
    pets: int | None
    guest_portal_url: str | None
    previous_stays: list[PreviousStay] = Field(
        description="Earlier confirmed stays with the same email (same account)."
    )
    untrusted: Annotated[
        Untrusted | None, texts("guest_name", "first_name", "last_name", "city")
    ] = None  # as the guest typed them


class DayMovements(Output):
    date: date
    arrival_count: int = Field(description="Arrivals this day in all (a long day spans pages).")
    departure_count: int = Field(description="Departures this day in all.")
    arrivals: list[BookingSummary]
    departures: list[BookingSummary]
    turnovers: list[int] = Field(
        description="Listing ids with a departure and an arrival on this day."
    )

    def movements(self) -> int:
        return len(self.arrivals) + len(self.departures)

    def first(self, keep: int) -> DayMovements:
        """The day with only its first ``keep`` movements (arrivals, then departures)."""
        return self.model_copy(
            update={
                "arrivals": self.arrivals[:keep],
                "departures": self.departures[: max(0, keep - len(self.arrivals))],
            }
        )

    def after(self, skip: int) -> DayMovements:
        """The day without its first ``skip`` movements (where the previous page stopped)."""
        return self.model_copy(
            update={
                "arrivals": self.arrivals[skip:],
                "departures": self.departures[max(0, skip - len(self.arrivals)) :],
            }
        )


class ArrivalsDepartures(Page, FromStore):
    """Day by day; the output budget (and `next_cursor`) may cut inside a day, between one
    movement and the next: on 500 properties one day's arrivals alone can fill an answer."""

    items_field: ClassVar[str] = "days"
    days: list[DayMovements]
    statuses_counted: list[str]

    def cut_units(self) -> int:
        return sum(day.movements() for day in self.days)

    def cut_to(self, keep: int) -> ArrivalsDepartures:
        days: list[DayMovements] = []
        left, more = keep, keep < self.cut_units()
        for day in self.days:
            if left == 0 and more:
                break  # the days after the last movement shown open the next page
            days.append(day.first(left) if day.movements() > left else day)
            left -= min(left, day.movements())
        cut = super().cut_to(keep)
        return cut.model_copy(update={"days": days})
