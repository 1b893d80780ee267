"""MCP Apps wiring: which tools are bound to which `ui://` view, the views served as resources
(`text/html;profile=mcp-app`, read once from the package), and what a client that did not negotiate
Apps sees (tools/list unchanged but for show_calendar and `_meta`; no app-only tool such as
approve_write; no `ui://` in resources/list), over the modern and the legacy (initialize)
handshake. What approve_write does is in test_approve_write.py."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mcp import Client
from mcp.client.extension import advertise
from mcp.server import MCPServer
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID
from mcp.shared.exceptions import MCPError

from hostaway_mcp.server.app import TOOLS
from hostaway_mcp.server.apps import (
    APPROVE,
    VIEWS,
    AppsVisibility,
    apps_extension,
    tool_meta,
    view_html,
)
from tests.support.servers import offline_server

pytestmark = pytest.mark.anyio

BUILT = Path(__file__).resolve().parents[2] / "hostaway_mcp" / "ui"
MODES = ["auto", "legacy"]  # the 2026 discover handshake, and initialize (stdio hosts today)
BOUND = {
    "show_calendar": "ui://hostaway/calendar.html",
    "get_revenue_report": "ui://hostaway/report.html",
    "get_occupancy_report": "ui://hostaway/report.html",
}
# tools/list before MCP Apps, in order (read-only mode); show_calendar is the one tool added.
BEFORE_APPS = [
    "check_connection",
    "get_sync_status",
    "list_all_properties",
    "get_property_details",
    "check_availability",
    "find_available_properties",
    "get_price_quote",
    "search_bookings",
    "get_booking_details",
    "get_guest_info",
    "get_arrivals_and_departures",
    "list_conversations",
    "get_conversation_messages",
    "get_inbox_triage",
    "list_reviews",
    "list_tasks",
    "list_expenses",
    "get_revenue_report",
    "get_occupancy_report",
    "get_financial_report",
    "list_owner_statements",
    "get_owner_statement",
]


def apps_client(server: Any, mode: str = "auto") -> Client:
    """A client that negotiated MCP Apps, as Claude does."""
    ui = advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})
    return Client(server, mode=mode, extensions=[ui])


@pytest.mark.parametrize("mode", MODES)
async def test_plain_client_tools_list_is_unchanged_but_for_show_calendar_and_meta(
    mode: str,
) -> None:
    async with Client(offline_server(), mode=mode) as client:
        tools = (await client.list_tools()).tools
    names = [tool.name for tool in tools]
    assert [name for name in names if name != "show_calendar"] == BEFORE_APPS
    assert names.index("show_calendar") == names.index("get_arrivals_and_departures") + 1
    for tool in tools:
        expected = {"ui": {"resourceUri": BOUND[tool.name]}} if tool.name in BOUND else None
        assert tool.meta == expected, tool.name


@pytest.mark.parametrize("mode", MODES)
async def test_a_client_with_apps_sees_the_same_tools_and_the_approval_cards_own(
    mode: str,
) -> None:
    async with Client(offline_server(read_only=False), mode=mode) as plain:
        without = (await plain.list_tools()).tools
    async with apps_client(offline_server(read_only=False), mode) as client:
        with_apps = (await client.list_tools()).tools
        if mode == "auto":  # the 2025-11-25 initialize result has no `extensions` to carry it
            assert EXTENSION_ID in (client.server_capabilities.extensions or {})
    assert "approve_write" not in [t.name for t in without]
    *same, card = with_apps
    assert [t.model_dump() for t in same] == [t.model_dump() for t in without]
    assert card.name == "approve_write"
    assert card.meta == {"ui": {"resourceUri": APPROVE.uri, "visibility": ["app"]}}


@pytest.mark.parametrize("mode", MODES)
async def test_every_write_tools_preview_is_drawn_as_the_approval_card(mode: str) -> None:
    writes = {spec.fn.__name__ for spec in TOOLS if spec.writes and not spec.app_only}
    assert len(writes) == 7
    async with Client(offline_server(read_only=False), mode=mode) as client:
        tools = (await client.list_tools()).tools
    for tool in tools:
        if tool.name in writes:
            assert tool.meta == {"ui": {"resourceUri": "ui://hostaway/approve.html"}}, tool.name
            # Hosts without Apps keep the whole preview: the same WriteResult as before.
            assert "changes" in (tool.output_schema or {})["properties"], tool.name
        else:
            assert tool.meta == ({"ui": {"resourceUri": BOUND[tool.name]}} if tool.name in BOUND
                                 else None), tool.name  # fmt: skip
    assert writes <= {tool.name for tool in tools}


async def test_show_calendar_is_a_read_with_a_lean_schema() -> None:
    async with Client(offline_server()) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert "show_calendar" in (client.instructions or "")
    tool = tools["show_calendar"]
    hints = tool.annotations
    assert hints is not None
    # openWorldHint absent: the protocol's default (true).
    assert (hints.read_only_hint, hints.open_world_hint, hints.destructive_hint) == (
        True,
        None,
        None,
    )
    properties = tool.input_schema["properties"]
    assert list(properties) == ["start_date", "days", "listing_ids", "city"]
    assert (properties["days"]["minimum"], properties["days"]["maximum"]) == (1, 62)
    assert properties["days"]["default"] == 14
    assert tool.input_schema.get("required", []) == []
    # Same definition as the reports' listing_ids.
    assert (
        properties["listing_ids"]
        == tools["get_occupancy_report"].input_schema["properties"]["listing_ids"]
    )
    assert tool.description is not None and len(tool.description) < 300


@pytest.mark.parametrize("mode", MODES)
async def test_views_are_served_as_mcp_app_html(mode: str) -> None:
    async with apps_client(offline_server(), mode) as client:
        listed = {str(r.uri): r for r in (await client.list_resources()).resources}
        for view in VIEWS:
            assert listed[view.uri].mime_type == APP_MIME_TYPE
            read = await client.read_resource(view.uri)
            [content] = read.contents
            assert content.mime_type == APP_MIME_TYPE
            assert content.text == (BUILT / f"{view.name}.html").read_text(encoding="utf-8")  # type: ignore[union-attr]
            assert content.meta == {"ui": {"prefersBorder": True}}
    assert set(BOUND.values()) <= {view.uri for view in VIEWS}
    assert APPROVE.uri in listed  # bound to the write tools, which this read-only server lacks


@pytest.mark.parametrize("mode", MODES)
async def test_a_plain_client_lists_no_ui_documents_but_can_read_them(mode: str) -> None:
    async with Client(offline_server(), mode=mode) as client:
        listed = [str(r.uri) for r in (await client.list_resources()).resources]
        assert listed == ["hostaway://properties"]
        read = await client.read_resource("ui://hostaway/calendar.html")
    assert read.contents[0].mime_type == APP_MIME_TYPE


async def test_views_are_read_from_the_package_once() -> None:
    view_html.cache_clear()
    async with apps_client(offline_server()) as client:
        for _ in range(3):
            await client.read_resource("ui://hostaway/report.html")
    assert (view_html.cache_info().misses, view_html.cache_info().hits) == (1, 2)


def test_every_bound_view_is_a_served_resource() -> None:
    served = {binding.resource.uri for binding in apps_extension().resources()}
    bound = {spec.ui.uri for spec in TOOLS if spec.ui is not None}
    assert bound == {view.uri for view in VIEWS}
    assert bound <= served
    assert [spec.fn.__name__ for spec in TOOLS if spec.app_only] == ["approve_write"]


# ---- app-only tools, on a minimal server (approve_write itself: test_approve_write.py) ---------


def server_with_an_app_only_tool() -> MCPServer[Any]:
    """The same extension and middleware as build_server, with one tool only a view may call."""

    async def approve(approval_id: str) -> str:
        return f"approved {approval_id}"

    async def visible() -> str:
        return "ok"

    server: MCPServer[Any] = MCPServer(
        "apps-test", extensions=[apps_extension()], middleware=[AppsVisibility(["approve"])]
    )
    server.add_tool(approve, meta=tool_meta(APPROVE, ("app",)))
    server.add_tool(visible, meta=tool_meta(APPROVE, None))
    return server


@pytest.mark.parametrize("mode", MODES)
async def test_app_only_tools_are_not_offered_to_a_plain_client(mode: str) -> None:
    async with Client(server_with_an_app_only_tool(), mode=mode) as client:
        assert [tool.name for tool in (await client.list_tools()).tools] == ["visible"]
        with pytest.raises(MCPError, match="Unknown tool: approve"):
            await client.call_tool("approve", {"approval_id": "apv_1"})
        assert not (await client.call_tool("visible", {})).is_error


@pytest.mark.parametrize("mode", MODES)
async def test_app_only_tools_are_listed_and_callable_with_apps(mode: str) -> None:
    async with apps_client(server_with_an_app_only_tool(), mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert tools["approve"].meta == {"ui": {"resourceUri": APPROVE.uri, "visibility": ["app"]}}
        result = await client.call_tool("approve", {"approval_id": "apv_1"})
    assert not result.is_error
    assert result.content[0].text == "approved apv_1"  # type: ignore[union-attr]


def test_tool_meta_shapes() -> None:
    assert tool_meta(None, None) is None
    assert tool_meta(APPROVE, None) == {"ui": {"resourceUri": "ui://hostaway/approve.html"}}
    assert tool_meta(APPROVE, ("model", "app")) == {
        "ui": {"resourceUri": "ui://hostaway/approve.html", "visibility": ["model", "app"]}
    }


async def test_malformed_call_params_pass_through_to_the_sdks_validation() -> None:
    """The middleware runs before params are validated: a name that is not a string is left for
    the SDK to refuse, not turned into a crash here."""
    seen: list[Any] = []

    async def call_next(ctx: Any) -> dict[str, Any]:
        seen.append(ctx.params)
        return {}

    plain = SimpleNamespace(
        method="tools/call",
        params={"name": ["approve"]},
        session=SimpleNamespace(client_capabilities=None),
    )
    assert await AppsVisibility(["approve"])(plain, call_next) == {}  # type: ignore[arg-type]
    assert seen == [{"name": ["approve"]}]
