"""File storage behind one small interface: local disk by default, S3-compatible by configuration."""
