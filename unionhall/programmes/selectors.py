"""Reads of programmes."""
