"""The views in a real browser (Debian's Chromium), inside a test host that speaks the MCP Apps
bridge: what a person sees, and what the view asks the host to do."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import OpenView, Recorded, ViewPage, fixture, tool_result

pytestmark = pytest.mark.browser

XSS = '<img src=x onerror="window.__pwned=1">'


def money(value: float, currency: str) -> str:
    """The tool's number as the views print it in en-US: grouping, two decimals, the code after."""
    return f"{value:,.2f} {currency}"


def box(locator: Any) -> dict[str, float]:
    found: dict[str, float] | None = locator.bounding_box()
    assert found is not None, "not rendered"
    return found


def columns_covered(view: ViewPage, element: Any) -> list[int]:
    """1-based day columns whose centre lies inside the element, read off the header cells."""
    bar = box(element)
    covered = []
    for index, header in enumerate(view.view.locator(".hd").all(), start=1):
        cell = box(header)
        centre = cell["x"] + cell["width"] / 2
        if bar["x"] <= centre <= bar["x"] + bar["width"]:
            covered.append(index)
    return covered


def row(view: ViewPage, listing_name: str) -> Any:
    return view.view.locator(f'.row[aria-label="{listing_name}"]')


def stay(view: ViewPage, reservation_id: int) -> Any:
    return view.view.locator(f'button.stay[data-reservation-id="{reservation_id}"]')


def pseudo(locator: Any, which: str) -> str:
    """The generated text (CSS content) of an element's ::before or ::after."""
    content: str = locator.evaluate(f"el => getComputedStyle(el, '{which}').content")
    return content


def luminance(css_color: str) -> float:
    red, green, blue = (
        int(part) for part in css_color[css_color.index("(") + 1 : -1].split(",")[:3]
    )
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


ALFAMA = "Renovated Studio in Alfama near the Old Town"
BAIRRO_ALTO = "Historic 3BR House in Bairro Alto with Pool"
MOURARIA = "Airy 3BR House in Mouraria with Workspace"
HYDE_PARK = "Airy 4BR Villa in Hyde Park with Workspace"
COCONUT_GROVE = "Stylish 1BR Apartment in Coconut Grove by the Park"


# ---- calendar -----------------------------------------------------------------------------------


@pytest.fixture
def calendar(open_view: OpenView) -> ViewPage:
    view = open_view(
        "calendar",
        tool_result(fixture("calendar")),
        responses={"get_booking_details": tool_result(fixture("booking_details"))},
    )
    expect(view.view.locator("button.stay")).to_have_count(12)
    return view


def test_calendar_draws_each_stay_over_its_nights_in_its_row(calendar: ViewPage) -> None:
    ana = stay(calendar, 2400101)  # arrives on day 3 for 2 nights
    expect(ana).to_have_text("Ana Silva")
    assert columns_covered(calendar, ana) == [3, 4]
    name_cell = box(row(calendar, ALFAMA).locator(".name"))
    bar = box(ana)
    assert name_cell["y"] <= bar["y"] + bar["height"] / 2 <= name_cell["y"] + name_cell["height"]
    # The fenced guest name is read from stay.untrusted.guest_name.
    expect(stay(calendar, 2400102)).to_have_text("Zoe Clarke")
    assert columns_covered(calendar, stay(calendar, 2400102)) == [7, 8, 9]
    expect(stay(calendar, 2400102)).to_have_attribute("aria-label", re.compile(r"booking\.com"))
    expect(stay(calendar, 2400603)).to_have_text("Guest")  # no name given
    expect(stay(calendar, 2400604)).to_have_text("Sam O'Neil & family")
    # Each channel has its own glyph besides its colour.
    assert pseudo(ana, "::before") == '"● "'
    assert pseudo(stay(calendar, 2400102), "::before") == '"■ "'


