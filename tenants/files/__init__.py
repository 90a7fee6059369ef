"""Files attached to records: versions, access levels, an access log."""
