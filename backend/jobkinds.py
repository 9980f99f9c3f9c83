"""The job kinds of the domains, registered with the worker (``backend.jobs.kinds.MODULES`` names this module):
the enforcement issue's daily overdue sweep and follow-up scheduling."""

from datetime import time

from backend.enforcement import sweep
from backend.jobs import registry
from backend.jobs.worker import JobContext


def overdue_sweep(ctx: JobContext) -> None:
    """Mark measures past their deadline overdue and propose the next step of the ladder (idempotent)."""
    sweep.overdue_sweep(ctx.session, ctx.now())


def follow_up_scheduling(ctx: JobContext) -> None:
    """Schedule follow-up visits for overdue or claimed orders (idempotent)."""
    sweep.schedule_follow_ups(ctx.session, ctx.now())


registry.register("enforcement.overdue_sweep", overdue_sweep)
registry.register_daily("enforcement.overdue_sweep", time(1, 0))
registry.register("enforcement.follow_up_scheduling", follow_up_scheduling)
registry.register_daily("enforcement.follow_up_scheduling", time(1, 30))

# exports (issue 19): an export written by the worker with its progress; expired files deleted daily
from backend.exports import jobs as export_jobs  # noqa: E402


def export_sweep(ctx: JobContext) -> None:
    """Delete the export files whose download link expired."""
    export_jobs.sweep_expired(ctx.session, ctx.now())


registry.register(export_jobs.KIND, export_jobs.run)
registry.register("exports.sweep_expired", export_sweep)
registry.register_daily("exports.sweep_expired", time(2, 0))
