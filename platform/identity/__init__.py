"""Identity: users, memberships, passwords and sessions."""
