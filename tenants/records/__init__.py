"""What every CRM record (contacts, companies) shares: domain errors, owner rules, read helpers."""
