"""Database engine, schema steps and catalog helpers."""
