"""Migration 0018 with data: downgrading opens each sealed complainant back into the old ``source`` text (and
drops complaints about unregistered workplaces, which the old table cannot hold); upgrading seals it again."""

from datetime import date

from sqlalchemy import text
from sqlmodel import select

from backend import migrate
from backend.complaints import identity
from backend.complaints.models import Complaint
from backend.db import AppSession, make_engine
from tests.backend.conftest import fresh_url
from tests.backend.world import build_world


def test_the_identity_survives_downgrade_and_upgrade(db_kind, request, tmp_path):
    url = fresh_url(db_kind, request, "migration_identity", tmp_path)
    migrate.upgrade(url=url)
    engine = make_engine(url)
    try:
        with AppSession(engine, expire_on_commit=False) as session, session.begin():
            world = build_world(session)
            who = identity.Complainant(name="Old Planted", phone="13800000002")
            common = {"district_id": world.district.id, "summary": "s", "received_on": date(2026, 11, 1),
                      "created_by": world.inspector.id}  # fmt: skip
            session.add(Complaint(establishment_id=world.factory.id, anonymous=False,
                                  complainant_token=identity.seal(who), **common))  # fmt: skip
            session.add(Complaint(establishment_id=world.factory.id, **common))
            session.add(Complaint(workplace_name="somewhere", **common))
        migrate.downgrade("0012_audit_hash_version", url=url)
        with engine.connect() as conn:
            sources = sorted(conn.execute(text("SELECT source FROM complaint")).scalars())
        assert sources == ["", "Old Planted; 13800000002"]
        migrate.upgrade(url=url)
        with AppSession(engine) as session:
            rows = session.exec(select(Complaint)).all()
            sealed = [r for r in rows if not r.anonymous]
            assert len(rows) == 2 and len(sealed) == 1 and sealed[0].complainant_token is not None
            assert identity.unseal(sealed[0].complainant_token).other == "Old Planted; 13800000002"
    finally:
        engine.dispose()
