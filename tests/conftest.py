"""Shared test configuration: anyio's pytest plugin on the asyncio backend."""

import os
import tempfile

import pytest

# The local mirror's default place is the user's data directory: never the real one in tests.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="hostaway-mcp-tests-")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
