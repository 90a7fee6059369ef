"""The transactional outbox: work written with the change that causes it, relayed to the broker."""
