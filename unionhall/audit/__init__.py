"""Append-only, hash-chained audit log, written explicitly by every service."""
