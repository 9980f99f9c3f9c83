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


def test_the_started_app_keeps_its_startup_objects_out_of_collections(client) -> None:
    # ``client`` has run the app's lifespan: what existed then is frozen, and young objects are collected every
    # GC_YOUNG allocations rather than Python's 700 (a push builds ~100 000 short-lived ones).
    import gc

    from backend.main import GC_YOUNG

    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold()[0] == GC_YOUNG > 700
