"""Operator audit log."""