def test_calendar_clips_stays_that_run_past_the_window(calendar: ViewPage) -> None:
    marco = stay(calendar, 2400104)  # 12-12 to 12-19, the window ends after 12-14
    assert columns_covered(calendar, marco) == [12, 13, 14]
    expect(marco).to_have_class(re.compile(r"\bclip-end\b"))
    assert pseudo(marco, "::after") == '"▸"'
    expect(marco).to_have_attribute("aria-label", re.compile("continues after it"))
    long_stay = stay(calendar, 2400301)  # 11-25 to 12-20: both ends outside
    assert columns_covered(calendar, long_stay) == list(range(1, 15))
    expect(long_stay).to_have_class(re.compile(r"clip-start.*clip-end"))
    expect(long_stay).to_have_attribute("aria-label", re.compile("began before this window"))
    assert pseudo(long_stay, "::before") == '"◂ ● "'
    assert pseudo(long_stay, "::after") == '"▸"'


def test_calendar_shades_blocks_and_owner_stays_and_marks_gaps(calendar: ViewPage) -> None:
    alfama, hyde_park = row(calendar, ALFAMA), row(calendar, HYDE_PARK)
    assert columns_covered(calendar, alfama.locator(".blk")) == [10, 11]
    assert columns_covered(calendar, hyde_park.locator(".blk")) == [1, 2, 3]
    expect(hyde_park.locator(".blk")).to_have_text("Blocked")
    expect(hyde_park.locator(".blk")).to_have_attribute("aria-label", re.compile("^Blocked"))
    assert "repeating-linear-gradient" in hyde_park.locator(".blk").evaluate(
        "el => getComputedStyle(el).backgroundImage"
    )
    assert columns_covered(calendar, alfama.locator(".own")) == [1]  # 11-28 to 12-02, clipped
    assert columns_covered(calendar, hyde_park.locator(".own")) == [10, 11, 12]
    expect(hyde_park.locator(".own")).to_have_text("Owner")
    expect(hyde_park.locator(".own")).to_have_attribute("aria-label", re.compile("^Owner stay"))
    assert columns_covered(calendar, alfama.locator(".gap")) == [5, 6]
    expect(alfama.locator(".gap")).to_have_text("2n gap")
    assert columns_covered(calendar, hyde_park.locator(".gap")) == [7, 8, 9]
    expect(hyde_park.locator(".gap")).to_have_attribute(
        "aria-label", re.compile("Orphan gap, 3 nights")
    )
    lena = stay(calendar, 2400202)
    expect(lena).to_have_class(re.compile(r"\btentative\b"))
    expect(lena.locator(".status")).to_have_text(" · pending")
    empty = row(calendar, "Quiet 4BR Villa in Wynwood with Garden")
    expect(empty.locator(".stay")).to_have_count(0)


def test_calendar_draws_the_today_line_in_todays_column(calendar: ViewPage) -> None:
    today = calendar.view.locator('.hd[data-date="2026-12-02"]')
    expect(today).to_have_class(re.compile(r"\bis-today\b"))
    line, column = box(calendar.view.locator(".today-line")), box(today)
    assert (
        column["x"] - 1.5 <= line["x"]
        and line["x"] + line["width"] <= column["x"] + column["width"]
    )
    grid_rows = box(calendar.view.locator(".row .name").last)
    # The line runs down through the last row.
    assert line["y"] + line["height"] >= grid_rows["y"] + grid_rows["height"] - 1


def test_calendar_legend_names_every_channel_and_mark(calendar: ViewPage) -> None:
    legend = calendar.view.locator(".legend li")
    for name in ["airbnb", "booking.com", "direct", "expedia", "google", "vrbo"]:
        expect(legend.filter(has_text=name)).to_have_count(1)
    for mark in ["Blocked", "Owner stay", "Orphan gap", "Not confirmed", "Today"]:
        expect(legend.filter(has_text=mark)).to_have_count(1)


