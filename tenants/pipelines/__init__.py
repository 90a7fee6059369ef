"""Sales pipelines: ordered stages with a win probability and a kind (open, won, lost)."""
