"""Sign-up, login and logout pages."""