def test_calendar_inserts_a_guest_name_as_text_never_as_html(
    open_view: OpenView,
) -> None:
    booking = fixture("booking_details") | {"id": 2400201, "guest_name": XSS}
    view = open_view(
        "calendar",
        tool_result(fixture("calendar")),
        responses={"get_booking_details": tool_result(booking)},
    )
    bar = stay(view, 2400201)
    expect(bar).to_have_text(XSS)
    bar.click()
    expect(view.view.locator("#details h2")).to_have_text(XSS + " · booking 2400201")
    expect(view.view.locator("img")).to_have_count(0)
    assert view.frame.evaluate("typeof window.__pwned") == "undefined"
    assert view.page.evaluate("typeof window.__pwned") == "undefined"


def test_clicking_or_entering_a_stay_asks_the_host_for_its_booking(calendar: ViewPage) -> None:
    stay(calendar, 2400101).click()
    details = calendar.view.locator("#details")
    expect(details.locator("h2")).to_have_text("Omar Oliveira · booking 2400101")
    expect(details).to_contain_text("949.20 USD")
    assert calendar.tool_calls() == [
        {"name": "get_booking_details", "arguments": {"reservation_id": 2400101}}
    ]
    # Keyboard: the arrow keys move to the next stay in the row, Enter opens it.
    calendar.page.keyboard.press("ArrowRight")
    expect(stay(calendar, 2400102)).to_be_focused()
    assert stay(calendar, 2400102).evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    calendar.page.keyboard.press("Enter")
    calendar.page.wait_for_function("host.toolCalls.length === 2")
    assert calendar.tool_calls()[1]["arguments"] == {"reservation_id": 2400102}
    calendar.page.keyboard.press("ArrowDown")  # nearest stay in the next row
    expect(stay(calendar, 2400202)).to_be_focused()
    calendar.page.keyboard.press("Escape")
    expect(details).to_be_hidden()


def test_calendar_waits_for_data_then_draws_it(open_view: OpenView) -> None:
    view = open_view("calendar", None, tool_input={"start_date": "2026-12-01", "days": 14})
    expect(view.view.locator(".state")).to_have_text(
        "Waiting for the calendar from Tue, Dec 1, 2026…"
    )
    view.page.evaluate("result => host.sendResult(result)", tool_result(fixture("calendar")))
    expect(view.view.locator("button.stay")).to_have_count(12)


def test_every_view_says_it_is_waiting_until_a_result_arrives(open_view: OpenView) -> None:
    for name in ("calendar", "report", "approve"):
        view = open_view(name, None)
        expect(view.view.locator(".state")).to_have_text("Waiting for data…")


def big_calendar(listings: int = 500, days: int = 62) -> dict[str, Any]:
    """A dense, deterministic calendar: every night of every row is a stay, owner stay or gap."""
    start = date(2026, 12, 1)
    channels = ["airbnb", "booking.com", "vrbo", "expedia", "direct", "google"]
    rows = []
    reservation_id = 3_000_000
    for i in range(listings):
        stays, owner_stays, gaps = [], [], []
        day, k = -(i % 4), 0
        while day < days:
            nights = 2 + (i + k) % 5
            arrival = start + timedelta(days=day)
            departure = arrival + timedelta(days=nights)
            reservation_id += 1
            span = {
                "reservation_id": reservation_id,
                "arrival_date": arrival.isoformat(),
                "departure_date": departure.isoformat(),
            }
            if k % 7 == 6:
                owner_stays.append(span)
            else:
                stays.append(
                    span
                    | {
                        "guest_name": f"Guest {i}-{k}",
                        "channel": channels[(i + k) % len(channels)],
                        "status": "new",
                    }
                )
            free = (i + k) % 3
            if free:
                end = departure + timedelta(days=free)
                gaps.append(
                    {
                        "start_date": departure.isoformat(),
                        "end_date": end.isoformat(),
                        "nights": free,
                    }
                )
            day += nights + free
            k += 1
        run = {
            "start_date": (start + timedelta(days=20)).isoformat(),
            "end_date": (start + timedelta(days=23)).isoformat(),
            "nights": 3,
        }
        blocked = [run] if i % 10 == 0 else []
        rows.append(
            {
                "id": 50_000 + i,
                "name": f"Property {i:03d}",
                "city": "Lisbon",
                "stays": stays,
                "owner_stays": owner_stays,
                "blocked": blocked,
                "gaps": gaps,
            }
        )
    return {"start_date": start.isoformat(), "days": days, "today": "2026-12-02", "listings": rows}


