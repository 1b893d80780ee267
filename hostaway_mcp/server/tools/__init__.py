"""Tool modules, one per area of the account; `server.app` registers them."""
