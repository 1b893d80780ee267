"""Domain services: validate, read through the gateway, compute, and build output models."""
