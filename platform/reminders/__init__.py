"""The reminder queue: one platform table the scheduler scans, so no tenant schema is polled."""
