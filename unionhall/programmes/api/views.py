"""The programmes API."""
