"""hostaway-mcp: an MCP server for the Hostaway property-management API."""

# The single source of the version (pyproject reads it from here); a literal keeps start-up free of
# importlib.metadata's scan of installed distributions.
__version__ = "0.1.0"
