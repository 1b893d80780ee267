"""Benchmarks of hostaway-mcp against the demo sandbox served over HTTP on 127.0.0.1.

One command runs them all: ``uv run python -m benchmarks`` (see benchmarks/README.md)."""
