"""Generate the demo listings: five cities, varied layouts, house rules and (secret) access details."""

from __future__ import annotations

import random
import string
from typing import Any

from .catalog import (
    ADJECTIVES,
    CANCELLATION_POLICIES,
    CITIES,
    FIRST_LISTING_ID,
    LAYOUTS,
    MANAGER,
    VIEWS,
    City,
    Layout,
)
from .shapes import LISTING_KEYS, blank

AMENITIES = {
    1: "fast Wi-Fi",
    2: "air conditioning",
    3: "heating",
    4: "fully equipped kitchen",
    5: "washing machine",
    6: "dishwasher",
    7: "coffee machine",
    8: "smart TV",
    9: "dedicated workspace",
    10: "hair dryer",
    11: "iron",
    12: "elevator",
    13: "free parking",
    14: "balcony",
    15: "pool",
    16: "crib on request",
    17: "self check-in",
    18: "bed linen and towels",
}
ESSENTIALS = (1, 3, 4, 10, 17, 18)
LOCKS = ("Nuki", "Yale", "August", "Igloohome")


def _description(city: City, layout: Layout, neighbourhood: str, amenities: list[str]) -> str:
    if layout.bedrooms:
        bedroom_text = f"{layout.bedrooms} bedroom{'s' if layout.bedrooms > 1 else ''}"
    else:
        bedroom_text = "an open-plan sleeping area"
    bathrooms = layout.bathrooms
    kind = " ".join(word if word[0].isdigit() else word.lower() for word in layout.kind.split())
    return (
        f"Welcome to our {kind} in {neighbourhood}, one of {city.name}'s most "
        f"loved neighbourhoods. The space has {bedroom_text}, {layout.beds} "
        f"bed{'s' if layout.beds > 1 else ''} and {bathrooms:g} bathroom"
        f"{'s' if bathrooms > 1 else ''}, sleeping up to {layout.capacity} guests "
        f"across {layout.square_meters} m².\n\n"
        f"Guests love the natural light, the comfortable beds and the quiet street: it is easy to "
        f"feel at home after a long day exploring {city.name}. You will find "
        f"{', '.join(amenities[:-1])} and {amenities[-1]}.\n\n"
        f"The neighbourhood is full of cafés, bakeries and small restaurants; public transport "
        f"is a five-minute walk away and the main sights are within 20 minutes. We are happy to "
        f"recommend our favourite places and can arrange airport transfers on request.\n\n"
        f"Check-in is self-service with a lockbox or smart lock; detailed instructions are sent "
        f"before arrival."
    )


def _house_rules(check_in: int, check_out: int, pets: bool, layout: Layout) -> str:
    rules = [
        "No smoking anywhere inside the property.",
        "No parties or events; please respect the neighbours.",
        "Quiet hours from 22:00 to 08:00.",
        "Pets are welcome (max 2), please tell us in advance."
        if pets
        else "Sorry, no pets allowed.",
        f"Check-in from {check_in}:00, check-out by {check_out}:00.",
        f"Maximum {layout.capacity} guests; visitors are not allowed overnight.",
        "Please separate recycling and turn off the air conditioning when you go out.",
        "Lost keys are charged at the replacement cost.",
    ]
    return "\n".join(rules)


