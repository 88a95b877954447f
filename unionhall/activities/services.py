"""Writes of activities."""