def test_500_properties_by_62_nights_render_quickly_and_scroll(open_view: OpenView) -> None:
    data = big_calendar()
    view = open_view("calendar", tool_result(data))
    view.frame.wait_for_function("document.body.dataset.renderMs !== undefined", timeout=15_000)
    render_ms = float(view.frame.evaluate("document.body.dataset.renderMs"))
    assert render_ms < 2000, f"first render took {render_ms} ms"
    in_window = sum(
        1
        for listing in data["listings"]
        for s in listing["stays"]
        if s["arrival_date"] < "2027-02-01" and s["departure_date"] > "2026-12-01"
    )
    expect(view.view.locator("button.stay")).to_have_count(in_window)
    # Scroll to the last property: its row shows, and the date header stays on top.
    scroller = view.view.locator(".cal-scroll")
    scroller.evaluate("el => { el.scrollTop = el.scrollHeight; el.scrollLeft = el.scrollWidth; }")
    last = view.view.locator('.row[aria-label="Property 499"] .name')
    expect(last).to_be_in_viewport()
    header, top = box(view.view.locator(".hd").last), box(scroller)
    assert abs(header["y"] - top["y"]) <= 2, "the date row scrolled away"
    assert abs(box(last)["x"] - top["x"]) <= 2, "the property column scrolled away"


# ---- the calendar fed a real show_calendar result -------------------------------------------------

D = date.fromisoformat
CONFIRMED = {"new", "modified"}


def raw_booking(recorded: Recorded, chosen: Any) -> dict[str, Any]:
    """The first confirmed booking of the sandbox (by property name, then arrival) that passes
    ``chosen(arrival, departure, window_start, window_end)``."""
    store = recorded.sandbox.store
    start = D(recorded.arguments["calendar"]["start_date"])
    end = start + timedelta(days=recorded.arguments["calendar"]["days"])
    rows = sorted(
        (r for r in store.reservations if r["status"] in CONFIRMED),
        key=lambda r: (store.listing(r["listingMapId"])["name"].lower(), r["arrivalDate"]),
    )
    return next(r for r in rows if chosen(D(r["arrivalDate"]), D(r["departureDate"]), start, end))


def expected_columns(recorded: Recorded, booking: dict[str, Any]) -> list[int]:
    """1-based day columns of the booking's nights inside the window."""
    start = D(recorded.arguments["calendar"]["start_date"])
    days = recorded.arguments["calendar"]["days"]
    nights = range((D(booking["departureDate"]) - D(booking["arrivalDate"])).days)
    offsets = ((D(booking["arrivalDate"]) - start).days + n for n in nights)
    return [offset + 1 for offset in offsets if 0 <= offset < days]


