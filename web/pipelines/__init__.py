"""Admin pages for pipelines and their stages."""
