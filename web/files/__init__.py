"""Files on records: pages, the section on record pages, the JSON API, and streamed downloads."""