def _listing(rng: random.Random, index: int, city: City, ordinal: int) -> dict[str, Any]:
    layout = LAYOUTS[(index * 3 + rng.randint(0, 2)) % len(LAYOUTS)]
    neighbourhood = city.neighbourhoods[ordinal % len(city.neighbourhoods)]
    street = f"{rng.choice(city.streets)} {rng.randint(2, 180)}"
    zipcode = rng.choice(city.zipcodes)
    listing_id = FIRST_LISTING_ID + index
    name = f"{rng.choice(ADJECTIVES)} {layout.kind} in {neighbourhood} {rng.choice(VIEWS)}"
    amenity_ids = sorted(set(ESSENTIALS) | set(rng.sample(sorted(AMENITIES), 7)))
    amenity_names = [AMENITIES[amenity] for amenity in amenity_ids]
    check_in = rng.choice((14, 15, 15, 16))
    check_out = rng.choice((10, 11, 11, 12))
    pets = rng.random() < 0.3
    policy = rng.choice(("flexible", "moderate", "moderate", "strict"))
    base = rng.randint(*city.base_price) * layout.price_factor
    description = _description(city, layout, neighbourhood, amenity_names)
    alphabet = string.ascii_letters + string.digits
    short_code = city.name[:3].upper()

    listing = blank(LISTING_KEYS)
    listing.update(
        id=listing_id,
        propertyTypeId=layout.property_type_id,
        name=name,
        externalListingName=name,
        internalListingName=f"{short_code}-{ordinal + 1:02d} {neighbourhood} {layout.kind}",
        description=description,
        houseRules=_house_rules(check_in, check_out, pets, layout),
        keyPickup=rng.choice(
            (
                "Keys are in the lockbox to the left of the main door; the lockbox code is the "
                "door security code.",
                "Smart lock on the apartment door: enter the door security code followed by #.",
                "Collect the keys from the café on the ground floor (open 8:00-20:00) and ask "
                "for the Sandbox Stays envelope.",
            )
        ),
        specialInstruction=f"Ring bell {rng.randint(1, 5)}{rng.choice('ABCD')} for the "
        f"building door. The apartment is on floor {rng.randint(0, 5)}. "
        f"Spare towels are in the hallway closet.",
        doorSecurityCode="".join(rng.choices(string.digits, k=rng.choice((4, 6)))),
        country=city.country,
        countryCode=city.country_code,
        state=city.state,
        city=city.name,
        street=street,
        address=f"{street}, {city.name}, {city.state} {zipcode}, {city.country}",
        publicAddress=f"{neighbourhood}, {city.name}, {city.country}",
        zipcode=zipcode,
        price=float(round(base)),
        starRating=rng.choice((4.0, 4.5, 4.5, 5.0)),
        weeklyDiscount=rng.choice((None, 0.95, 0.9)),
        monthlyDiscount=rng.choice((None, 0.85, 0.8)),
        guestBathroomsNumber=int(layout.bathrooms),
        refundableDamageDeposit=float(rng.choice((0, 150, 200)) + 100 * (layout.bedrooms > 2)),
        personCapacity=layout.capacity,
        maxPetsAllowed=2 if pets else 0,
        lat=round(city.lat + rng.uniform(-0.02, 0.02), 5),
        lng=round(city.lng + rng.uniform(-0.02, 0.02), 5),
        checkInTimeStart=check_in,
        checkInTimeEnd=rng.choice((20, 22, 23)),
        checkOutTime=check_out,
        cancellationPolicy=policy,
        cancellationPolicyId=CANCELLATION_POLICIES[policy],
        squareMeters=layout.square_meters,
        roomType=layout.room_type,
        bathroomType="shared" if layout.room_type == "private_room" else "private",
        bedroomsNumber=layout.bedrooms,
        bedsNumber=layout.beds,
        bedType="real_bed",
        bathroomsNumber=layout.bathrooms,
        minNights=1 if layout.room_type == "private_room" else rng.choice((1, 2, 2, 3)),
        maxNights=rng.choice((365, 1125)),
        guestsIncluded=layout.guests_included,
        cleaningFee=float(25 + 15 * layout.bedrooms + rng.randint(0, 3) * 5),
        priceForExtraPerson=float(rng.choice((15, 20, 25)))
        if layout.capacity > layout.guests_included
        else 0.0,
        instantBookable=rng.choice((0, 1, 1)),
        instantBookableLeadTime=1,
        allowSameDayBooking=1,
        sameDayBookingLeadTime=14,
        contactName=MANAGER[1],
        contactSurName=MANAGER[2],
        contactPhone1=MANAGER[4],
        contactLanguage="en",
        contactEmail=MANAGER[3],
        contactAddress="Rua Augusta 100, 1100-053 Lisboa, Portugal",
        language="en",
        currencyCode=city.currency,
        timeZoneName=city.time_zone,
        wifiUsername=f"{neighbourhood.replace(' ', '')}-Stay-{ordinal + 1}",
        wifiPassword="".join(rng.choices(alphabet, k=12)),
        cleaningInstruction="Fresh linen and towels are in the hallway closet; restock coffee "
        "and toilet paper from the supply box under the sink.",
        homeawayPropertyName=name,
        homeawayPropertyHeadline=f"{name} - sleeps {layout.capacity}",
        homeawayPropertyDescription=description,
        bookingcomPropertyName=name,
        bookingcomPropertyDescription=description,
        invoicingContactName=MANAGER[1],
        invoicingContactSurName=MANAGER[2],
        invoicingContactPhone1=MANAGER[4],
        invoicingContactLanguage="en",
        invoicingContactEmail=MANAGER[3],
        invoicingContactAddress="Rua Augusta 100",
        invoicingContactCity="Lisbon",
        invoicingContactZipcode="1100-053",
        invoicingContactCountry="PT",
        isRentalAgreementActive=False,
        bookingcomPropertyRegisteredInVcs=False,
        bookingcomPropertyHasVat=False,
        bookingcomPropertyDeclaresRevenue=False,
        airbnbName="",
        airbnbSummary="",
        insuranceEligibilityStatus=False,
        listingAmenities=[
            {"id": listing_id * 100 + n, "amenityId": amenity}
            for n, amenity in enumerate(amenity_ids)
        ],
        listingBedTypes=[
            {"id": listing_id * 10 + 1, "bedTypeId": 1, "quantity": max(1, layout.bedrooms)},
            *(
                [{"id": listing_id * 10 + 2, "bedTypeId": 4, "quantity": 1}]
                if layout.beds > max(1, layout.bedrooms)
                else []
            ),
        ],
        listingImages=[
            {
                "id": listing_id * 100 + n,
                "caption": caption,
                "url": f"https://images.sandbox.example.com/listings/{listing_id}/{n}.jpg",
                "sortOrder": n,
            }
            for n, caption in enumerate(
                ("Living room", "Bedroom", "Kitchen", "Bathroom", "View", "Entrance")[
                    : rng.randint(4, 6)
                ],
                start=1,
            )
        ],
        customFieldValues=[],
    )
    if city.country_code == "PT":
        listing.update(
            propertyLicenseNumber=f"{rng.randint(10000, 149999)}/AL",
            propertyLicenseType="Alojamento Local",
            propertyLicenseIssueDate=f"20{rng.randint(17, 23)}-0{rng.randint(1, 9)}-15",
        )
    elif city.name == "Austin":
        listing.update(
            propertyLicenseNumber=f"OL-{rng.randint(2019, 2024)}-{rng.randint(10000, 99999)}",
            propertyLicenseType="STR Type 2",
        )
    return listing


def generate_listings(rng: random.Random, count: int | None = None) -> list[dict[str, Any]]:
    """The portfolio: each city's usual number of listings, or ``count`` listings spread over the
    cities in the same proportions (for bigger benchmark portfolios)."""
    if count is None:
        plan = [(city, ordinal) for city in CITIES for ordinal in range(city.listings)]
    else:
        per_city = [0] * len(CITIES)
        plan = []
        for index in range(count):
            city_index = index % len(CITIES)
            plan.append((CITIES[city_index], per_city[city_index]))
            per_city[city_index] += 1
    return [_listing(rng, index, city, ordinal) for index, (city, ordinal) in enumerate(plan)]


def lock_vendor(listing: dict[str, Any]) -> str | None:
    """Every other listing has a smart lock whose per-stay code goes on the reservation."""
    return LOCKS[listing["id"] % len(LOCKS)] if listing["id"] % 2 == 0 else None