def test_a_real_calendar_draws_a_sandbox_booking_in_its_row_and_cells(
    open_view: OpenView, recorded: Recorded
) -> None:
    # Picked from the sandbox's own data, not from the tool's answer: a booking inside the window.
    picked = raw_booking(
        recorded,
        lambda a, d, start, end: (
            a >= start + timedelta(days=2) and d <= end - timedelta(days=2) and (d - a).days >= 2
        ),
    )
    details = recorded.booking(picked["id"])
    view = open_view(
        "calendar",
        recorded.results["calendar"],
        responses={"get_booking_details": details},
    )
    data = recorded.data("calendar")
    expect(view.view.locator(".row")).to_have_count(len(data["listings"]))
    expect(view.view.locator("button.stay")).to_have_count(
        sum(len(listing["stays"]) for listing in data["listings"])
    )
    home = recorded.sandbox.store.listing(picked["listingMapId"])["name"]
    bar = row(view, home).locator(f'button.stay[data-reservation-id="{picked["id"]}"]')
    expect(bar).to_have_text(picked["guestName"])
    assert columns_covered(view, bar) == expected_columns(recorded, picked)
    name_cell = box(row(view, home).locator(".name"))
    middle = box(bar)["y"] + box(bar)["height"] / 2
    assert name_cell["y"] <= middle <= name_cell["y"] + name_cell["height"]
    bar.click()
    expect(view.view.locator("#details h2")).to_have_text(
        f"{picked['guestName']} · booking {picked['id']}"
    )
    assert view.tool_calls() == [
        {"name": "get_booking_details", "arguments": {"reservation_id": picked["id"]}}
    ]


def test_a_real_calendar_clips_a_sandbox_stay_that_began_before_the_window(
    open_view: OpenView, recorded: Recorded
) -> None:
    picked = raw_booking(recorded, lambda a, d, start, end: a < start < d)
    view = open_view("calendar", recorded.results["calendar"])
    home = recorded.sandbox.store.listing(picked["listingMapId"])["name"]
    bar = row(view, home).locator(f'button.stay[data-reservation-id="{picked["id"]}"]')
    assert columns_covered(view, bar) == expected_columns(recorded, picked)
    assert columns_covered(view, bar)[0] == 1
    expect(bar).to_have_class(re.compile(r"\bclip-start\b"))
    expect(bar).to_have_attribute("aria-label", re.compile("began before this window"))


def test_a_real_calendar_draws_every_block_owner_stay_and_gap_it_was_given(
    open_view: OpenView, recorded: Recorded
) -> None:
    data = recorded.data("calendar")
    view = open_view("calendar", recorded.results["calendar"])
    start, days = D(data["start_date"]), data["days"]

    def cells(first: str, stop: str) -> list[int]:
        lo = max((D(first) - start).days, 0)
        hi = min((D(stop) - start).days, days)
        return list(range(lo + 1, hi + 1))

    marks = 0
    for listing in data["listings"]:
        lane = row(view, listing["name"])
        for kind, css, first, stop in (
            ("blocked", ".blk", "start_date", "end_date"),
            ("gaps", ".gap", "start_date", "end_date"),
            ("owner_stays", ".own", "arrival_date", "departure_date"),
        ):
            drawn = lane.locator(css)
            expect(drawn).to_have_count(len(listing[kind]))
            for index, item in enumerate(listing[kind]):
                assert columns_covered(view, drawn.nth(index)) == cells(item[first], item[stop])
                marks += 1
    assert marks > 0  # the window has blocks or gaps to draw
    today = view.view.locator(f'.hd[data-date="{data["today"]}"]')
    expect(today).to_have_class(re.compile(r"\bis-today\b"))


# ---- report -------------------------------------------------------------------------------------


REVENUE = [
    ("fixture", "revenue_month"),
    ("fixture", "revenue_channel"),
    ("fixture", "revenue_listing"),
    ("recorded", "revenue_month"),  # real results, from the sandbox in this run
    ("recorded", "revenue_channel"),
]


