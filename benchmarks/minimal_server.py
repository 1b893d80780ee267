"""The cold-start baseline: a minimal one-tool MCPServer over stdio (mcp 2.x), nothing else."""

from __future__ import annotations

from mcp.server import MCPServer

server = MCPServer("minimal")


@server.tool()
def ping() -> str:
    """Answer pong."""
    return "pong"


if __name__ == "__main__":
    server.run("stdio")
