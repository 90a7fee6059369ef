"""The tenant home page."""
