"""The tenant home dashboard: figures read from the CRM features, each limited to what the reader may see."""
