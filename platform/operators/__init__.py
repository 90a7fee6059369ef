"""Platform operators: their accounts, sign-in with mandatory TOTP, and their audited access to tenants."""
