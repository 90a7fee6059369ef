"""Receipts that make worker effects idempotent."""