@pytest.mark.parametrize(("source", "name"), REVENUE)
def test_revenue_report_shows_the_tools_totals_per_currency_never_added(
    open_view: OpenView, recorded: Recorded, source: str, name: str
) -> None:
    result = tool_result(fixture(name)) if source == "fixture" else recorded.results[name]
    data = result["structuredContent"]
    view = open_view("report", result, flexible_height=True)
    sections = view.view.locator("section.currency")
    expect(sections).to_have_count(len(data["currency_totals"]))
    for total in data["currency_totals"]:
        currency = total["currency"]
        section = view.view.locator(f'section.currency[data-currency="{currency}"]')
        stats = section.locator(".stat dd")
        expect(stats.nth(0)).to_have_text(money(total["revenue"], currency))
        expect(stats.nth(1)).to_have_text(f"{total['booked_nights']:,}")
        expect(stats.nth(2)).to_have_text(f"{total['bookings']:,}")
        expect(stats.nth(3)).to_have_text(money(total["adr"], currency))
        groups = [g for g in data["groups"] if g["currency"] == currency]
        expect(section.locator(".bar-label")).to_have_text([g["label"] for g in groups])
        expect(section.locator(".bar-value")).to_have_text(
            [money(g["revenue"], currency) for g in groups]
        )
        for amount in section.locator(".stat dd, .bar-value").all_text_contents():
            assert not amount[-3:].isalpha() or amount.endswith(currency)
    # No number anywhere is the sum of revenues across currencies.
    text = view.view.locator("body").inner_text()
    cross_total = sum(t["revenue"] for t in data["currency_totals"])
    assert f"{cross_total:,.2f}" not in text
    assert f"{round(cross_total):,}" not in text


def test_occupancy_report_shows_rates_adr_and_orphan_gaps(open_view: OpenView) -> None:
    data = fixture("occupancy")
    view = open_view("report", tool_result(data), flexible_height=True)
    for portfolio in data["portfolio"]:
        section = view.view.locator(f'section.currency[data-currency="{portfolio["currency"]}"]')
        expect(section.locator(".stat dd").first).to_have_text(f"{portfolio['occupancy_rate']:.2%}")
        expect(section).to_contain_text(money(portfolio["revpar"], portfolio["currency"]))
    rows = view.view.locator("table.listings tbody tr")
    expect(rows).to_have_count(len(data["listings"]))
    first = data["listings"][0]
    cells = view.view.locator(f'tr[data-listing-id="{first["listing_id"]}"] > *')
    expect(cells).to_have_text(
        [
            first["name"],
            "76.67%",
            money(first["adr"], first["currency"]),
            money(first["revpar"], first["currency"]),
            money(first["revenue"], first["currency"]),
            f"{first['booked_nights']} / {first['available_nights']}",
            str(first["gap_count"]),
        ]
    )
    gaps = view.view.locator(f'.gaps > li[data-listing-id="{first["listing_id"]}"] li')
    expect(gaps).to_have_text(
        [
            "Sun, Nov 8 → Tue, Nov 10 · 2 nights",
            "Mon, Nov 16 → Thu, Nov 19 · 3 nights",
            "Thu, Nov 26 → Sat, Nov 28 · 2 nights",
        ]
    )


def percent(rate: float | None) -> str:
    """The tool's rate as the views print it in en-US: up to two decimals of a percent."""
    if rate is None:
        return "—"
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"


def money_or_dash(value: float | None, currency: str) -> str:
    return "—" if value is None else money(value, currency)


def test_a_real_occupancy_report_shows_the_tools_numbers(
    open_view: OpenView, recorded: Recorded
) -> None:
    data = recorded.data("occupancy")
    view = open_view("report", recorded.results["occupancy"], flexible_height=True)
    for portfolio in data["portfolio"]:
        currency = portfolio["currency"]
        stats = view.view.locator(f'section.currency[data-currency="{currency}"] .stat dd')
        expect(stats).to_have_text(
            [
                percent(portfolio["occupancy_rate"]),
                money_or_dash(portfolio["adr"], currency),
                money_or_dash(portfolio["revpar"], currency),
                money(portfolio["revenue"], currency),
                f"{portfolio['booked_nights']:,} / {portfolio['available_nights']:,}",
                f"{portfolio['owner_nights']:,}",
                f"{portfolio['blocked_nights']:,}",
                f"{portfolio['gap_night_count']:,}",
            ]
        )
    expect(view.view.locator("table.listings tbody tr")).to_have_count(len(data["listings"]))
    for listing in data["listings"]:
        currency = listing["currency"]
        cells = view.view.locator(f'tr[data-listing-id="{listing["listing_id"]}"] > *')
        expect(cells).to_have_text(
            [
                listing["name"],
                percent(listing["occupancy_rate"]),
                money_or_dash(listing["adr"], currency),
                money_or_dash(listing["revpar"], currency),
                money(listing["revenue"], currency),
                f"{listing['booked_nights']} / {listing['available_nights']}",
                str(listing["gap_count"]),
            ]
        )


