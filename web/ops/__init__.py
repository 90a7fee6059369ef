"""Operator pages (embedded mail sink)."""
