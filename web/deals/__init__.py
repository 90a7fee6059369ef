"""Deal pages, the kanban board and the deals JSON API."""
