"""hostaway-mcp: an MCP server for the Hostaway property-management API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hostaway-mcp")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0.0.0"
