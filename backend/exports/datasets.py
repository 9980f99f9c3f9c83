"""The registry of datasets: each names its columns, the filters that apply to it, its scoped SQL statement and how
a result row becomes an exported row. ``rows`` streams (``yield_per``: a server-side cursor on PostgreSQL), ``count``
sizes a job's progress."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from backend.auth.models import User
from backend.errors import NotFound
from backend.exports.filters import Filters, check_supported

Mapper = Callable[[Any], Sequence[Any]]


def _plain(row: Any) -> Sequence[Any]:
    return tuple(row)


@dataclass(frozen=True)
class Dataset:
    name: str
    header: tuple[str, ...]
    supports: frozenset[str]
    statement: Callable[[Session, User | None, Filters], Any]
    mapper: Callable[[Session], Mapper] = lambda session: _plain


REGISTRY: dict[str, Dataset] = {}
NAMES = ("inspections", "findings", "violations", "measures", "penalties", "complaints", "accidents",
         "injured_persons")  # fmt: skip


def register(dataset: Dataset) -> Dataset:
    REGISTRY[dataset.name] = dataset
    return dataset


def _load() -> None:
    from backend.exports import accidents, complaints, findings, inspections, measures, violations  # noqa: F401


def get(name: str, f: Filters) -> Dataset:
    _load()
    dataset = REGISTRY.get(name)
    if dataset is None:
        raise NotFound("export.dataset_not_found", "No such dataset to export.", dataset=name, datasets=list(NAMES))
    check_supported(f, name, dataset.supports)
    return dataset


def rows(session: Session, user: User | None, dataset: Dataset, f: Filters) -> Iterator[Sequence[Any]]:
    stmt = dataset.statement(session, user, f).execution_options(yield_per=1000)
    mapper = dataset.mapper(session)
    for row in session.execute(stmt):
        yield mapper(row)


def count(session: Session, user: User | None, dataset: Dataset, f: Filters) -> int:
    inner = dataset.statement(session, user, f).order_by(None).subquery()
    return int(session.execute(sa.select(sa.func.count()).select_from(inner)).scalar_one())
