"""Browser harness for the MCP Apps views: Debian's Chromium driven by Playwright (never a downloaded
browser), one browser for all the browser tests, one page per test, each view loaded by host.html."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import Client
from mcp.client.extension import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID

from hostaway_sandbox import Sandbox
from tests.support.accounts import demo_account
from tests.support.servers import demo_server as sandbox_server

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
FIXTURES = HERE / "fixtures"
VIEWS = ROOT / "hostaway_mcp" / "ui"
HOST_PAGE = HERE / "host.html"
# The browser tests take every screenshot; they land in docs/ only when asked
# (HOSTAWAY_UPDATE_SCREENSHOTS=1), so a test run never leaves the checkout changed.
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs the views in headless Chromium")


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def tool_result(data: dict[str, Any]) -> dict[str, Any]:
    """A CallToolResult as this server sends it: the JSON as text, and as structuredContent."""
    return {"content": [{"type": "text", "text": json.dumps(data)}], "structuredContent": data}


# ---- real tool results, recorded from the demo sandbox in the test run ----------------------------

# The day the fixtures were recorded. The sandbox is pinned to it so that the data, the assertions
# and the screenshots are the same on every run.
SANDBOX_TODAY = date(2026, 12, 2)
CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "calendar": ("show_calendar", {"start_date": "2026-12-01", "days": 14}),
    "revenue_month": (
        "get_revenue_report",
        {"start_date": "2026-07-01", "end_date": "2026-12-01", "group_by": "month"},
    ),
    "revenue_channel": (
        "get_revenue_report",
        {"start_date": "2026-11-01", "end_date": "2026-12-01", "group_by": "channel"},
    ),
    "occupancy": ("get_occupancy_report", {"start_date": "2026-11-01", "end_date": "2026-12-01"}),
}


DIRECT = 2000  # Hostaway's channel id of direct bookings
# Approvals are issued "at" this instant in every run, so a preview's expires_at (which the card
# shows) and the screenshots stay the same; nothing expires while the tests run.
APPROVALS_ISSUED_AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
# What the previewed message says: line breaks, and characters that would be markup in HTML.
MESSAGE = (
    "Hi! Check-in is from 15:00; the key box is left of the door.\n"
    "Parking: space 4. See you Friday <3 — & welcome"
)


def writable(sandbox: Sandbox) -> Any:
    """The server as the approval card's tests need it: writes on, approvals on a pinned clock."""
    return sandbox_server(sandbox, read_only=False, approval_clock=lambda: APPROVALS_ISSUED_AT)


def apps_client(server: Any) -> Client:
    """A client that negotiated MCP Apps, as a host that draws the views does."""
    return Client(server, extensions=[advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})])


def upcoming_conversation(sandbox: Sandbox, skip: int = 0) -> dict[str, Any]:
    """A guest arriving after the sandbox's today, on a confirmed booking from a booking site (a
    channel inbox to write to), ``skip`` others on."""
    today = sandbox.today.isoformat()
    upcoming = [
        c
        for c in sorted(sandbox.store.conversations, key=lambda c: c["Reservation"]["arrivalDate"])
        if c["Reservation"]["arrivalDate"] > today
        and c["Reservation"]["status"] == "new"
        and c["Reservation"]["channelId"] != DIRECT
    ]
    return upcoming[skip]


def free_nights(sandbox: Sandbox, nights: int, after: int = 40) -> tuple[int, date]:
    """The first listing and night, ``after`` days from the sandbox's today or later, whose next
    ``nights`` nights are all available."""
    for listing in sandbox.store.listings:
        first = sandbox.today + timedelta(days=after)
        for _ in range(60):
            days = [first + timedelta(days=i) for i in range(nights)]
            if all(sandbox.store.calendar_day(listing["id"], d)["isAvailable"] for d in days):
                return listing["id"], first
            first += timedelta(days=1)
    raise AssertionError("no free nights in the demo account")


def roomy_booking(sandbox: Sandbox) -> dict[str, Any]:
    """The first upcoming booking (as `upcoming_conversation` orders them) with room for one
    more guest."""
    for skip in range(len(sandbox.store.conversations)):
        booking = sandbox.store.reservation(upcoming_conversation(sandbox, skip)["reservationId"])
        if (
            sandbox.store.listing(booking["listingMapId"])["personCapacity"]
            > booking["numberOfGuests"]
        ):
            return booking
    raise AssertionError("no upcoming booking with room for one more guest")


