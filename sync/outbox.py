"""A device's durable state in one SQLite file: the outbox, outcomes, the pull cursor and a replica.

Seq numbers are assigned in the same SQLite transaction that writes the outbox row, so a crash can
neither lose an entry nor reuse a seq; entries leave only when the server acknowledges their seq.
"""

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from .canonical import storable_json
from .ids import uuid7
from .protocol import INSPECTION_PARTS, Change, Mutation, MutationResult, Op

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, v INTEGER NOT NULL,
  args TEXT NOT NULL, client_ts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outcome (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, result TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS replica (
  entity TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (entity, id));
"""


class OutboxCorrupt(RuntimeError):
    """The stored counters contradict the outbox rows: never auto-repaired."""


class Outbox:
    """One device's outbox; safe to close and reopen at any moment (every write is one transaction)."""

    def __init__(self, path: str | Path, device_id: UUID | None = None) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        for statement in filter(str.strip, SCHEMA.split(";")):
            self._db.execute(statement)
        with self._tx() as db:
            stored = self._meta(db, "device_id")
            if stored is None:
                stored = str(device_id or uuid7())
                for key, value in {
                    "device_id": stored,
                    "next_seq": "1",
                    "acked_seq": "0",
                    "cursor": "0",
                }.items():
                    db.execute("INSERT INTO meta VALUES (?, ?)", (key, value))
            elif device_id is not None and UUID(stored) != device_id:
                raise ValueError(f"{self.path} belongs to device {stored}")
        self.device_id = UUID(stored)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @staticmethod
    def _meta(db: sqlite3.Connection, key: str) -> str | None:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @staticmethod
    def _set(db: sqlite3.Connection, key: str, value: object) -> None:
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (str(value), key))

    def close(self) -> None:
        self._db.close()

    # --- outbox ------------------------------------------------------------------------------------------
    def enqueue(self, name: str, args: dict[str, Any], v: int = 1) -> Mutation:
        """Append a mutation under the next seq (validated before anything is written). Args canonical JSON
        cannot carry (NaN, Infinity, a lone surrogate) or a server cannot store (a NUL character) are refused here
        (``ValueError``), before they are queued: sent, they would change on the way (NaN as null), stop the push in
        this client or be rejected."""
        storable_json(args)
        with self._tx() as db:
            seq = int(self._meta(db, "next_seq") or 1)
            mutation = Mutation(id=uuid7(), seq=seq, name=name, v=v, client_ts=datetime.now(UTC), args=args)
            db.execute(
                "INSERT INTO outbox VALUES (?, ?, ?, ?, ?, ?)",
                (seq, str(mutation.id), name, v, json.dumps(args), mutation.client_ts.isoformat()),  # type: ignore[union-attr]
            )
            self._set(db, "next_seq", seq + 1)
        return mutation

    def pending(self, limit: int = 1_000_000, from_seq: int = 0) -> list[Mutation]:
        rows = self._db.execute(
            "SELECT seq, id, name, v, args, client_ts FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?",
            (from_seq, limit),
        ).fetchall()
        return [
            Mutation(id=UUID(i), seq=s, name=n, v=v, args=json.loads(a), client_ts=datetime.fromisoformat(ts))
            for s, i, n, v, a, ts in rows
        ]

    def seq_range(self) -> tuple[int, int] | None:
        """(lowest, highest) seq still in the outbox, or None when it is empty."""
        lo, hi = self._db.execute("SELECT min(seq), max(seq) FROM outbox").fetchone()
        return None if lo is None else (lo, hi)

    @property
    def next_seq(self) -> int:
        return int(self._meta(self._db, "next_seq") or 1)

    @property
    def acked_seq(self) -> int:
        return int(self._meta(self._db, "acked_seq") or 0)

    def acknowledge(self, last_seq: int, results: Sequence[MutationResult]) -> int:
        """Record the outcomes received and drop those entries (only ever ``seq <= last_seq``).

        An entry the server consumed whose outcome did not come back (an earlier response was lost)
        stays and is sent again: the server answers ``duplicate`` with the stored outcome."""
        with self._tx() as db:
            if last_seq >= int(self._meta(db, "next_seq") or 1):
                raise OutboxCorrupt(f"server acknowledged seq {last_seq}, which this device never created")
            answered = [r for r in results if r.seq <= last_seq]
            held: dict[int, str] = {}
            if answered:  # the rows they answer, in one read (a batch's seqs are consecutive)
                low, high = min(r.seq for r in answered), max(r.seq for r in answered)
                held = dict(db.execute("SELECT seq, id FROM outbox WHERE seq BETWEEN ? AND ?", (low, high)))
            done = []
            for r in answered:
                stored = held.pop(r.seq, None)
                if stored is None:  # acknowledged before (or answered twice in this response)
                    continue
                if stored != str(r.id):
                    raise OutboxCorrupt(f"server answered seq {r.seq} with id {r.id}; the outbox holds {stored}")
                done.append((r.seq, stored, r.model_dump_json()))
            db.executemany("INSERT OR IGNORE INTO outcome VALUES (?, ?, ?)", done)
            dropped = db.executemany("DELETE FROM outbox WHERE seq = ?", [(seq,) for seq, _, _ in done]).rowcount
            self._set(db, "acked_seq", max(last_seq, int(self._meta(db, "acked_seq") or 0)))
        return max(dropped, 0)

    def outcomes(self) -> list[MutationResult]:
        rows = self._db.execute("SELECT result FROM outcome ORDER BY seq").fetchall()
        return [MutationResult.model_validate_json(r[0]) for r in rows]

    def check(self) -> None:
        """The client invariant: the outbox is a contiguous run of seqs ending at ``next_seq - 1``, or it
        is empty and everything created has been acknowledged."""
        span = self.seq_range()
        last_created = self.next_seq - 1
        count = self._db.execute("SELECT count(*) FROM outbox").fetchone()[0]
        if span is None and self.acked_seq != last_created:
            raise OutboxCorrupt(f"outbox empty but acked {self.acked_seq} != created {last_created}")
        if span is not None and (span[1] != last_created or count != span[1] - span[0] + 1):
            raise OutboxCorrupt(f"outbox seqs {span} (count {count}) are not the tail up to {last_created}")

    # --- pull side ---------------------------------------------------------------------------------------
    @property
    def cursor(self) -> int:
        return int(self._meta(self._db, "cursor") or 0)

    def apply_changes(self, changes: Sequence[Change], cursor: int) -> None:
        """Apply one pulled page and store its cursor in the same transaction."""
        with self._tx() as db:
            for c in changes:
                if c.op == Op.delete:
                    db.execute("DELETE FROM replica WHERE entity = ? AND id = ?", (c.entity, c.id))
                    if c.entity == "inspection":  # and its record's rows (PROTOCOL.md §5)
                        marks = ",".join("?" * len(INSPECTION_PARTS))
                        db.execute(
                            f"DELETE FROM replica WHERE entity IN ({marks}) "
                            "AND json_extract(data, '$.inspection_id') = ?",
                            (*INSPECTION_PARTS, c.id),
                        )
                else:
                    db.execute(
                        "INSERT INTO replica VALUES (?, ?, ?, ?) ON CONFLICT (entity, id) DO UPDATE "
                        "SET version = excluded.version, data = excluded.data "
                        "WHERE excluded.version > replica.version",
                        (c.entity, c.id, c.version, json.dumps(c.data)),
                    )
            self._set(db, "cursor", max(cursor, self.cursor))

    def reset_cursor(self) -> None:
        """Start a full resync (after ``sync.cursor_expired``); pulled rows are overwritten as they come."""
        with self._tx() as db:
            self._set(db, "cursor", 0)

    def replica(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The pulled server state: entity -> id -> data."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for entity, key, data in self._db.execute("SELECT entity, id, data FROM replica"):
            out.setdefault(entity, {})[key] = json.loads(data)
        return out
