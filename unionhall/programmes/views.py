"""Pages of programmes."""
