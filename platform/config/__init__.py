"""Process configuration."""
