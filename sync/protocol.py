"""Wire models of sync protocol version 1 (PROTOCOL.md is the normative text); unknown fields are rejected."""

import hashlib
import json
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Final, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from .canonical import NUL_ESCAPE, canonical_json, has_nul

PROTOCOL_VERSION: Final = 1
MUTATION_NAME = r"^[a-z_]+\.[a-z_]+$"
MAX_BATCH = 200
MAX_PULL_LIMIT = 1000
# Seqs, versions and cursors are 64-bit counters on the server (PROTOCOL.md §2); larger ones are refused.
MAX_COUNTER = 2**63 - 1
# The entities of an inspection's record: a pulled ``delete`` of the inspection removes them too (PROTOCOL.md §5).
INSPECTION_PARTS = ("finding", "note", "photo", "signature", "conflict", "interview", "submission")


class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Mutation(Wire):
    """One change a device made offline: applied exactly once, in ``seq`` order, identified by ``id``."""

    id: UUID
    seq: Annotated[int, Field(ge=1, le=MAX_COUNTER)]
    name: Annotated[str, Field(pattern=MUTATION_NAME, max_length=64)]
    v: Annotated[int, Field(ge=1, le=MAX_COUNTER)] = 1
    client_ts: datetime | None = None
    args: dict[str, Any]

    def fingerprint(self) -> str:
        """SHA-256 of the canonical ``{seq, name, v, args}``: what must match when an id is seen again."""
        return self.fingerprinted()[0]

    def fingerprinted(self) -> tuple[str, bool]:
        """``fingerprint``, and whether the args are exact canonical JSON a server can store. A JSON parser lets
        through values that canonical JSON cannot carry (NaN, ±Infinity, an integer beyond a double, a lone
        surrogate): such args are fingerprinted from a stand-in text, so their repeats are still recognised, and the
        engine rejects them (PROTOCOL.md §3); so it does args with a NUL character, fingerprinted as usual."""
        body = {"seq": self.seq, "name": self.name, "v": self.v, "args": self.args}
        try:
            text = canonical_json(body)
        except ValueError:
            # ASCII only, NaN and Infinity as written. Stricter than the canonical form (1 and 1.0 differ): a
            # client sends a queued mutation's stored bytes again, so its repeats match.
            stand_in = "inexact:" + json.dumps(body, sort_keys=True)
            return hashlib.sha256(stand_in.encode()).hexdigest(), False
        storable = NUL_ESCAPE not in text or not has_nul(self.args)
        return hashlib.sha256(text.encode()).hexdigest(), storable


class PushRequest(Wire):
    protocol: Literal[1]
    device_id: UUID
    app_version: Annotated[str, Field(max_length=64)] | None = None
    mutations: Annotated[list[Mutation], Field(min_length=1)]


class Status(StrEnum):
    applied = "applied"
    duplicate = "duplicate"
    conflict = "conflict"
    rejected = "rejected"


class Outcome(Wire):
    """The final result of applying a mutation; stored and returned again for every repeat."""

    outcome: Literal[Status.applied, Status.conflict, Status.rejected]
    reason: str | None = None
    detail: str | None = None
    server_version: int | None = None
    conflict_ids: list[UUID] = Field(default_factory=list)
    data: dict[str, Any] | None = None


class MutationResult(Wire):
    id: UUID
    seq: int
    outcome: Status
    reason: str | None = None
    detail: str | None = None
    server_version: int | None = None
    conflict_ids: list[UUID] = Field(default_factory=list)
    data: dict[str, Any] | None = None
    original: Outcome | None = None  # for ``duplicate``: the stored outcome of the first application

    @classmethod
    def first(cls, mutation: Mutation, outcome: Outcome) -> "MutationResult":
        # Validated again: with pydantic 2.14 that costs less than ``model_construct`` filling in the defaults.
        return cls(
            id=mutation.id, seq=mutation.seq, outcome=outcome.outcome, reason=outcome.reason, detail=outcome.detail,
            server_version=outcome.server_version, conflict_ids=outcome.conflict_ids, data=outcome.data,
        )  # fmt: skip

    @classmethod
    def repeat(cls, mutation: Mutation, original: Outcome) -> "MutationResult":
        return cls(id=mutation.id, seq=mutation.seq, outcome=Status.duplicate, original=original)

    def final(self) -> Outcome:
        """The outcome that counts, whether this was the first application or a repeat."""
        if self.original is not None:
            return self.original
        return Outcome.model_validate(self.model_dump(exclude={"id", "seq", "original"}))


class PushResponse(Wire):
    protocol: Literal[1] = 1
    device_id: UUID
    last_seq: Annotated[int, Field(ge=0)]
    results: list[MutationResult]


class PullRequest(Wire):
    protocol: Literal[1]
    device_id: UUID
    cursor: Annotated[int, Field(ge=0, le=MAX_COUNTER)] = 0
    limit: Annotated[int, Field(ge=1, le=MAX_PULL_LIMIT)] = 500


class Op(StrEnum):
    upsert = "upsert"
    delete = "delete"


class Change(Wire):
    """One committed change: the whole new state of ``(entity, id)`` at global ``version``."""

    version: Annotated[int, Field(ge=1)]
    entity: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    id: str
    op: Op
    data: dict[str, Any] | None = None


class PullResponse(Wire):
    protocol: Literal[1] = 1
    cursor: Annotated[int, Field(ge=0)]
    more: bool
    last_seq: Annotated[int, Field(ge=0)]
    changes: list[Change]


class ErrorBody(Wire):
    """A request-level failure (``application/problem+json``); the outbox stays as it is."""

    type: str | None = None
    title: str | None = None
    status: int
    code: Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_]+$")]
    detail: str
    expected_seq: int | None = None
    last_seq: int | None = None
    max_batch: int | None = None
    supported: list[int] | None = None
    earliest_cursor: int | None = None
    offset: int | None = None
    mutation_id: UUID | None = None
    errors: list[dict[str, Any]] | None = None


class BlobCreate(Wire):
    bytes: Annotated[int, Field(ge=0)]
    mime: Annotated[str, Field(pattern=r"^[a-z]+/[a-zA-Z0-9.+-]+$")]


class BlobStatus(Wire):
    offset: Annotated[int, Field(ge=0)]
    bytes: Annotated[int, Field(ge=0)]
    verified: bool
    chunk_max: int | None = None
