"""Pydantic models: the request staff write, catalog entries, and the itinerary result."""
