"""The units endpoints of /api/v1/: reading the tree and its lifecycle operations."""
