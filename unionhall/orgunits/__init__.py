"""The unit tree: typed units, effective-dated parents, lifecycle operations."""
