"""The MCP Bundle's entry point (staged as server/main.py by scripts/build_mcpb.sh).

The manifest's mcp_config runs the `hostaway-mcp` console script with `uv run`; a host that runs the
entry point instead (`uv run server/main.py` in the bundle, where uv installs the project from its
pyproject.toml and uv.lock) gets the same server through this file.
"""

import sys

from hostaway_mcp.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
