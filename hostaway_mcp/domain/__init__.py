"""The domain: answers computed from our entities. Knows no HTTP detail and nothing of MCP."""
