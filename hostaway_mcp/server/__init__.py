"""The MCP layer: the app factory, tools, resources, prompts and the output budget."""

from .app import build_server

__all__ = ["build_server"]
