"""Proof of possession: which records hold a blob, so that a hash seen once is never a read capability.

A record holds a blob when its uploader (``Blob.created_by``) cited it there; a record an amendment copies
(``lineage``) passes its blobs on. Citing someone else's blob is refused unless the record already holds it; a
blob not uploaded yet may be cited (a tablet pushes first, uploads later) and is held once its citer uploads it.
"""

import uuid
from collections.abc import Iterable

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from backend.attachments.models import Blob, BlobCitation
from backend.db import utcnow
from backend.errors import Forbidden


def held(session: Session, lineage: list[uuid.UUID], shas: Iterable[str]) -> set[str]:
    """Those of ``shas`` that one of the records in ``lineage`` holds (cited there by their uploader)."""
    wanted = set(shas)
    if not wanted or not lineage:
        return set()
    stmt = (
        select(BlobCitation.sha256)
        .join(Blob, col(Blob.sha256) == col(BlobCitation.sha256))
        .where(
            col(BlobCitation.holder_id).in_(lineage),
            col(BlobCitation.sha256).in_(wanted),
            col(BlobCitation.cited_by) == col(Blob.created_by),
        )
    )
    return set(session.exec(stmt).all())


def cite(session: Session, user_id: uuid.UUID, shas: Iterable[str], lineage: list[uuid.UUID]) -> None:
    """Record that ``user_id`` cites ``shas`` in ``lineage[0]`` (the record; the rest: those it carries evidence
    from). ``evidence.not_possessed``, nothing written, for a blob someone else uploaded (or is uploading) that
    the record does not hold already."""
    wanted = sorted(set(shas))
    if not wanted:
        return
    with session.no_autoflush:  # a batched push keeps its pending writes back; nothing read here is among them
        _cite(session, user_id, wanted, lineage)


def _cite(session: Session, user_id: uuid.UUID, wanted: list[str], lineage: list[uuid.UUID]) -> None:
    uploaders = dict(session.exec(select(Blob.sha256, Blob.created_by).where(col(Blob.sha256).in_(wanted))).all())
    own = [s for s in wanted if uploaders.get(s, user_id) == user_id]  # uploaded by the citer, or not yet
    refused = sorted(set(wanted) - set(own) - held(session, lineage, set(wanted) - set(own)))
    if refused:
        raise Forbidden(
            "evidence.not_possessed",
            "A cited file was uploaded by someone else and this record does not hold it; upload your own copy.",
            refused=refused,
        )
    if own:
        rows = [{"holder_id": lineage[0], "sha256": s, "cited_by": user_id, "cited_at": utcnow()} for s in own]
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(BlobCitation).values(rows).on_conflict_do_nothing())