def preview_calls(sandbox: Sandbox) -> dict[str, tuple[str, dict[str, Any]]]:
    """Write previews the approval card draws: a guest message, a calendar change, a booking
    change."""
    listing_id, first = free_nights(sandbox, 3)
    booking = roomy_booking(sandbox)
    return {
        "approve_booking": (
            "update_booking",
            {
                "reservation_id": booking["id"],
                "guests": booking["numberOfGuests"] + 1,
                "host_note": "Champagne in the fridge on arrival",
            },
        ),
        "approve_message": (
            "send_guest_message",
            {"conversation_id": upcoming_conversation(sandbox)["id"], "body": MESSAGE},
        ),
        "approve_calendar": (
            "update_calendar",
            {
                "listing_id": listing_id,
                "start_date": first.isoformat(),
                "end_date": (first + timedelta(days=3)).isoformat(),
                "price": 189.5,
                "min_stay": 3,
                "note": "Painters in the hallway",
            },
        ),
    }


@dataclass
class Recorded:
    """Tool results exactly as an MCP client received them from the server over the sandbox."""

    sandbox: Sandbox
    results: dict[str, dict[str, Any]]
    arguments: dict[str, dict[str, Any]]

    def data(self, name: str) -> dict[str, Any]:
        structured: dict[str, Any] = self.results[name]["structuredContent"]
        return structured

    def booking(self, reservation_id: int) -> dict[str, Any]:
        """get_booking_details, called now (a view asks for it when a stay is clicked)."""
        return call_tools(
            self.sandbox, {"booking": ("get_booking_details", {"reservation_id": reservation_id})}
        )["booking"]


def call_tools(
    sandbox: Sandbox, calls: dict[str, tuple[str, dict[str, Any]]], server: Any = None
) -> dict[str, dict[str, Any]]:
    """Each call through the in-memory MCP client of a host with Apps, on a thread of its own:
    Playwright's sync API owns this thread's event loop while the browser runs."""
    results: dict[str, dict[str, Any]] = {}

    async def run() -> None:
        async with apps_client(server or sandbox_server(sandbox)) as client:
            for name, (tool, arguments) in calls.items():
                result = await client.call_tool(tool, arguments)
                assert not result.is_error, result.content
                results[name] = result.model_dump(by_alias=True, mode="json", exclude_none=True)

    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(anyio.run, run).result()
    return results


@pytest.fixture(scope="module")
def recorded() -> Recorded:
    sandbox = demo_account(today=SANDBOX_TODAY)
    results = call_tools(sandbox, CALLS)
    # The server takes today from the wall clock, the sandbox from SANDBOX_TODAY: the one field
    # that is pinned after the fact, so the today line is drawn where the sandbox's today is.
    results["calendar"]["structuredContent"]["today"] = SANDBOX_TODAY.isoformat()
    previews = preview_calls(sandbox)
    results |= call_tools(sandbox, previews, writable(sandbox))  # previews: nothing is sent
    calls = CALLS | previews
    return Recorded(sandbox, results, {name: args for name, (_, args) in calls.items()})


class LiveServer:
    """One MCP session (a host with Apps) with the server over a demo sandbox, writes on, kept
    open on a thread of its own: the preview a card shows and the approve_write it sends must
    reach the same server process, where the approval lives."""

    def __init__(self, sandbox: Sandbox, portal: BlockingPortal, client: Client) -> None:
        self.sandbox = sandbox
        self.portal = portal
        self.client = client
        self.answers: list[dict[str, Any]] = []  # every result, in order

    def call(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        result = self.portal.call(self.client.call_tool, tool, arguments)
        answer: dict[str, Any] = result.model_dump(by_alias=True, mode="json", exclude_none=True)
        self.answers.append(answer)
        return answer

    def forward(self, params: dict[str, Any]) -> dict[str, Any]:
        """A tools/call from the view, as the test host hands it over."""
        return self.call(params["name"], params.get("arguments") or {})

    def writes(self) -> list[str]:
        """Every request so far that could have changed the sandbox (token requests aside)."""
        log = list(self.sandbox.request_log)
        return [
            f"{r.method} {r.path}" for r in log if r.method != "GET" and r.path != "/accessTokens"
        ]


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    """Module scope: the demo account takes seconds to generate. Tests count writes as the ones
    they add (``writes()`` before and after)."""
    sandbox = demo_account(today=SANDBOX_TODAY)
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(apps_client(writable(sandbox))) as client,
    ):
        yield LiveServer(sandbox, portal, client)