def test_occupancy_report_says_when_gaps_were_condensed(open_view: OpenView) -> None:
    data = copy.deepcopy(fixture("occupancy"))
    first = data["listings"][0]
    first["gap_nights"] = first["gap_nights"][:1]
    data["gaps_condensed"] = True
    view = open_view("report", tool_result(data), flexible_height=True)
    expect(
        view.view.locator(f'.gaps > li[data-listing-id="{first["listing_id"]}"] li')
    ).to_have_text(["Sun, Nov 8 → Tue, Nov 10 · 2 nights", "2 more not listed"])
    expect(view.view.locator(".notes")).to_contain_text("Only the orphan gaps nearest today")


def test_report_shows_a_tool_error_as_text(open_view: OpenView) -> None:
    error = {
        "isError": True,
        "content": [{"type": "text", "text": "end_date must be after <b>start</b>"}],
    }
    view = open_view("report", error, flexible_height=True)
    expect(view.view.locator(".state.error")).to_have_text("end_date must be after <b>start</b>")


# ---- theme and screenshots ----------------------------------------------------------------------


# Every view is screenshotted with the real results recorded in this run (the approval card: a
# real update_booking preview; its own tests are in test_approval_card.py).
SCREENS = {
    "calendar": ("calendar", (1100, 560), False),
    "report": ("revenue_month", (1000, 600), True),
    "approve": ("approve_booking", (760, 420), True),
}


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_views_follow_the_host_theme_and_fonts(
    open_view: OpenView, recorded: Recorded, name: str, theme: str
) -> None:
    data, size, flexible = SCREENS[name]
    result = recorded.results[data]
    shown = None
    if name == "calendar":  # show a booking's summary too: the first stay of the first row
        shown = next(
            s for listing in recorded.data("calendar")["listings"] for s in listing["stays"]
        )
    responses = {"get_booking_details": recorded.booking(shown["reservation_id"])} if shown else {}
    view = open_view(
        name, result, theme=theme, size=size, flexible_height=flexible, responses=responses
    )
    expect(view.view.locator("h1")).to_be_visible()
    if shown is not None:
        stay(view, shown["reservation_id"]).click()
        expect(view.view.locator("#details h2")).to_have_text(
            f"{shown['untrusted']['guest_name']} · booking {shown['reservation_id']}"
        )
    body = view.view.locator("body")
    background = body.evaluate("el => getComputedStyle(el).backgroundColor")
    assert (luminance(background) > 0.8) if theme == "light" else (luminance(background) < 0.2)
    assert "Test Host Sans" in body.evaluate("el => getComputedStyle(el).fontFamily")
    view.screenshot(theme)


def test_views_follow_the_system_scheme_when_the_host_names_no_theme(open_view: OpenView) -> None:
    view = open_view(
        "report", tool_result(fixture("revenue_channel")), theme=None, flexible_height=True
    )
    view.page.emulate_media(color_scheme="dark")
    body = view.view.locator("body")
    expect(view.view.locator("h1")).to_be_visible()
    assert luminance(body.evaluate("el => getComputedStyle(el).backgroundColor")) < 0.2
    view.page.evaluate("host.setContext({theme: 'light'})")  # and a live switch from the host wins
    view.frame.wait_for_function("document.documentElement.dataset.theme === 'light'")
    assert luminance(body.evaluate("el => getComputedStyle(el).backgroundColor")) > 0.8
