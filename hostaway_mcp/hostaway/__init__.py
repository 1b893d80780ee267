"""The one door to Hostaway: the only code that knows its API (paths, parameters, bodies, raw
field names). Everything above it speaks in our own terms."""
