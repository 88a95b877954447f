"""The practices API."""
