"""Aggregates, commands and events; imports no framework."""
