"""The supervisor desk's queries on PostgreSQL at a chosen data size: prints p50/p95 per query beside the size.

Scale 1 is the issue's target: 100,000 inspections and 5,000,000 findings (50 per inspection), spread over a
year and three districts (two in the supervisor's province), 30 % waiting for review, 50 % approved. The rows
are made in the database (``generate_series``) on top of the backend tests' small world; then each query is
called through the API in-process (FastAPI's TestClient: routing, auth, the queries, serialisation) 5 times to
warm up and ``--runs`` times measured.

Run: .venv/bin/python bench/supervisor.py [--scale 0.1] [--runs 30] [--without-queue-index]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "backend"))

from tests.pgcluster import start_cluster  # noqa: E402

FINDINGS_PER_INSPECTION = 50
BATCH = 10_000


def _items(session):  # type: ignore[no-untyped-def]
    """(checklist key, version, item id) for FINDINGS_PER_INSPECTION items of the published checklists."""
    from sqlmodel import col, select

    from backend.checklists.models import PublishedChecklist

    out = []
    for row in session.exec(select(PublishedChecklist).order_by(col(PublishedChecklist.key))).all():
        for section in row.definition["sections"]:
            for item in section["items"]:
                out.append((row.key, row.version, item["id"]))
    return out[:FINDINGS_PER_INSPECTION]


def _rollup_migration():  # type: ignore[no-untyped-def]
    import importlib.util

    path = next((ROOT / "backend/migrations/versions").glob("*_inspection_rollup.py"))
    spec = importlib.util.spec_from_file_location("rollup_migration", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def generate(engine, world, n: int) -> float:  # type: ignore[no-untyped-def]
    from sqlalchemy import text
    from sqlmodel import Session

    with Session(engine) as session:
        items = _items(session)
    keys = sorted({(k, v) for k, v, _ in items})
    est = [world.factory.id, world.building_site.id, world.other_factory.id, world.far_factory.id]
    dist = [world.district.id, world.district.id, world.other_district.id, world.far_district.id]
    leads = [world.inspector.id, world.second_inspector.id, world.other_district_inspector.id,
             world.other_district_inspector.id]  # fmt: skip
    started = time.monotonic()
    with engine.begin() as conn:
        for first in range(0, n, BATCH):
            last = min(n, first + BATCH)
            conn.execute(
                text("""
                INSERT INTO inspection (id, establishment_id, district_id, type, status, lead_inspector_id,
                  created_by, started_at, ended_at, visit_date, gps_status, gps_latitude, gps_longitude,
                  gps_accuracy_m, location, employer_representative, summary, version, revision, submitted_at,
                  created_at, updated_at)
                SELECT gen_random_uuid(), (CAST(:est AS uuid[]))[1 + g % 4], (CAST(:dist AS uuid[]))[1 + g % 4],
                  (ARRAY['planned','complaint','follow_up','campaign'])[1 + (g / 4) % 4],
                  CASE WHEN g % 10 < 3 THEN 'submitted' WHEN g % 10 < 8 THEN 'approved' ELSE 'draft' END,
                  (CAST(:leads AS uuid[]))[1 + g % 4], (CAST(:leads AS uuid[]))[1 + g % 4],
                  t, t + interval '2 hours', CAST(t AS date), 'fix', 39.9, 116.4, 10, '', '', '', 1,
                  CASE WHEN g % 10 < 8 THEN 1 ELSE 0 END,
                  CASE WHEN g % 10 < 8 THEN t + interval '3 hours' + g * interval '1 millisecond' END, t, t
                FROM generate_series(:first, :last - 1) AS g,
                  LATERAL (SELECT timestamptz '2025-12-01 01:00Z' + (g % 365) * interval '1 day' AS t) AS s
                """),
                {"est": est, "dist": dist, "leads": leads, "first": first, "last": last},
            )
        conn.execute(
            text("""INSERT INTO inspection_member (inspection_id, user_id)
                    SELECT id, lead_inspector_id FROM inspection"""),
        )
        for key, version in keys:
            conn.execute(
                text("""INSERT INTO inspection_checklist (inspection_id, checklist_key, checklist_version)
                        SELECT id, :key, :version FROM inspection"""),
                {"key": key, "version": version},
            )
        conn.execute(
            text("""
            INSERT INTO finding (id, inspection_id, checklist_key, item_id, status, note, workers_men,
              workers_women, workers_under_18, evidence, version, recorded_by, recorded_at)
            SELECT gen_random_uuid(), i.id, it.key, it.item_id,
              CASE WHEN abs(hashtext(i.id::text || it.item_id)) % 10 = 0 THEN 'non_compliant' ELSE 'compliant' END,
              '', 0, 0, 0, '[]', 1, i.lead_inspector_id, i.created_at
            FROM inspection i CROSS JOIN unnest(CAST(:keys AS text[]), CAST(:ids AS text[])) AS it(key, item_id)
            """),
            {"keys": [k for k, _, _ in items], "ids": [i for _, _, i in items]},
        )
        conn.execute(
            text("""
            INSERT INTO enforcement_action (id, inspection_id, establishment_id, district_id, item_ids, measure,
              text, deadline_days, deadline, status, close_note, created_by, created_at)
            SELECT gen_random_uuid(), id, establishment_id, district_id, '[]', 'order_to_rectify', '', 30,
              visit_date + 30, CASE WHEN random() < 0.5 THEN 'open' ELSE 'complied' END, '', lead_inspector_id,
              created_at
            FROM inspection WHERE random() < 0.2
            """)
        )
    with engine.begin() as conn:  # the rollup each submission writes, built in bulk as migration 0025 does
        _rollup_migration()._backfill(conn)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does on a live database
    return time.monotonic() - started


def measure(client, headers, path: str, runs: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    for _ in range(5):
        r = client.get(path, headers=headers)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = client.get(path, headers=headers)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(r.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.1, help="1 = 100,000 inspections, 5,000,000 findings")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--without-queue-index", action="store_true", help="drop ix_inspection_queue first")
    args = parser.parse_args()
    cluster = start_cluster()
    try:
        url = cluster.create_database("bench_supervisor")
        os.environ["LI_DATABASE_URL"] = url
        os.environ["LI_ENVIRONMENT"] = "test"
        from fastapi.testclient import TestClient
        from sqlalchemy import func, select, text
        from world import build_world

        from backend import migrate
        from backend.auth import service as auth
        from backend.checklists import service as checklists
        from backend.config import settings
        from backend.db import AppSession, make_engine
        from backend.inspections.models import Finding, Inspection
        from backend.main import app

        migrate.upgrade(url=url)
        engine = make_engine(url)
        with AppSession(engine, expire_on_commit=False) as session, session.begin():
            checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
            world = build_world(session)
        n = int(100_000 * args.scale)
        made = generate(engine, world, n)
        if args.without_queue_index:
            with engine.begin() as conn:
                conn.execute(text("DROP INDEX ix_inspection_queue"))
        with AppSession(engine) as session:
            inspections = session.exec(select(func.count()).select_from(Inspection)).one()[0]
            found = session.exec(select(func.count()).select_from(Finding)).one()[0]
            sample = session.exec(
                select(Inspection.id).where(Inspection.status == "submitted").order_by(Inspection.submitted_at)
            ).first()[0]
        print(f"data: {inspections:,} inspections, {found:,} findings (scale {args.scale}; made in {made:.0f} s)"
              f"{'; without ix_inspection_queue' if args.without_queue_index else ''}")  # fmt: skip
        token, _ = auth.issue_access_token(world.supervisor)
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(app) as client:
            cursor = client.get("/api/v1/review-queue?limit=50", headers=headers).json()["next"]
            queries = [
                ("queue, first page (50)", "/review-queue?limit=50"),
                ("queue, page 2 (keyset)", f"/review-queue?limit=50&after={cursor}"),
                ("queue, one district", f"/review-queue?limit=50&district_id={world.district.id}"),
                ("queue, inspector by name", "/review-queue?limit=50&inspector=second"),
                ("queue, has non-compliances", "/review-queue?limit=50&has_non_compliances=true"),
                ("queue, severity critical", "/review-queue?limit=50&severity=critical"),
                ("queue, establishment + month", "/review-queue?limit=50&establishment=tower"
                                                 "&date_from=2026-03-01&date_to=2026-03-31"),
                ("inspection desk view", f"/inspections/{sample}/desk"),
                ("dashboard, 12 months, area", "/dashboard?date_from=2025-12-01&date_to=2026-11-30"),
                ("dashboard, 1 month, district", f"/dashboard?date_from=2026-03-01&date_to=2026-03-31"
                                                 f"&district_id={world.district.id}"),
                ("assignments (who has what)", "/assignments"),
                ("staff", "/staff"),
            ]  # fmt: skip
            print(f"{'query':34} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9}")
            for name, path in queries:
                p50, p95, size = measure(client, headers, f"/api/v1{path}", args.runs)
                print(f"{name:34} {p50:8.1f} {p95:8.1f} {size:9,}")
        engine.dispose()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
