"""Static reference data for the demo account: cities, channels, statuses and name pools."""

from __future__ import annotations

from dataclasses import dataclass

ACCOUNT_ID = 100001
FIRST_LISTING_ID = 40160


@dataclass(frozen=True)
class City:
    name: str
    state: str
    country: str
    country_code: str
    currency: str
    time_zone: str
    utc_offset: int  # standard offset in hours; the sandbox ignores daylight saving time
    language: str
    lat: float
    lng: float
    zipcodes: tuple[str, ...]
    streets: tuple[str, ...]
    neighbourhoods: tuple[str, ...]
    tax_name: str
    tax_title: str
    tax_rate: float
    month_factors: tuple[float, ...]  # January..December price multipliers
    base_price: tuple[int, int]  # nightly price range for a one-bedroom
    listings: int


CITIES: tuple[City, ...] = (
    City(
        "Lisbon", "Lisboa", "Portugal", "PT", "EUR", "Europe/Lisbon", 0, "pt", 38.7139, -9.1394,
        ("1100-148", "1200-369", "1250-096", "1170-165"),
        ("Rua da Rosa", "Rua dos Remédios", "Travessa do Almada", "Rua de São Bento", "Calçada do Combro"),
        ("Alfama", "Bairro Alto", "Príncipe Real", "Graça", "Mouraria", "Chiado"),
        "vat", "VAT / GST", 0.06,
        (0.8, 0.8, 0.9, 1.0, 1.1, 1.3, 1.4, 1.45, 1.25, 1.05, 0.85, 1.0),
        (85, 140), 6,
    ),
    City(
        "Porto", "Porto", "Portugal", "PT", "EUR", "Europe/Lisbon", 0, "pt", 41.1496, -8.6109,
        ("4050-253", "4000-322", "4150-562"),
        ("Rua das Flores", "Rua de Cedofeita", "Rua Miguel Bombarda", "Rua do Almada"),
        ("Ribeira", "Cedofeita", "Bonfim", "Foz do Douro", "Baixa"),
        "vat", "VAT / GST", 0.06,
        (0.75, 0.75, 0.85, 1.0, 1.1, 1.25, 1.35, 1.4, 1.2, 1.0, 0.8, 0.95),
        (70, 120), 5,
    ),
    City(
        "Austin", "TX", "United States", "US", "USD", "America/Chicago", -6, "en", 30.2672, -97.7431,
        ("78702", "78704", "78751", "78703"),
        ("East 6th Street", "South Congress Avenue", "Travis Heights Blvd", "East Cesar Chavez Street"),
        ("East Austin", "South Congress", "Travis Heights", "Zilker", "Hyde Park"),
        "lodgingTax", "Lodging tax", 0.17,
        (0.85, 0.9, 1.45, 1.15, 1.05, 1.0, 0.9, 0.9, 1.0, 1.35, 1.05, 0.9),
        (110, 170), 5,
    ),
    City(
        "Miami", "FL", "United States", "US", "USD", "America/New_York", -5, "en", 25.7617, -80.1918,
        ("33139", "33131", "33127", "33133"),
        ("Collins Avenue", "Ocean Drive", "Brickell Avenue", "NW 2nd Avenue"),
        ("South Beach", "Brickell", "Wynwood", "Coconut Grove"),
        "lodgingTax", "Lodging tax", 0.13,
        (1.35, 1.45, 1.4, 1.15, 0.95, 0.85, 0.9, 0.85, 0.8, 0.9, 1.0, 1.3),
        (120, 190), 5,
    ),
    City(
        "London", "England", "United Kingdom", "GB", "GBP", "Europe/London", 0, "en", 51.5072, -0.1276,
        ("E2 7RG", "W11 1LA", "NW1 8AB", "N1 2XF"),
        ("Columbia Road", "Portobello Road", "Camden High Street", "Upper Street"),
        ("Shoreditch", "Notting Hill", "Camden", "Islington"),
        "vat", "VAT / GST", 0.2,
        (0.85, 0.85, 0.95, 1.05, 1.1, 1.25, 1.3, 1.3, 1.1, 1.0, 0.95, 1.2),
        (110, 160), 3,
    ),
)  # fmt: skip
CITY_BY_NAME = {city.name: city for city in CITIES}


@dataclass(frozen=True)
class Layout:
    kind: str
    bedrooms: int
    bathrooms: float
    beds: int
    capacity: int
    guests_included: int
    square_meters: int
    price_factor: float
    room_type: str
    property_type_id: int


