"""Writes of democracy."""
