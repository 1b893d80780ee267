"""An in-memory Hostaway API v1 simulator with deterministic demo data and fault knobs.

sb = Sandbox(seed=7)
async with httpx.AsyncClient(transport=sb.transport(), base_url="http://sandbox/v1") as http:
    ...
"""

from .app import RequestRecord, Sandbox
from .faults import FAULT_KINDS, RATE_LIMIT_MESSAGE
from .security import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "FAULT_KINDS",
    "RATE_LIMIT_MESSAGE",
    "RequestRecord",
    "Sandbox",
]
