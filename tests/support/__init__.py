"""Shared test support.

- ``records``: Hostaway records built from the official example payloads (``tests/fixtures/``).
- ``portfolio``: a seeded sandbox account (three listings, six reservations) most tool tests use.
- ``scripted``: a scripted transport, only for upstream quirks the sandbox must not imitate.
- ``servers``: every MCP server the tests build (the one place that calls ``build_server``).
- ``clock``: a fake monotonic clock; ``stdio``: a raw JSON-RPC session over a real process.
"""
