"""Reads of practices."""
