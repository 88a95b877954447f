"""The democracy API."""
