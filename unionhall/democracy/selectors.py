"""Reads of democracy."""
