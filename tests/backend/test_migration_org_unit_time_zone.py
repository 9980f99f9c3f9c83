"""Migration 0013 on a database filled by the code before it (SQLite and PostgreSQL): org units referenced by
establishments get ``time_zone`` NULL (they work in ``LI_DEFAULT_TIMEZONE``, as before), and the downgrade drops
the column with every row kept."""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from backend import migrate
from backend.db import make_engine
from tests.backend.conftest import fresh_url

UNIT = sa.table(
    "org_unit", sa.column("id", sa.Uuid), sa.column("parent_id", sa.Uuid),
    *(sa.column(c) for c in ("level", "code", "name_en", "name_zh")),
)  # fmt: skip


def test_units_keep_their_rows_both_ways(db_kind, request, tmp_path):
    url = fresh_url(db_kind, request, "org_unit_time_zone", tmp_path)
    migrate.upgrade("0012_audit_hash_version", url=url)
    engine = make_engine(url)
    province, district = uuid.uuid4(), uuid.uuid4()
    try:
        with engine.begin() as conn:
            conn.execute(UNIT.insert().values(id=province, parent_id=None, level="province", code="11",
                                              name_en="Beijing", name_zh="北京"))  # fmt: skip
            conn.execute(UNIT.insert().values(id=district, parent_id=province, level="district", code="110101",
                                              name_en="Dongcheng", name_zh="东城"))  # fmt: skip
            table = sa.Table("establishment", sa.MetaData(), autoload_with=conn)  # as 0012 left it
            ident = (lambda u: u.hex) if db_kind == "sqlite" else (lambda u: u)  # reflected: CHAR(32) on SQLite
            given = {"id": ident(uuid.uuid4()), "name": "Works", "registration_number": "R1", "address": "1 Road",
                     "district_id": ident(district), "isic": "1410"}  # fmt: skip
            for c in table.columns:
                if c.name not in given and not c.nullable and c.server_default is None:
                    kind = c.type.python_type
                    given[c.name] = {int: 0, bool: False, str: "", datetime: datetime.now(UTC)}[kind]
            conn.execute(table.insert().values(**given))
        migrate.upgrade(url=url)
        with engine.begin() as conn:
            rows = conn.execute(sa.text("SELECT code, time_zone FROM org_unit ORDER BY code")).all()
            assert [tuple(r) for r in rows] == [("11", None), ("110101", None)]
            conn.execute(sa.text("UPDATE org_unit SET time_zone = 'Asia/Urumqi' WHERE code = '110101'"))
        migrate.downgrade("0012_audit_hash_version", url=url)
        with engine.begin() as conn:
            assert "time_zone" not in {c["name"] for c in sa.inspect(conn).get_columns("org_unit")}
            assert conn.execute(sa.text("SELECT count(*) FROM org_unit")).scalar() == 2
            assert conn.execute(sa.text("SELECT count(*) FROM establishment")).scalar() == 1
        migrate.upgrade(url=url)
    finally:
        engine.dispose()
