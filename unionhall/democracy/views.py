"""Pages of democracy."""
