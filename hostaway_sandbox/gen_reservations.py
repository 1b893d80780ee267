"""Turn planned stays into Hostaway reservation objects with consistent money, dates and guests."""

from __future__ import annotations

import random
import string
from datetime import date, datetime, time, timedelta
from typing import Any

from .catalog import ACCOUNT_ID, CHANNEL_COMMISSION, CHANNELS, LIVE_STATUSES, OWNERS
from .gen_guests import Guest, GuestBook
from .gen_listings import lock_vendor
from .gen_stays import Stay
from .pricing import Quote, quote, rule_price
from .shapes import FINANCE_FIELD_KEYS, RESERVATION_KEYS, blank, fmt_dt

FIRST_RESERVATION_ID = 2_400_001
LEAD_DAYS = (1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 120)
EU_CHANNELS = ((2018, 45), (2005, 30), (2002, 7), (2000, 18))
US_CHANNELS = ((2018, 45), (2005, 10), (2002, 25), (2000, 20))
GUEST_NOTES = (
    "We will arrive late, around 22:00.",
    "Travelling with a baby: is a crib available?",
    "Celebrating our anniversary!",
    "Could we leave our luggage after check-out?",
    "Arriving by car, is there parking nearby?",
)
REFUND_RULES = {
    "flexible": (100, -86400),
    "moderate": (100, -432000),
    "strict": (50, -604800),
}


def cancellation_details(policy: str, channel_id: int) -> dict[str, Any]:
    refund, delta = REFUND_RULES[policy]
    return {
        "name": policy.title(),
        "channelId": channel_id,
        "channelSpecificCode": policy,
        "longTerm": False,
        "cancellationPolicyItem": [
            {
                "refundAmount": refund,
                "refundType": "percentage",
                "refundField": "totalPrice",
                "timeDelta": delta,
                "event": "arrival",
            }
        ],
    }


def finance_fields(priced: Quote, first_id: int) -> list[dict[str, Any]]:
    parts = [("price", "baseRate", "Base rate", priced.base_rate)]
    if priced.extra_person:
        parts.append(("fee", "priceForExtraPerson", "Price for extra person", priced.extra_person))
    parts.append(("fee", "cleaningFee", "Cleaning fee", priced.cleaning_fee))
    parts.append(("tax", priced.tax_name, priced.tax_title, priced.tax))
    fields = []
    for offset, (kind, name, title, value) in enumerate(parts):
        field = blank(FINANCE_FIELD_KEYS)
        field.update(
            id=first_id + offset,
            units=1,
            type=kind,
            name=name,
            title=title,
            value=value,
            isIncludedInTotalPrice=1,
            isOverriddenByUser=0,
            isQuantitySelectable=0,
            isDeleted=0,
            total=value,
        )
        fields.append(field)
    return fields


def apply_financials(reservation: dict[str, Any], listing: dict[str, Any], priced: Quote) -> None:
    """Set price fields from a quote: totalPrice = base + extra guests + cleaning + tax."""
    channel_id = reservation["channelId"]
    commission_base = priced.base_rate + priced.extra_person + priced.cleaning_fee
    commission = round(commission_base * CHANNEL_COMMISSION.get(channel_id, 0.0), 2)
    reservation.update(
        totalPrice=priced.total,
        taxAmount=priced.tax,
        cleaningFee=priced.cleaning_fee,
        channelCommissionAmount=commission if commission else None,
        financeField=finance_fields(priced, reservation["id"] * 10 if reservation["id"] else 0),
    )
    if channel_id == 2018:
        reservation.update(
            airbnbExpectedPayoutAmount=round(priced.total - commission, 2),
            airbnbListingBasePrice=priced.base_rate,
            airbnbListingCleaningFee=priced.cleaning_fee,
            airbnbListingHostFee=commission,
            airbnbTotalPaidAmount=priced.total,
            airbnbCancellationPolicy=listing["cancellationPolicy"],
        )


