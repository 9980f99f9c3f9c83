"""Prometheus metrics (prometheus-client): requests and their latency counted in the process (in every uvicorn
worker's shared directory when ``PROMETHEUS_MULTIPROC_DIR``, the client library's own variable, is set), and
figures read from the database at each scrape: sync mutations applied, each device's push lag, job queue depth."""

import os
from datetime import timedelta

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.auth.models import Device
from backend.db import table_of, utcnow
from backend.device_sync.models import AppliedMutation
from backend.jobs import queue

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
ACTIVE_DEVICE_DAYS = 30  # devices seen within this many days have a lag figure

REQUESTS = CollectorRegistry()
requests_total = Counter(
    "li_http_requests_total", "HTTP requests answered", ["method", "route", "status"], registry=REQUESTS
)
request_seconds = Histogram(
    "li_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30),
    registry=REQUESTS,
)


def _request_metrics() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)
        return generate_latest(merged)
    return generate_latest(REQUESTS)


def _database_metrics(session: Session) -> bytes:
    registry = CollectorRegistry()
    applied = Gauge("li_sync_mutations_applied", "Sync mutations applied since the start (all devices)",
                    registry=registry)  # fmt: skip
    applied.set(session.execute(select(func.count()).select_from(AppliedMutation)).scalar_one())
    lag = Gauge(
        "li_sync_device_push_lag_seconds",
        "Per device seen in the last 30 days: seconds since its last mutation was applied (the server's view of "
        "its outbox: a tablet working offline grows it)",
        ["device"],
        registry=registry,
    )
    now = utcnow()
    seen = now - timedelta(days=ACTIVE_DEVICE_DAYS)
    mutations, devices = table_of(AppliedMutation).c, table_of(Device).c
    last = (
        select(mutations.device_id, func.max(mutations.created_at))
        .join_from(table_of(AppliedMutation), table_of(Device), devices.id == mutations.device_id)
        .where(devices.revoked_at.is_(None), devices.last_seen_at >= seen)
        .group_by(mutations.device_id)
    )
    for device_id, at in session.execute(last):
        at = at if at.tzinfo else at.replace(tzinfo=now.tzinfo)
        lag.labels(device=str(device_id)).set((now - at).total_seconds())
    depth = Gauge("li_jobs_queue_depth", "Jobs due or running", registry=registry)
    depth.set(queue.depth(session))
    return generate_latest(registry)


def render(session: Session) -> bytes:
    return _request_metrics() + _database_metrics(session)
