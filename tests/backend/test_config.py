"""Settings refuse combinations that cannot work, at start-up rather than under load."""

import pytest
from pydantic import ValidationError

from backend.config import Settings


def test_more_database_requests_than_connections_is_refused() -> None:
    with pytest.raises(ValidationError, match="LI_DB_REQUESTS"):
        Settings(db_requests=25, db_pool_size=10, db_max_overflow=10)
    assert Settings(db_requests=20, db_pool_size=10, db_max_overflow=10).db_requests == 20


def test_database_requests_stay_below_the_worker_threads() -> None:
    # anyio's 40 worker threads: requests admitted to the database must leave some for the next hop of the one
    # holding it (``backend.api``).
    with pytest.raises(ValidationError):
        Settings(db_requests=33, db_pool_size=40)
    with pytest.raises(ValidationError):
        Settings(db_requests=0)
