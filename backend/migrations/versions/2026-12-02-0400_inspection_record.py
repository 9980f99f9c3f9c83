"""the one record of an inspection: header facts, photos, signatures and notes in the domain

Adds the header's visit date, location text, employer representative, workers present and the GPS fix's time
to ``inspection``; the tables ``inspection_photo``, ``inspection_signature`` and ``finding_note``; and the items
a measure remedies (``enforcement_action.item_ids``). Then moves every fact that only the protocol rows
(``sync_record``) held into them: the header (a ``location`` that is a GPS fix becomes the fix), photos with
their metadata, signatures with the signer, and notes — for every version of the record (an amendment chain
shares the device's one protocol row).

Revision ID: 0009_inspection_record
Revises: 0010_evidence_possession
Create Date: 2026-12-02 04:00:00
"""

import contextlib
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import backend.db
from backend.config import settings

revision: str = "0009_inspection_record"
down_revision: str | None = "0010_evidence_possession"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _table(name: str, *columns: sa.Column[Any] | sa.CheckConstraint) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        *columns,
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspection.id"], name=op.f(f"fk_{name}_inspection_id_inspection"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["recorded_by"], ["user_account.id"], name=op.f(f"fk_{name}_recorded_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_inspection_id"), name, ["inspection_id"], unique=False)


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    with op.batch_alter_table("inspection") as batch:
        batch.add_column(sa.Column("gps_at", backend.db.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("visit_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("location", _text(500), nullable=False, server_default=""))
        batch.add_column(sa.Column("employer_representative", _text(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("workers_present", sa.Integer(), nullable=True))
    _table(
        "finding_note",
        sa.Column("item_id", _text(64), nullable=False),
        sa.Column("text", _text(10_000), nullable=False),
        sa.Column("recorded_at", backend.db.UTCDateTime(), nullable=False),
    )
    _table(
        "inspection_photo",
        sa.Column("item_id", _text(64), nullable=True),
        sa.Column("sha256", _text(64), nullable=False),
        sa.Column("bytes", _counter(), nullable=False),
        sa.Column("mime", _text(100), nullable=False),
        sa.Column("preview_sha256", _text(64), nullable=True),
        sa.Column("preview_bytes", _counter(), nullable=True),
        sa.Column("preview_mime", _text(32), nullable=True),
        sa.Column("taken_at", backend.db.UTCDateTime(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("caption", _text(2000), nullable=False),
        sa.Column("recorded_at", backend.db.UTCDateTime(), nullable=False),
    )
    _table(
        "inspection_signature",
        sa.Column("signer_name", _text(200), nullable=False),
        sa.Column("signer_role", _text(32), nullable=False),
        sa.Column("sha256", _text(64), nullable=False),
        sa.Column("signed_at", backend.db.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "signer_role IN ('inspector','employer','worker_representative','witness')",
            name=op.f("ck_inspection_signature_signer_role"),
        ),
    )
    with op.batch_alter_table("enforcement_action") as batch:
        batch.add_column(sa.Column("item_ids", sa.JSON(), nullable=False, server_default="[]"))
    _move_protocol_facts()
    _cite_moved_files()


def _counter() -> sa.types.TypeEngine[int]:
    """BIGINT on PostgreSQL (a photo's size is bounded at 2^53 - 1, as the protocol's numbers), INTEGER on SQLite."""
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def downgrade() -> None:
    for name in ("inspection_signature", "inspection_photo", "finding_note"):
        op.drop_index(op.f(f"ix_{name}_inspection_id"), table_name=name)
        op.drop_table(name)
    # Plain DROP COLUMN (SQLite 3.35+ has it): a batch copy of ``inspection`` would drop the table that others
    # reference, which SQLite's foreign keys refuse once there is data.
    op.drop_column("enforcement_action", "item_ids")
    for column in ("workers_present", "employer_representative", "location", "visit_date", "gps_at"):
        op.drop_column("inspection", column)


# The data move: plain table clauses (the models change after this revision; a migration must not import them).
SYNC = sa.table("sync_record", sa.column("entity", sa.String), sa.column("key", sa.String), sa.column("data", sa.JSON))
INSPECTION = sa.table(
    "inspection", sa.column("id", sa.Uuid), sa.column("amends_id", sa.Uuid), sa.column("created_by", sa.Uuid),
    sa.column("gps_latitude", sa.Float), sa.column("gps_longitude", sa.Float), sa.column("gps_accuracy_m", sa.Float),
    sa.column("gps_status", sa.String), sa.column("gps_at", backend.db.UTCDateTime()),
    sa.column("visit_date", sa.Date), sa.column("location", sa.String),
    sa.column("employer_representative", sa.String), sa.column("workers_present", sa.Integer),
    sa.column("created_at", backend.db.UTCDateTime()), sa.column("started_at", backend.db.UTCDateTime()),
)  # fmt: skip
ACTION = sa.table("enforcement_action", sa.column("id", sa.Uuid), sa.column("item_id", sa.String),
                  sa.column("item_ids", sa.JSON))  # fmt: skip


def _typed(name: str) -> sa.ColumnClause[Any]:
    kind: Any = sa.Uuid if name in ("id", "inspection_id", "recorded_by") else sa.String
    if name.endswith("_at"):
        kind = backend.db.UTCDateTime()
    elif name in ("bytes", "preview_bytes"):
        kind = sa.Integer
    elif name in ("latitude", "longitude", "accuracy_m"):
        kind = sa.Float
    return sa.column(name, kind)


PHOTO = sa.table("inspection_photo", *map(_typed, (
    "id", "inspection_id", "item_id", "sha256", "bytes", "mime", "preview_sha256", "preview_bytes", "preview_mime",
    "latitude", "longitude", "accuracy_m", "caption", "recorded_by", "taken_at", "recorded_at")))  # fmt: skip
SIGNATURE = sa.table("inspection_signature", *map(_typed, (
    "id", "inspection_id", "signer_name", "signer_role", "sha256", "recorded_by", "signed_at")))  # fmt: skip
NOTE = sa.table("finding_note", *map(_typed, ("id", "inspection_id", "item_id", "text", "recorded_by", "recorded_at")))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _header_values(header: dict[str, Any]) -> dict[str, Any]:
    """The domain columns a protocol header fills (``device_sync.vocabulary`` as of this revision)."""
    values: dict[str, Any] = {}
    location = header.get("location")
    if isinstance(location, str):
        values["location"] = location[:500]
    elif isinstance(location, dict):
        lat, lon = _number(location.get("lat")), _number(location.get("lon"))
        if lat is not None and lon is not None:
            values.update(gps_latitude=lat, gps_longitude=lon, gps_accuracy_m=_number(location.get("accuracy_m")),
                          gps_status="fix", gps_at=_when(location.get("at")))  # fmt: skip
        else:
            values["gps_status"] = "no_fix"
    if isinstance(header.get("employer_representative"), str):
        values["employer_representative"] = header["employer_representative"][:200]
    workers = header.get("workers_present")
    if isinstance(workers, int) and not isinstance(workers, bool) and workers >= 0:
        values["workers_present"] = workers
    with contextlib.suppress(KeyError, TypeError, ValueError):
        values["visit_date"] = date.fromisoformat(header["visit_date"])
    return values


def _cite_moved_files() -> None:
    """The photos, previews and signatures just moved into the record are held by it as migration 0010 holds a
    finding's evidence: cited by their uploader where the uploader is on the inspection's team (or leads it), so
    the evidence route keeps serving them; a file someone else uploaded is not carried over."""
    bind = op.get_bind()
    blob = sa.table("blob", sa.column("sha256", sa.String), sa.column("created_by", sa.Uuid))
    member = sa.table("inspection_member", sa.column("inspection_id", sa.Uuid), sa.column("user_id", sa.Uuid))
    lead = sa.table("inspection", sa.column("id", sa.Uuid), sa.column("lead_inspector_id", sa.Uuid))
    photo = sa.table("inspection_photo", sa.column("inspection_id", sa.Uuid), sa.column("sha256", sa.String),
                     sa.column("preview_sha256", sa.String))  # fmt: skip
    signature = sa.table("inspection_signature", sa.column("inspection_id", sa.Uuid), sa.column("sha256", sa.String))
    citation = sa.table("blob_citation", sa.column("holder_id", sa.Uuid), sa.column("sha256", sa.String),
                        sa.column("cited_by", sa.Uuid), sa.column("cited_at", backend.db.UTCDateTime()))  # fmt: skip
    uploader = dict(bind.execute(sa.select(blob.c.sha256, blob.c.created_by)).all())
    team: dict[Any, set[Any]] = {}
    for iid, uid in [*bind.execute(sa.select(member.c.inspection_id, member.c.user_id)),
                     *bind.execute(sa.select(lead.c.id, lead.c.lead_inspector_id))]:  # fmt: skip
        team.setdefault(iid, set()).add(uid)
    files = [*bind.execute(sa.select(photo.c.inspection_id, photo.c.sha256)),
             *bind.execute(sa.select(photo.c.inspection_id, photo.c.preview_sha256)),
             *bind.execute(sa.select(signature.c.inspection_id, signature.c.sha256))]  # fmt: skip
    held = {tuple(r) for r in bind.execute(sa.select(citation.c.holder_id, citation.c.sha256, citation.c.cited_by))}
    rows = {
        (iid, sha, uploader[sha]) for iid, sha in files if sha in uploader and uploader[sha] in team.get(iid, set())
    } - held
    now = backend.db.utcnow()
    ordered = sorted(rows, key=str)
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start : start + 1000]
        bind.execute(
            citation.insert(), [{"holder_id": h, "sha256": f, "cited_by": c, "cited_at": now} for h, f, c in chunk]
        )


def _move_protocol_facts() -> None:
    conn = op.get_bind()
    zone = ZoneInfo(settings.default_timezone)
    started = conn.execute(sa.select(INSPECTION.c.id, INSPECTION.c.started_at)).all()
    for inspection_id, started_at in started:  # the protocol header's visit date, below, overrides this one
        if started_at is not None:
            day = started_at.astimezone(zone).date()
            conn.execute(INSPECTION.update().where(INSPECTION.c.id == inspection_id).values(visit_date=day))
    for action_id, item_id in conn.execute(sa.select(ACTION.c.id, ACTION.c.item_id)).all():
        if item_id is not None:
            conn.execute(ACTION.update().where(ACTION.c.id == action_id).values(item_ids=[item_id]))
    versions: dict[uuid.UUID, list[uuid.UUID]] = {}  # each original: the original and its amendments
    amends = dict(conn.execute(sa.select(INSPECTION.c.id, INSPECTION.c.amends_id)).all())
    for inspection_id in amends:
        root = inspection_id
        while amends.get(root) is not None:
            root = amends[root]
        versions.setdefault(root, []).append(inspection_id)
    created_by = dict(conn.execute(sa.select(INSPECTION.c.id, INSPECTION.c.created_by)).all())
    created_at = dict(conn.execute(sa.select(INSPECTION.c.id, INSPECTION.c.created_at)).all())
    rows = conn.execute(
        sa.select(SYNC.c.entity, SYNC.c.key, SYNC.c.data).where(
            SYNC.c.entity.in_(("inspection", "photo", "signature", "note"))
        )
    ).all()
    for entity, key, data in rows:
        root = uuid.UUID(key if entity == "inspection" else data["inspection_id"])
        for target in versions.get(root, []):
            if entity == "inspection":
                values = _header_values(data.get("header") or {})
                if values:
                    conn.execute(INSPECTION.update().where(INSPECTION.c.id == target).values(**values))
                continue
            author = _author(data, created_by[target])
            row_id = uuid.UUID(key) if target == root else uuid.uuid5(target, key)
            if entity == "photo":
                geo, preview = data.get("geo") or {}, data.get("preview") or {}
                conn.execute(PHOTO.insert().values(
                    id=row_id, inspection_id=target, item_id=data.get("item_id"), sha256=data["sha256"],
                    bytes=data["bytes"], mime=data["mime"], preview_sha256=preview.get("sha256"),
                    preview_bytes=preview.get("bytes"), preview_mime=preview.get("mime"),
                    latitude=_number(geo.get("lat")), longitude=_number(geo.get("lon")),
                    accuracy_m=_number(geo.get("accuracy_m")), taken_at=_when(geo.get("at")), caption="",
                    recorded_by=author, recorded_at=created_at[target],
                ))  # fmt: skip
            elif entity == "signature":
                conn.execute(SIGNATURE.insert().values(
                    id=row_id, inspection_id=target, signer_name=data["signer_name"], signer_role=data["signer_role"],
                    sha256=data["sha256"], signed_at=None, recorded_by=author,
                ))  # fmt: skip
            else:
                conn.execute(NOTE.insert().values(
                    id=row_id, inspection_id=target, item_id=data["item_id"], text=data["text"], recorded_by=author,
                    recorded_at=created_at[target],
                ))  # fmt: skip


def _author(data: dict[str, Any], fallback: uuid.UUID) -> uuid.UUID:
    try:
        return uuid.UUID(data["author"])
    except (KeyError, TypeError, ValueError):
        return fallback
