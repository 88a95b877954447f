"""The activities API."""
