"""The worker tests' real broker and in-process worker, reused for the reminder mail with a tenant template."""

from tests.integration.workers.conftest import broker, deliveries, queue, start_worker  # noqa: F401
