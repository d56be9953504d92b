"""Builds the one HTTP application and holds what api and web share (dependencies)."""
