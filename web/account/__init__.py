"""Account security: password reset, two-factor authentication, sessions, API keys."""
