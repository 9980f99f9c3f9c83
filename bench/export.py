"""The findings export's speed on PostgreSQL: findings made in the database by bench/supervisor.py's generator, then
in one run the baselines (PostgreSQL's own ``COPY (the export's query) TO STDOUT`` and simply reading the rows
through SQLAlchemy) and the export as CSV and as XLSX (constant_memory), each timed; prints rows/s, the ratio to
the baselines and the process's peak RSS after each step.

Run: .venv/bin/python bench/export.py [--findings 1000000]
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "backend"))
sys.path.insert(0, str(ROOT / "bench"))

from tests.pgcluster import start_cluster  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings", type=int, default=200_000, help="how many findings to generate (50 a visit)")
    args = parser.parse_args()
    cluster = start_cluster()
    try:
        url = cluster.create_database("bench_export")
        os.environ["LI_DATABASE_URL"] = url
        os.environ["LI_ENVIRONMENT"] = "test"
        from sqlalchemy import func, select
        from sqlmodel import Session
        from supervisor import generate
        from world import build_world

        from backend import migrate
        from backend.checklists import service as checklists
        from backend.config import settings
        from backend.db import AppSession, make_engine
        from backend.exports import datasets, service
        from backend.exports.filters import Filters
        from backend.inspections.models import Finding

        migrate.upgrade(url=url)
        engine = make_engine(url)
        with AppSession(engine, expire_on_commit=False) as session, session.begin():
            checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
            world = build_world(session)
        made = generate(engine, world, max(1, args.findings // 50))
        f = Filters()
        dataset = datasets.get("findings", f)
        with Session(engine) as session:
            n = session.exec(select(func.count()).select_from(Finding)).one()[0]
            print(f"data: {n:,} findings (made in {made:.0f} s); peak RSS {rss_mb():.0f} MB")
            stmt = dataset.statement(session, world.admin, f)
            sql = str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
        timings: dict[str, float] = {}
        raw = engine.raw_connection()
        try:
            t = time.monotonic()
            size = 0
            with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:  # type: ignore[attr-defined]
                for block in copy:
                    size += len(block)
            timings["copy"] = time.monotonic() - t
        finally:
            raw.close()
        print(f"COPY TO STDOUT: {n / timings['copy']:,.0f} rows/s ({size / 2**20:.0f} MiB); peak RSS {rss_mb():.0f} MB")
        with Session(engine) as session:
            t = time.monotonic()
            read = sum(1 for _ in session.execute(dataset.statement(session, world.admin, f).execution_options(
                yield_per=1000)))  # fmt: skip
            timings["read"] = time.monotonic() - t
        assert read == n
        print(f"read rows: {n / timings['read']:,.0f} rows/s; peak RSS {rss_mb():.0f} MB")
        with tempfile.TemporaryDirectory() as tmp:
            for fmt in ("csv", "xlsx"):
                with Session(engine) as session:
                    path = Path(tmp) / f"findings.{fmt}"
                    t = time.monotonic()
                    rows = service.write(session, world.admin, dataset, f, fmt, path)  # type: ignore[arg-type]
                    timings[fmt] = time.monotonic() - t
                assert rows == n
                print(f"{fmt}: {n / timings[fmt]:,.0f} rows/s ({path.stat().st_size / 2**20:.0f} MiB), "
                      f"{timings['read'] / timings[fmt]:.2f} x reading the rows, "
                      f"{timings['copy'] / timings[fmt]:.2f} x COPY; peak RSS {rss_mb():.0f} MB")  # fmt: skip
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
