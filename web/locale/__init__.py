"""The language switcher and the per-request choice of language, time zone and currency."""