def _timeline(
    rng: random.Random, stay: Stay, today: date, now: datetime
) -> tuple[datetime, datetime]:
    """(reservationDate, updatedOn), both before ``now``."""
    booked_day = stay.arrival - timedelta(days=rng.choice(LEAD_DAYS))
    if booked_day > today:
        booked_day = today - timedelta(days=rng.randint(0, 20))
    booked = datetime.combine(booked_day, time(rng.randint(7, 23), rng.randint(0, 59)))
    booked = min(booked, now - timedelta(minutes=rng.randint(30, 900)))
    if stay.departure <= today:
        updated = datetime.combine(stay.departure, time(rng.randint(9, 20), rng.randint(0, 59)))
        updated += timedelta(days=rng.randint(0, 2))
    else:
        updated = booked + (now - booked) * rng.random()
    updated = max(booked, min(updated, now - timedelta(minutes=rng.randint(5, 600))))
    return booked, updated.replace(microsecond=0)


def _channel_identity(rng: random.Random, reservation: dict[str, Any], listing_id: int) -> None:
    channel_id = reservation["channelId"]
    code = "".join(rng.choices(string.ascii_uppercase + string.digits, k=8))
    if channel_id == 2018:
        external = "HM" + code
        reservation.update(
            confirmationCode=external,
            guestExternalAccountId=str(rng.randint(10**7, 10**9)),
            guestRecommendations=rng.randint(0, 12),
            guestTrips=rng.randint(1, 40),
            isGuestIdentityVerified=1,
            isGuestVerifiedByEmail=1,
            isGuestVerifiedByPhone=1,
        )
    elif channel_id == 2005:
        external = str(rng.randint(10**9, 10**10 - 1))
        reservation.update(
            confirmationCode=external,
            bookingcomSmokingPreference=0,
            bookingcomIsGeniusMember=rng.choice((0, 0, 1)),
            bookingcomBookerName=reservation["guestName"],
            bookingcomNoShowFeeWaived=False,
            bookingcomSpecialRequests={"remarks": rng.choice(GUEST_NOTES), "geniusFreebies": []}
            if rng.random() < 0.3
            else None,
        )
    elif channel_id == 2002:
        external = "HA-" + code[:7]
        reservation["confirmationCode"] = external
    else:
        external = f"{ACCOUNT_ID}-{listing_id}-{channel_id}-{rng.randint(10**9, 10**10 - 1)}"
    reservation["reservationId"] = external
    reservation["channelReservationId"] = external


def _set_guest(reservation: dict[str, Any], guest: Guest) -> None:
    reservation.update(
        guestName=guest.name,
        guestFirstName=guest.first_name,
        guestLastName=guest.last_name,
        guestEmail=guest.email,
        phone=guest.phone,
        guestCountry=guest.country,
        guestCity=guest.city,
        guestLocale=guest.locale,
    )


def _party(rng: random.Random, capacity: int) -> dict[str, Any]:
    guests = min(capacity, rng.choice((1, 2, 2, 2, 2, 3, 4, 4, 5, 6)))
    children = rng.choice((0, 0, 0, 1, 2)) if guests > 2 else 0
    return {"numberOfGuests": guests, "adults": guests - children, "children": children}


