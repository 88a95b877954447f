"""Writes of practices."""
