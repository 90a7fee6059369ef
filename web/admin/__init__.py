"""Tenant administration: members and invitations, roles, teams (pages and the JSON API), and the public
invitation page."""
