"""The per-inspection rollup the desk's queue filters read (SQLite and PostgreSQL): written by the submission,
replaced by a resubmission, and rebuilt by migration 0025's backfill exactly as the submission writes it."""

import importlib.util
import uuid
from pathlib import Path
from types import ModuleType

import pytest
from sqlmodel import col, delete, select

from backend.inspections import rollup
from backend.inspections.rollup import InspectionRollup
from tests.backend.test_desk import submitted

pytestmark = pytest.mark.usefixtures("world")

MIGRATION = Path(__file__).parents[2] / "backend/migrations/versions/2026-12-03-0720_inspection_rollup.py"


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rollup_migration", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(session, ids):
    wanted = col(InspectionRollup.inspection_id).in_([uuid.UUID(i) for i in ids])
    found = session.exec(select(InspectionRollup).where(wanted)).all()
    return {str(r.inspection_id): (r.non_compliances, r.critical, r.major, r.minor, r.worst_severity) for r in found}


def _severities(checklist):
    by = {"critical": 0, "major": 0, "minor": 0}
    for section in checklist["definition"]["sections"]:
        for item in section["items"]:
            by[item["severity"]] += 1
    return by


def test_submission_writes_the_rollup_and_the_backfill_rebuilds_it(session, as_, inspector, world, checklist):
    api = as_(inspector)
    clean = submitted(api, world.factory, checklist)
    failing = submitted(api, world.building_site, checklist, status="non_compliant")
    by = _severities(checklist)
    worst = next(s for s in rollup.SEVERITIES if by[s])
    total = sum(by.values())
    written = _rows(session, [clean, failing])
    assert written == {
        clean: (0, 0, 0, 0, None),
        failing: (total, by["critical"], by["major"], by["minor"], worst),
    }
    pinned = [{"key": checklist["key"], "version": checklist["version"]}]
    body = {"establishment_id": str(world.factory.id), "type": "planned", "checklists": pinned}
    draft = api.post("/inspections", json=body)
    assert draft.status_code == 201, draft.text
    assert _rows(session, [draft.json()["id"]]) == {}  # a draft has no rollup: the queue shows only submissions

    session.exec(delete(InspectionRollup))
    session.flush()
    _migration()._backfill(session.connection())
    session.expire_all()
    assert _rows(session, [clean, failing]) == written
    assert _rows(session, [draft.json()["id"]]) == {}


def test_queue_filters_read_the_rollup(as_, inspector, supervisor, world, checklist):
    api = as_(inspector)
    clean = submitted(api, world.factory, checklist)
    failing = submitted(api, world.building_site, checklist, status="non_compliant")
    sup = as_(supervisor)

    def only(**params):
        r = sup.get("/review-queue", params=params)
        assert r.status_code == 200, r.text
        return {row["id"] for row in r.json()["items"]} & {clean, failing}

    assert only(has_non_compliances="true") == {failing}
    assert only(has_non_compliances="false") == {clean}
    for severity, n in _severities(checklist).items():
        assert only(severity=severity) == ({failing} if n else set()), severity
    assert only(severity="catastrophic") == set()  # no item has it: nothing matches, as before the rollup
