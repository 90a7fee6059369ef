"""Multi-currency: the tenant's base currency, exchange rates (entered or imported) and conversion."""
