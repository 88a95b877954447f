"""Writes of programmes."""