def host_context(theme: str | None, width: int, height: int | None) -> dict[str, Any]:
    box: dict[str, int] = {"width": width}
    if height is not None:
        box["height"] = height
    context: dict[str, Any] = {} if theme is None else {"theme": theme}
    return context | {
        "locale": "en-US",
        "timeZone": "UTC",
        "displayMode": "inline",
        "platform": "desktop",
        "containerDimensions": box,
        # A host font stack, to check that the views take the host's fonts.
        "styles": {"variables": {"--font-sans": '"DejaVu Sans", "Test Host Sans", sans-serif'}},
    }


@dataclass
class ViewPage:
    """One view loaded in the test host; `view` locates inside the frame, `page` is the host."""

    page: Any
    name: str
    flexible_height: bool
    screenshots: Path

    @property
    def view(self) -> Any:
        return self.page.frame_locator("#view")

    @property
    def frame(self) -> Any:
        return self.page.main_frame.child_frames[0]

    def tool_calls(self) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = self.page.evaluate("host.toolCalls")
        return calls

    def host(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def screenshot(self, theme: str) -> None:
        """docs/screenshots/<view>-<theme>.png of the whole view, once the host has fitted the frame."""
        if self.flexible_height:
            height = self.frame.evaluate(
                "Math.ceil(document.documentElement.getBoundingClientRect().height)"
            )
            self.page.wait_for_function(
                "h => document.getElementById('view').style.height === h + 'px'", arg=height
            )
        # Grow the window to the page instead of full_page: Chromium paints an out-of-process
        # frame only inside the window.
        width = self.page.viewport_size["width"]
        height = self.page.evaluate("document.documentElement.scrollHeight")
        self.page.set_viewport_size({"width": width, "height": height})
        self.frame.evaluate(
            "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )
        folder = self.screenshots
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.name}-{theme}.png"
        self.page.screenshot(path=str(path))
        assert path.stat().st_size > 0


# Module scope, not session: until it stops, Playwright's sync API leaves its event loop marked as
# running in this thread, and every anyio test collected after this module would then fail. All
# browser tests live in one module, so this is still one browser launch per run.
@pytest.fixture(scope="module")
def browser_context() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's chromium is not installed at /usr/bin/chromium "
            "(apt-get install chromium; .ci/run installs it)"
        )
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="views-chromium-") as profile, sync_playwright() as p:
        # A persistent context is how Playwright takes a fresh --user-data-dir of our choosing.
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
        )
        try:
            yield context
        finally:
            context.close()


OpenView = Callable[..., ViewPage]


@pytest.fixture
def open_view(browser_context: Any, tmp_path: Path) -> Iterator[OpenView]:
    update = os.environ.get("HOSTAWAY_UPDATE_SCREENSHOTS") == "1"
    screenshots = DOCS_SCREENSHOTS if update else tmp_path / "screenshots"
    pages: list[Any] = []
    requests: list[str] = []

    def open_(
        name: str,
        result: dict[str, Any] | None,
        *,
        theme: str | None = "light",
        tool_input: dict[str, Any] | None = None,
        responses: dict[str, Any] | None = None,
        size: tuple[int, int] = (1100, 620),
        flexible_height: bool = False,
        forward: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        forward_tools: tuple[str, ...] = ("approve_write",),
    ) -> ViewPage:
        """``forward``: the host answers the view's tools/call of ``forward_tools`` with it (the
        real server) instead of canned ``responses``."""
        page = browser_context.new_page()
        pages.append(page)
        page.on("request", lambda request: requests.append(request.url))
        if forward is not None:
            page.expose_function("forwardToolCall", forward)
        width, height = size
        page.set_viewport_size({"width": width, "height": height})
        page.goto(HOST_PAGE.as_uri())
        config = {
            "hostContext": host_context(theme, width, None if flexible_height else height),
            "toolInput": tool_input,
            "toolResult": result,
            "toolResponses": responses or {},
            "forwardTools": list(forward_tools) if forward is not None else [],
            "flexibleHeight": flexible_height,
        }
        html = (VIEWS / f"{name}.html").read_text(encoding="utf-8")
        page.evaluate("([html, config]) => loadView(html, config)", [html, config])
        page.wait_for_function("host.initialized")
        return ViewPage(page, name, flexible_height, screenshots)

    yield open_
    for page in pages:
        page.close()
    # The views are self-contained: the only URL ever loaded is the host page itself.
    assert [url for url in requests if url != HOST_PAGE.as_uri()] == []
