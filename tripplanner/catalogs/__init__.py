"""Offline catalogs: gazetteer, airports, policy projects, relationships, travel settings."""
