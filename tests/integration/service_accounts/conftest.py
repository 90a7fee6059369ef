from tests.integration.account.conftest import new_client  # noqa: F401  (fixture: clients with own addresses)
