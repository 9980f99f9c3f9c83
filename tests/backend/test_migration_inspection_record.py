"""Migration 0009 on a database filled as the code before it wrote it (SQLite and PostgreSQL): the facts that only
the protocol rows held — the GPS fix, location, employer representative, photos with their metadata, signatures
with the signer, item notes — are in the domain after the upgrade, for the original and its amendment."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from backend import migrate
from backend.db import make_engine
from tests.backend.conftest import fresh_url

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def _table(table_name: str, **types: Any) -> sa.TableClause:
    return sa.table(table_name, *(sa.column(c, t) for c, t in types.items()))


U, S, N, F, J, T, D, B = (
    sa.Uuid,
    sa.String,
    sa.Integer,
    sa.Float,
    sa.JSON,
    sa.DateTime(timezone=True),
    sa.Date,
    sa.Boolean,
)
USER = _table("user_account", id=U, email=S, name=S, sex=S, role=S, active=B, password_hash=S, created_at=T)
UNIT = _table("org_unit", id=U, parent_id=U, level=S, code=S, name_en=S, name_zh=S)
EST = _table("establishment", id=U, name=S, registration_type=S, registration_number=S, address=S, district_id=U,
             isic=S, workers_total=N, workers_women=N, workers_under_18=N, contact_name=S, contact_phone=S,
             contact_email=S, created_at=T, updated_at=T)  # fmt: skip
INSP = _table("inspection", id=U, establishment_id=U, district_id=U, type=S, status=S, lead_inspector_id=U,
              created_by=U, started_at=T, gps_status=S, summary=S, version=N, revision=N, amends_id=U,
              amendment_reason=S, created_at=T, updated_at=T)  # fmt: skip
ACTION = _table("enforcement_action", id=U, inspection_id=U, establishment_id=U, district_id=U, item_id=S, measure=S,
                text=S, status=S, close_note=S, created_by=U, created_at=T)  # fmt: skip
BLOB = _table("blob", sha256=S, bytes=N, mime=S, created_by=U, created_at=T, verified_at=T)
SYNC = _table("sync_record", entity=S, key=S, inspection_id=U, version=N, data=J)


def _fill(conn: sa.Connection) -> dict[str, uuid.UUID]:
    """One inspector, district, establishment; an inspection synced by a tablet and amended; its sync rows as
    ``device_sync.handlers`` wrote them before 0009 (the header's location a GPS fix, as the app sends it)."""
    ids = {k: uuid.uuid4() for k in ("user", "unit", "est", "insp", "amendment", "photo", "signature", "note", "act")}
    conn.execute(USER.insert().values(id=ids["user"], email="i@x.example", name="I", sex="female", role="inspector",
                                      active=True, password_hash="x", created_at=NOW))  # fmt: skip
    conn.execute(UNIT.insert().values(id=ids["unit"], level="district", code="D1", name_en="D", name_zh="D"))
    conn.execute(EST.insert().values(
        id=ids["est"], name="F", registration_type="uscc", registration_number="1", address="A",
        district_id=ids["unit"], isic="1410", workers_total=10, workers_women=5, workers_under_18=0, contact_name="",
        contact_phone="", contact_email="", created_at=NOW, updated_at=NOW,
    ))  # fmt: skip
    for key, amends, status in (("insp", None, "submitted"), ("amendment", ids["insp"], "submitted")):
        conn.execute(INSP.insert().values(
            id=ids[key], establishment_id=ids["est"], district_id=ids["unit"], type="planned", status=status,
            lead_inspector_id=ids["user"], created_by=ids["user"], started_at=datetime(2026, 11, 19, tzinfo=UTC),
            gps_status="not_taken", summary="", version=3, revision=1, amends_id=amends,
            amendment_reason="typo" if amends else None, created_at=NOW, updated_at=NOW,
        ))  # fmt: skip
    conn.execute(ACTION.insert().values(
        id=ids["act"], inspection_id=ids["insp"], establishment_id=ids["est"], district_id=ids["unit"],
        item_id="ga.est.01", measure="warning", text="", status="open", close_note="", created_by=ids["user"],
        created_at=NOW,
    ))  # fmt: skip
    for sha in ("a" * 64, "b" * 64, "c" * 64):  # the photo, its preview and the signature, uploaded by the inspector
        conn.execute(BLOB.insert().values(sha256=sha, bytes=9, mime="image/jpeg", created_by=ids["user"],
                                          created_at=NOW, verified_at=NOW))  # fmt: skip
    iid, author = str(ids["insp"]), str(ids["user"])
    rows = [
        ("inspection", iid, {
            "establishment_id": str(ids["est"]), "checklist": "general-administration@1", "lead": author,
            "team": [author], "status": "submitted", "type": "planned", "record_id": str(ids["amendment"]),
            "header": {"visit_date": "2026-11-19", "location": {"lat": 31.5, "lon": 121.25, "accuracy_m": 12.0},
                       "employer_representative": "Li Ming", "workers_present": 40},
            "header_meta": {}, "header_conflicts": {}, "submission_id": None, "submitted_hash": None,
            "author": author,
        }),
        ("photo", str(ids["photo"]), {
            "inspection_id": iid, "item_id": "ga.est.01", "sha256": "a" * 64, "bytes": 900, "mime": "image/jpeg",
            "geo": {"lat": 31.5, "lon": 121.25, "accuracy_m": 9.0},
            "preview": {"sha256": "b" * 64, "bytes": 120, "mime": "image/webp"}, "author": author,
        }),
        ("signature", str(ids["signature"]), {
            "inspection_id": iid, "signer_name": "Li Ming", "signer_role": "employer", "sha256": "c" * 64,
            "author": author,
        }),
        ("note", str(ids["note"]), {"inspection_id": iid, "item_id": "ga.est.01", "text": "seen", "author": author}),
    ]  # fmt: skip
    for version, (entity, key, data) in enumerate(rows, start=1):
        conn.execute(SYNC.insert().values(entity=entity, key=key, inspection_id=ids["insp"], version=version,
                                          data=data))  # fmt: skip
    return ids


def test_the_upgrade_moves_what_only_sync_rows_held_into_the_domain(db_kind, request, tmp_path):
    url = fresh_url(db_kind, request, "migration_0009", tmp_path)
    migrate.upgrade("0007_sync_record_by_inspection", url=url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            ids = _fill(conn)
        migrate.upgrade(url=url)
        with engine.connect() as conn:
            for version in (ids["insp"], ids["amendment"]):
                header = conn.execute(sa.text(
                    "SELECT gps_status, gps_latitude, gps_longitude, gps_accuracy_m, location, "
                    "employer_representative, workers_present, visit_date FROM inspection WHERE id = :id"
                ), {"id": version.hex if db_kind == "sqlite" else version}).one()  # fmt: skip
                visit = header[7] if isinstance(header[7], date) else date.fromisoformat(header[7])
                assert tuple(header[:7]) == ("fix", 31.5, 121.25, 12.0, "", "Li Ming", 40)
                assert visit == date(2026, 11, 19)
            photos = conn.execute(sa.text(
                "SELECT inspection_id, item_id, sha256, bytes, preview_sha256, preview_mime, latitude, accuracy_m "
                "FROM inspection_photo ORDER BY inspection_id"
            )).all()  # fmt: skip
            assert len(photos) == 2  # the original and its amendment both hold it
            assert {tuple(p[1:]) for p in photos} == {("ga.est.01", "a" * 64, 900, "b" * 64, "image/webp", 31.5, 9.0)}
            signatures = conn.execute(sa.text("SELECT signer_name, signer_role, sha256 FROM inspection_signature"))
            assert {tuple(s) for s in signatures} == {("Li Ming", "employer", "c" * 64)}
            notes = conn.execute(sa.text("SELECT item_id, text FROM finding_note")).all()
            assert [tuple(n) for n in notes] == [("ga.est.01", "seen")] * 2
            [items] = conn.execute(
                sa.select(sa.column("item_ids", sa.JSON)).select_from(sa.table("enforcement_action"))
            ).one()
            assert items == ["ga.est.01"]
            cited = conn.execute(sa.text("SELECT holder_id, sha256, cited_by FROM blob_citation")).all()
            as_uuid = lambda v: v if isinstance(v, uuid.UUID) else uuid.UUID(str(v))  # noqa: E731
            held = {(as_uuid(h), sha, as_uuid(by)) for h, sha, by in cited}
            # the original and its amendment hold the photo, its preview and the signature: the evidence route
            # keeps serving them after the upgrade
            assert held == {(v, c * 64, ids["user"]) for v in (ids["insp"], ids["amendment"]) for c in "abc"}
        migrate.downgrade("0007_sync_record_by_inspection", url=url)
        migrate.upgrade(url=url)
    finally:
        engine.dispose()
