# syntax=docker/dockerfile:1
# Production image (ops, issue 20): Node builds the field app, a slim Python image runs the API and the worker
# as a non-root user. docker-compose.yml runs it as `migrate`, `app` and `worker`.

FROM node:20-bookworm-slim AS pwa
WORKDIR /src/pwa
COPY pwa/package.json pwa/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY pwa/ ./
RUN npm run build

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# pg_dump/pg_restore for `backend.cli backup` (Debian 12's client is PostgreSQL 15: the server's major version).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY pyproject.toml README.md ./
COPY backend/ backend/
COPY sync/ sync/
RUN pip install .
COPY checklists/ checklists/
COPY --from=pwa /src/pwa/dist pwa/dist
RUN mkdir -p /data/attachments /backups /tmp/metrics && chown -R app:app /data /backups /tmp/metrics
ENV LI_CHECKLISTS_DIR=/app/checklists \
    LI_PWA_DIR=/app/pwa/dist \
    LI_ATTACHMENTS_DIR=/data/attachments \
    LI_LOG_FORMAT=json
USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/v1/ready', timeout=4).status != 200)"
CMD ["uvicorn", "backend.main:app", "--host", "0.0.0.0", "--port", "8000", "--workers", "4", "--no-access-log"]
