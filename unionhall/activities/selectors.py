"""Reads of activities."""
