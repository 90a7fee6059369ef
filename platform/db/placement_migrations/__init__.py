"""Schema steps of a placement database (one that holds tenants but not the platform), one module per version."""
