"""MCP Apps (the `io.modelcontextprotocol/ui` extension): the three `ui://` views this server ships,
the `_meta` that binds a tool to one, and what a client without Apps is offered.

The views are self-contained HTML documents built from `views/` into `hostaway_mcp/ui/`, read from
the package once and only when a host asks for one. Tools stay registered through `TOOLS` in
`app.py`; a bound tool only carries `_meta.ui` (and keeps its full text and structured answer, so
hosts without Apps lose nothing). A client that did not negotiate Apps is not offered app-only
tools (`visibility: ["app"]`) nor the `ui://` documents in resources/list."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from mcp.server.apps import APP_MIME_TYPE, Apps, Visibility, client_supports_apps
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver.resources import FunctionResource
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS

UI_PACKAGE = "hostaway_mcp"
UI_FOLDER = "ui"


@dataclass(frozen=True)
class View:
    """One view: `hostaway_mcp/ui/<name>.html`, served as `ui://hostaway/<name>.html`."""

    name: str
    title: str
    description: str

    @property
    def uri(self) -> str:
        return f"ui://hostaway/{self.name}.html"


CALENDAR = View(
    "calendar",
    "Multi-calendar",
    "Properties by night: bookings by channel, blocks, owner stays, orphan gaps, today.",
)
REPORT = View(
    "report", "Report charts", "Revenue and occupancy reports as charts, one per currency."
)
APPROVE = View("approve", "Approval card", "A change's preview with Approve and Cancel.")
VIEWS = (CALENDAR, REPORT, APPROVE)


@functools.cache
def view_html(name: str) -> str:
    """The built view, read from the installed package once per process."""
    return (files(UI_PACKAGE) / UI_FOLDER / f"{name}.html").read_text(encoding="utf-8")


def apps_extension() -> Apps:
    """The Apps extension for `MCPServer(extensions=...)`: it advertises the capability and serves
    the views. It registers no tool: bound tools carry `tool_meta` instead (see `app.py`)."""
    apps = Apps()
    for view in VIEWS:
        apps.add_resource(_view_resource(view))
    return apps


def _view_resource(view: View) -> FunctionResource:
    async def read() -> str:
        return view_html(view.name)

    return FunctionResource(
        uri=view.uri,
        name=view.name,
        title=view.title,
        description=view.description,
        mime_type=APP_MIME_TYPE,
        # Framed by the host: the views are dense panels inside a conversation.
        meta={"ui": {"prefersBorder": True}},
        fn=read,
    )


def tool_meta(view: View | None, visibility: Sequence[Visibility] | None) -> dict[str, Any] | None:
    """`_meta` of a tool drawn by ``view``, in the shape the SDK's `Apps.tool` writes."""
    if view is None:
        return None
    ui: dict[str, Any] = {"resourceUri": view.uri}
    if visibility is not None:
        ui["visibility"] = list(visibility)
    return {"ui": ui}


class AppsVisibility:
    """Server middleware: what a client that did not negotiate MCP Apps is offered. Such a client
    renders no view, so tools only a view may call (``app_only``) are not listed and are refused
    like unknown tools, and the `ui://` documents are left out of resources/list (a host with Apps
    reads them by the URI in a tool's `_meta`; the spec lets servers omit them from the list)."""

    def __init__(self, app_only: Iterable[str]) -> None:
        self.app_only = frozenset(app_only)

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        if ctx.method not in {"tools/list", "tools/call", "resources/list"}:
            return await call_next(ctx)
        if client_supports_apps(ctx):
            return await call_next(ctx)
        if ctx.method == "tools/call":
            name = (ctx.params or {}).get("name")  # raw params: validated after this point
            if isinstance(name, str) and name in self.app_only:
                raise MCPError(code=INVALID_PARAMS, message=f"Unknown tool: {name}")
            return await call_next(ctx)
        result = await call_next(ctx)
        if ctx.method == "tools/list":
            return _keep(result, "tools", lambda tool: tool.get("name") not in self.app_only)
        return _keep(result, "resources", lambda item: not str(item.get("uri")).startswith("ui://"))


def _keep(result: HandlerResult, key: str, wanted: Callable[[Any], bool]) -> HandlerResult:
    """The wire result with only the wanted entries of its ``key`` list. (Inside the SDK's own
    middleware, ``call_next`` always answers with the wire dict.)"""
    if isinstance(result, dict) and isinstance(result.get(key), list):
        return {**result, key: [item for item in result[key] if wanted(item)]}
    return result
