"""Running it in production: start-up refusals, health and readiness, JSON logs with a request id, Prometheus
metrics, offline API docs, backups (``backend.ops.backup``) and the attachment stores' settings."""
