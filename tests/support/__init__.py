"""Shared test support (see tests/README.md).

- ``records``: Hostaway records built from the official example payloads (``tests/fixtures/``).
- ``accounts``: the seeded sandbox account most tool tests use, and the generated demo account.
- ``servers``: every MCP server the tests build (the one place that calls ``build_server``).
- ``scripted``: a scripted transport, only for upstream quirks the sandbox must not imitate.
- ``internals``: the few hooks into internals that are being rewritten.
- ``clock``: a fake monotonic clock; ``stdio``: a raw JSON-RPC session over a real process.
"""