LAYOUTS: tuple[Layout, ...] = (
    Layout("Studio", 0, 1, 1, 2, 2, 32, 0.8, "entire_home", 1),
    Layout("1BR Apartment", 1, 1, 1, 2, 2, 48, 1.0, "entire_home", 1),
    Layout("1BR Loft", 1, 1, 2, 3, 2, 55, 1.1, "entire_home", 1),
    Layout("2BR Apartment", 2, 1, 2, 4, 2, 78, 1.45, "entire_home", 1),
    Layout("2BR Apartment", 2, 2, 3, 5, 4, 90, 1.6, "entire_home", 1),
    Layout("3BR House", 3, 2, 4, 6, 4, 130, 2.1, "entire_home", 2),
    Layout("4BR Villa", 4, 3.5, 5, 8, 6, 210, 3.0, "entire_home", 2),
    Layout("Private Room", 1, 1, 1, 2, 1, 18, 0.55, "private_room", 1),
)

ADJECTIVES = (
    "Sunny", "Charming", "Bright", "Cozy", "Stylish", "Quiet", "Spacious", "Modern",
    "Historic", "Elegant", "Airy", "Renovated",
)  # fmt: skip
VIEWS = (
    "with River View", "with Balcony", "near the Old Town", "with Rooftop Terrace",
    "by the Park", "with Workspace", "with Garden", "with Pool", "steps from Cafés",
)  # fmt: skip

# channelId -> (channelName, source)
CHANNELS: dict[int, tuple[str, str]] = {
    2000: ("direct", "reservation"),
    2002: ("homeaway", "homeawayApi"),
    2005: ("bookingcom", "bookingcom"),
    2018: ("airbnbOfficial", "airbnbOfficial"),
    2020: ("partner", "partner"),
}
BOOKABLE_CHANNELS = (2000, 2002, 2020)  # channels POST /reservations accepts
GENERATED_CHANNELS = (2018, 2005, 2002, 2000)
CHANNEL_COMMISSION = {2000: 0.0, 2002: 0.05, 2005: 0.15, 2018: 0.03, 2020: 0.1}

BLOCKING_STATUSES = frozenset({"new", "modified", "ownerStay"})
LIVE_STATUSES = frozenset({"new", "modified"})

CANCELLATION_POLICIES = {"flexible": 4010, "moderate": 4011, "strict": 4012}

FIRST_NAMES = (
    "Emma", "Liam", "Olivia", "Noah", "Sophie", "Lucas", "Mia", "Mateo", "Hannah", "Jonas",
    "Chloé", "Hugo", "Giulia", "Marco", "Inês", "Tiago", "Aisha", "Omar", "Yuki", "Kenji",
    "Priya", "Arjun", "Sarah", "David", "Laura", "Daniel", "Ana", "Pedro", "Zoe", "Ethan",
    "Isabel", "Felix", "Nora", "Leo", "Maya", "Samuel", "Elena", "Victor", "Grace", "Oscar",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Müller", "Schmidt", "Dubois", "Martin", "Rossi", "Bianchi", "Silva",
    "Santos", "Garcia", "Fernández", "Kowalski", "Nowak", "Jansen", "de Vries", "Tanaka",
    "Sato", "Patel", "Khan", "Brown", "Wilson", "O'Connor", "Murphy", "Andersen", "Larsen",
    "Costa", "Oliveira", "Nguyen", "Kim", "Cohen", "Levi", "Taylor", "Moore", "Clarke",
)  # fmt: skip
GUEST_COUNTRIES = (
    ("US", "en", "Chicago"), ("GB", "en", "Manchester"), ("DE", "de", "Berlin"),
    ("FR", "fr", "Lyon"), ("PT", "pt", "Coimbra"), ("ES", "es", "Valencia"),
    ("NL", "nl", "Utrecht"), ("BR", "pt", "São Paulo"), ("CA", "en", "Toronto"),
    ("IT", "it", "Milan"), ("AU", "en", "Melbourne"), ("IE", "en", "Dublin"),
)  # fmt: skip

# Property owners, one per portfolio; owner statements are issued per portfolio.
OWNERS = (
    ("Portugal portfolio", ("Lisbon", "Porto"), "Helena", "Vasconcelos"),
    ("US portfolio", ("Austin", "Miami"), "Robert", "Hayes"),
    ("London portfolio", ("London",), "Charlotte", "Pembroke"),
)
MANAGER = ("Sandbox Stays", "Marta", "Reis", "ops@sandbox-stays.example.com", "+351 210 000 000")

EXPENSE_CATEGORIES: dict[int, str] = {
    1: "Cleaning",
    2: "Maintenance",
    3: "Utilities",
    4: "Supplies",
    5: "Guest extras",
}
TASK_CATEGORIES = {
    1: "cleaning",
    2: "maintenance",
    3: "check-in",
    4: "check-out",
    5: "back office",
    6: "other",
}
