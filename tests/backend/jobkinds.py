"""Job kinds for the worker tests; the worker subprocess imports this module with ``--module``. Each records its
effect in ``job_effect`` (a table the tests create) through the job's own transaction."""

import time

from sqlalchemy import text

from backend.jobs import registry
from backend.jobs.worker import JobContext

EFFECT_TABLE = (
    "CREATE TABLE IF NOT EXISTS job_effect (job_id INTEGER NOT NULL, token INTEGER NOT NULL, kind VARCHAR(64))"
)


def record(ctx: JobContext) -> None:
    ctx.session.execute(
        text("INSERT INTO job_effect (job_id, token, kind) VALUES (:j, :t, :k)"),
        {"j": ctx.job_id, "t": ctx.claim.token, "k": ctx.claim.kind},
    )


def slow(ctx: JobContext) -> None:
    """First attempt: reports 10 %, then hangs (the test kills its worker); later attempts finish at once."""
    if ctx.attempt == 1:
        ctx.progress(10)
        time.sleep(float(ctx.payload.get("sleep", 60)))
    ctx.progress(50)
    record(ctx)


def fail_once(ctx: JobContext) -> None:
    if ctx.attempt == 1:
        raise RuntimeError("first attempt fails")
    record(ctx)


registry.register("test.effect", record)
registry.register("test.slow", slow)
registry.register("test.fail_once", fail_once)
