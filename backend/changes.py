"""Domain change events: what a domain service changed that devices hold a copy of. Services record them on the
transaction's typed context (``record``); ``device_sync.projection`` turns them into sync rows at commit, the way
a job queue maps event names to jobs. An event names its object only; the projection reads what it is now.
"""

import uuid
from dataclasses import dataclass, field

from sqlmodel import Session

from backend.db import context_of


@dataclass(frozen=True)
class InspectionChanged:
    """Its header, status, team or review (and so its establishment's history)."""

    id: uuid.UUID


@dataclass(frozen=True)
class FindingChanged:
    """A finding recorded over REST (a device's own findings are already its protocol rows)."""

    id: uuid.UUID


@dataclass(frozen=True)
class EstablishmentChanged:
    id: uuid.UUID


@dataclass(frozen=True)
class ChecklistChanged:
    """A newly published checklist version."""

    id: uuid.UUID


@dataclass(frozen=True)
class ComplaintChanged:
    id: uuid.UUID


@dataclass(frozen=True)
class ActionChanged:
    """An enforcement action recorded or closed."""

    id: uuid.UUID


@dataclass(frozen=True)
class ScopeChanged:
    """A user's role or own org units changed (``auth.service.update_user``); what they were before the
    transaction's first such change, so the projection can compare what the user's devices could pull."""

    id: uuid.UUID  # the user
    role_before: str
    units_before: frozenset[uuid.UUID]


@dataclass(frozen=True)
class EstablishmentMoved:
    """An establishment moved to another district (``orgs.service.move_establishment``); the one it left."""

    id: uuid.UUID
    from_district: uuid.UUID


@dataclass(frozen=True)
class InspectionSubmitted:
    """A version of the record was submitted: ``enforcement.violations`` derives its violations at commit."""

    id: uuid.UUID
    actor_id: uuid.UUID


Change = (
    InspectionChanged | FindingChanged | EstablishmentChanged | ChecklistChanged | ComplaintChanged | ActionChanged
    | ScopeChanged | EstablishmentMoved | InspectionSubmitted
)  # fmt: skip


@dataclass
class Changes:
    """A transaction's change events, each once, in the order first recorded; ``in_mutation`` while a device
    mutation is being applied (its protocol rows are written by its handler: the projection waits for the
    request's commit)."""

    events: dict[Change, None] = field(default_factory=dict)
    in_mutation: int = 0


def record(session: Session, *events: Change) -> None:
    """Note that this transaction changed these objects."""
    context_of(session).part(Changes).events.update(dict.fromkeys(events))


def changes_of(session: Session) -> Changes:
    return context_of(session).part(Changes)