def build_reservation(
    rng: random.Random, stay: Stay, guests: GuestBook, today: date, now: datetime
) -> dict[str, Any]:
    listing = stay.listing
    owner_stay = stay.status == "ownerStay"
    weights = EU_CHANNELS if listing["currencyCode"] != "USD" else US_CHANNELS
    channels, shares = [c for c, _ in weights], [w for _, w in weights]
    channel_id = 2000 if owner_stay else rng.choices(channels, weights=shares)[0]
    booked, updated = _timeline(rng, stay, today, now)
    reservation = blank(RESERVATION_KEYS)
    reservation.update(
        id=0,
        listingMapId=listing["id"],
        listingName=listing["name"],
        channelId=channel_id,
        channelName=CHANNELS[channel_id][0],
        source=CHANNELS[channel_id][1],
        isProcessed=1,
        isInitial=0,
        isManuallyChecked=0,
        isInstantBooked=int(channel_id == 2018 and listing["instantBookable"] == 1),
        hasPullError=0,
        reservationDate=fmt_dt(booked),
        arrivalDate=stay.arrival.isoformat(),
        departureDate=stay.departure.isoformat(),
        nights=stay.nights,
        isDatesUnspecified=0,
        currency=listing["currencyCode"],
        status=stay.status,
        isStarred=int(rng.random() < 0.03),
        isArchived=0,
        isPinned=0,
        customFieldValues=[],
        financeField=[],
        cancellationPolicyId=listing["cancellationPolicyId"],
        cancellationPolicy=listing["cancellationPolicy"],
        insertedOn=fmt_dt(booked),
        updatedOn=fmt_dt(updated),
        latestActivityOn=fmt_dt(updated),
        hostProxyEmail=f"c-{rng.getrandbits(64):016x}@host.sandbox.example.com",
        **_party(rng, int(listing["personCapacity"])),
    )
    if owner_stay:
        portfolio = next(o for o in OWNERS if listing["city"] in o[1])
        reservation.update(
            guestName=f"{portfolio[2]} {portfolio[3]}",
            guestFirstName=portfolio[2],
            guestLastName=portfolio[3],
            guestEmail=f"{portfolio[2].lower()}.{portfolio[3].lower()}@owners.example.com",
            totalPrice=0.0,
            reservationId=f"{ACCOUNT_ID}-{listing['id']}-2000-{rng.randint(10**9, 10**10 - 1)}",
            hostNote="Owner stay: no cleaning fee, no payout.",
        )
        reservation["channelReservationId"] = reservation["reservationId"]
        return reservation

    guest = guests.pick()
    _set_guest(reservation, guest)
    _channel_identity(rng, reservation, listing["id"])
    priced = quote(
        listing,
        stay.arrival,
        stay.departure,
        reservation["numberOfGuests"],
        lambda day: rule_price(listing, day),
    )
    apply_financials(reservation, listing, priced)
    arrived = stay.arrival <= today
    is_paid: int | None = None if channel_id == 2018 else int(arrived or rng.random() < 0.6)
    reservation.update(
        isPaid=is_paid,
        remainingBalance=0.0 if is_paid in (None, 1) else reservation["totalPrice"],
        paymentMethod=rng.choice(("credit card", "bank transfer")) if channel_id == 2000 else None,
        securityDepositFee=(listing["refundableDamageDeposit"] or None)
        if channel_id == 2000
        else None,
        reservationAgreement="signed" if channel_id == 2000 and arrived else None,
        cancellationPolicyDetails=cancellation_details(listing["cancellationPolicy"], channel_id),
        checkInTime=rng.choice((listing["checkInTimeStart"],) * 7 + (13, None)),
        checkOutTime=rng.choice((listing["checkOutTime"],) * 7 + (12, None)),
        guestNote=rng.choice(GUEST_NOTES) if rng.random() < 0.2 else None,
        hostNote="Returning guest: stayed with us before." if guest.stays > 1 else None,
    )
    vendor = lock_vendor(listing)
    if vendor and stay.status in LIVE_STATUSES:
        reservation.update(
            doorCode=f"{rng.randint(1000, 9999)}#",
            doorCodeVendor=vendor,
            doorCodeInstruction="Enter the code on the keypad; it works from check-in time "
            "until check-out.",
        )
    if stay.status == "modified":
        reservation.update(
            previousArrivalDate=(stay.arrival - timedelta(days=1)).isoformat(),
            previousDepartureDate=(stay.departure - timedelta(days=1)).isoformat(),
        )
    elif stay.status == "cancelled":
        cancelled = min(updated, datetime.combine(stay.arrival, time(9, 0)))
        cancelled = max(cancelled, booked)
        reservation.update(
            cancellationDate=fmt_dt(cancelled),
            cancelledBy=rng.choice(("guest", "guest", "guest", "host")),
            updatedOn=fmt_dt(cancelled),
            latestActivityOn=fmt_dt(cancelled),
            isPaid=0,
            remainingBalance=0.0,
            doorCode=None,
        )
    elif stay.status not in LIVE_STATUSES:  # inquiries, declined, expired: nothing was paid
        reservation.update(isPaid=None, remainingBalance=None, paymentMethod=None)
        if stay.status == "expired":
            reservation["pendingExpireDate"] = fmt_dt(booked + timedelta(hours=24))
    return reservation


def assign_ids(reservations: list[dict[str, Any]]) -> None:
    """Ids follow booking order, as they would in a real account."""
    reservations.sort(key=lambda r: (r["reservationDate"], r["listingMapId"], r["arrivalDate"]))
    for offset, reservation in enumerate(reservations):
        reservation["id"] = FIRST_RESERVATION_ID + offset
        reservation["hostawayReservationId"] = reservation["id"]
        for position, field in enumerate(reservation["financeField"]):
            field["id"] = reservation["id"] * 10 + position
