"""Durable jobs in the database: ``enqueue`` a job, ``register`` its handler, and ``backend.cli worker`` runs it.

The public surface is :mod:`backend.jobs.queue` (enqueue, get, depth) and :mod:`backend.jobs.registry` (register,
register_daily); :mod:`backend.jobs.worker` claims and runs jobs. ARCHITECTURE.md, "Jobs", says why it is built so.
"""
