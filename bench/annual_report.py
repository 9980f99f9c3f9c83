"""The standards reports' build time on PostgreSQL: a province-year made in the database by bench/supervisor.py's
generator (scale 1 = 100,000 inspections, 5,000,000 findings), then the C81 annual report, the ILOSTAT dataset and
the application-of-conventions table built for the nation (all units) and timed; prints the figures.

Run: .venv/bin/python bench/annual_report.py [--scale 0.2]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "backend"))
sys.path.insert(0, str(ROOT / "bench"))

from tests.pgcluster import start_cluster  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.2, help="1 = 100,000 inspections, 5,000,000 findings")
    args = parser.parse_args()
    cluster = start_cluster()
    try:
        url = cluster.create_database("bench_reports")
        os.environ["LI_DATABASE_URL"] = url
        os.environ["LI_ENVIRONMENT"] = "test"
        from sqlalchemy import func, select
        from supervisor import generate
        from world import build_world

        from backend import migrate
        from backend.checklists import service as checklists
        from backend.config import settings
        from backend.db import AppSession, make_engine
        from backend.inspections.models import Finding
        from backend.orgs import scope
        from backend.reports import annual, application, ilostat

        migrate.upgrade(url=url)
        engine = make_engine(url)
        with AppSession(engine, expire_on_commit=False) as session, session.begin():
            checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
            world = build_world(session)
        made = generate(engine, world, int(100_000 * args.scale))
        with AppSession(engine) as session:
            found = session.exec(select(func.count()).select_from(Finding)).one()[0]
            print(f"data: {found:,} findings (scale {args.scale}; made in {made:.0f} s)")
            units = scope.descendants(session, [world.nation.id])
            for name, build in (("annual", annual.build), ("ilostat", ilostat.build),
                                ("application", application.build)):  # fmt: skip
                t = time.monotonic()
                result = build(session, 2025, units, world.nation.id)
                print(f"{name}: {time.monotonic() - t:.2f} s")
                if name == "annual":
                    for table in result.tables:  # type: ignore[attr-defined]
                        print(f"  ({table.section}) {table.key}: {table.rows[:6]}")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
