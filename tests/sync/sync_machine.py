"""The Hypothesis state machine for sync (SYNC.md §5.7): ``make_machine(factory)`` runs it over any store.

A factory returns a fresh ``Harness`` (``Store`` plus test hooks) and its handler registry, so the SQL store
can run through the very same machine as the in-memory reference store.
"""

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID, uuid5

import pytest
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from sync.attested import content_hash_v2
from sync.engine import Engine
from sync.errors import SyncError
from sync.hashing import Tables
from sync.protocol import Mutation, Outcome, PullRequest, PushRequest, PushResponse, Status
from sync.registry import Registry
from sync.store import Actor, AppliedRecord, Store


class Harness(Store, Protocol):
    """What the machine needs from a store under test besides ``sync.store.Store``."""

    def transaction(self) -> AbstractContextManager[Any]: ...
    def register_device(self, device_id: UUID, user_id: str, role: str = "inspector") -> Actor: ...
    def verify_blob(self, sha256: str) -> None: ...
    def snapshot(self) -> Tables: ...
    def visible(self, actor: Actor) -> Tables: ...
    def applied_records(self) -> list[AppliedRecord]: ...
    def first_applications(self) -> list[UUID]: ...


Factory = Callable[[], tuple[Harness, Registry]]
NS = UUID("5d1c0e55-0000-4000-8000-000000000000")
USERS = [("u-lead", "inspector"), ("u-two", "inspector"), ("u-sup", "supervisor")]
ITEMS = ["a.1", "a.2"]
VALUES = ["compliant", "non_compliant", "not_checked"]
BLOBS = [hashlib.sha256(bytes([i])).hexdigest() for i in range(2)]


class Crash(Exception):  # injected between applying a batch and committing it
    pass


@dataclass
class Dev:
    actor: Actor
    created: list[Mutation] = field(default_factory=list)
    outbox: list[Mutation] = field(default_factory=list)
    done: set[int] = field(default_factory=set)  # seqs acknowledged with their outcome, gone from the outbox
    view: Tables = field(default_factory=dict)
    cursor: int = 0


def make_machine(factory: Factory) -> type[RuleBasedStateMachine]:
    class SyncMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.store, registry = factory()
            self.engine = Engine(registry, max_batch=8)
            self.counter = 0
            self.devs = [Dev(self.store.register_device(self._uuid("device"), user, role)) for user, role in USERS]
            self.inspections = [str(self._uuid("inspection")) for _ in range(2)]
            self.outcomes: dict[UUID, Outcome] = {}  # first outcome any device learnt, per mutation id
            self.verified_at: list[tuple[int, str]] = []  # (number of first applications so far, sha)

        def _uuid(self, kind: str) -> UUID:
            self.counter += 1
            return uuid5(NS, f"{kind}:{self.counter}")

        def _enqueue(self, d: int, name: str, **args: Any) -> None:
            dev = self.devs[d]
            seq = len(dev.created) + 1
            m = Mutation(id=self._uuid("mutation"), seq=seq, name=name, args=args)
            dev.created.append(m)
            dev.outbox.append(m)

        def _push(self, d: int, batch: list[Mutation], crash: bool = False) -> PushResponse:
            dev = self.devs[d]
            request = PushRequest(protocol=1, device_id=dev.actor.device_id, mutations=batch)
            with self.store.transaction() as tx:
                response = self.engine.push(tx, dev.actor, request)
                if crash:
                    raise Crash
            return response

        def _state(self) -> Any:
            lasts = [self.store.device_last_seq(d.actor.device_id) for d in self.devs]
            return self.store.snapshot(), lasts, len(self.store.applied_records())

        def _learn(self, batch: list[Mutation], response: PushResponse) -> None:
            assert [r.seq for r in response.results] == [m.seq for m in batch]
            assert [r.id for r in response.results] == [m.id for m in batch]
            assert response.last_seq >= batch[-1].seq
            for r in response.results:
                final = r.final()
                _event(f"{r.outcome.value}: {final.reason}")
                known = self.outcomes.setdefault(r.id, final)
                assert known == final, "a repeated mutation must get its stored outcome back"

        @initialize(pushed=st.booleans())
        def start(self, pushed: bool) -> None:  # device 0 creates inspection 0 (team: u-two), device 1 the other
            self.create(0, 0)
            self.create(1, 1)
            if pushed:
                for d in (0, 1):
                    self.push(d, 1, "none")
                for d in range(3):
                    self.pull(d, 100, 10)

        # --- local edits (each enqueues one mutation) ------------------------------------------------------
        @rule(d=st.integers(0, 2), i=st.integers(0, 1))
        def create(self, d: int, i: int) -> None:
            team = ["u-two"] if i == 0 else []
            self._enqueue(d, "inspection.create", inspection_id=self.inspections[i], establishment_id=f"e{i}",
                          checklist="construction@1", team=team)  # fmt: skip

        @rule(d=st.integers(0, 2), i=st.integers(0, 1), item=st.sampled_from(ITEMS),
              f=st.sampled_from(["status", "remark", "workers_affected"]), value=st.sampled_from(VALUES),
              stale=st.booleans())  # fmt: skip
        def record(self, d: int, i: int, item: str, f: str, value: str, stale: bool) -> None:
            row = self.devs[d].view.get("finding", {}).get(f"{self.inspections[i]}/{item}")
            base = 0 if stale or row is None else row["version"]
            written: Any = {"men": VALUES.index(value), "women": 1, "under_18": 0} if f == "workers_affected" else value
            self._enqueue(d, "finding.record", inspection_id=self.inspections[i], item_id=item, base_version=base,
                          fields={f: written})  # fmt: skip

        @rule(d=st.integers(0, 2), i=st.integers(0, 1), men=st.integers(0, 2), young=st.integers(0, 2))
        def interview(self, d: int, i: int, men: int, young: int) -> None:  # some invalid: no one, too many young
            self._enqueue(d, "interview.record", interview_id=str(self._uuid("interview")),
                          inspection_id=self.inspections[i], men=men, women=0, under_18=young)  # fmt: skip

        @rule(d=st.integers(0, 2), i=st.integers(0, 1), value=st.sampled_from(["yard", "roof"]))
        def update_header(self, d: int, i: int, value: str) -> None:
            row = self.devs[d].view.get("inspection", {}).get(self.inspections[i])
            self._enqueue(d, "inspection.update", inspection_id=self.inspections[i],
                          base_version=row["version"] if row else 0, fields={"location": value})  # fmt: skip

        @rule(d=st.integers(0, 2), i=st.integers(0, 1), item=st.sampled_from(ITEMS))
        def note(self, d: int, i: int, item: str) -> None:
            self._enqueue(d, "finding.note", note_id=str(self._uuid("note")), inspection_id=self.inspections[i],
                          item_id=item, text=f"note {self.counter}")  # fmt: skip

        @rule(d=st.integers(0, 2), i=st.integers(0, 1), b=st.integers(0, 1), upload=st.booleans())
        def photo(self, d: int, i: int, b: int, upload: bool) -> None:
            self._enqueue(d, "photo.attach", photo_id=str(self._uuid("photo")), inspection_id=self.inspections[i],
                          sha256=BLOBS[b], bytes=1, mime="image/jpeg")  # fmt: skip
            if upload:
                self.store.verify_blob(BLOBS[b])
                self.verified_at.append((len(self.store.first_applications()), BLOBS[b]))

        @rule(d=st.integers(0, 2), pick=st.integers(0, 5))
        def resolve(self, d: int, pick: int) -> None:
            open_ = sorted(k for k, c in self.devs[d].view.get("conflict", {}).items() if c["status"] == "open")
            if open_:
                conflict = self.devs[d].view["conflict"][open_[pick % len(open_)]]
                chosen = conflict["candidates"][pick % len(conflict["candidates"])]
                self._enqueue(d, "conflict.resolve", conflict_id=open_[pick % len(open_)],
                              choose=chosen["mutation_id"])  # fmt: skip

        @rule(d=st.integers(0, 2), i=st.integers(0, 1))
        def submit(self, d: int, i: int) -> None:
            iid = self.inspections[i]
            if iid in self.devs[d].view.get("inspection", {}):
                digest = content_hash_v2(self.devs[d].view, iid)  # hash_version 2, as devices send it
                self._enqueue(d, "inspection.submit", inspection_id=iid, content_hash=digest)

        # --- sync traffic --------------------------------------------------------------------------------
        @rule(d=st.integers(0, 2), size=st.integers(1, 8), fault=st.sampled_from(["none", "none", "lost", "crash"]))
        def push(self, d: int, size: int, fault: str) -> None:
            dev = self.devs[d]
            batch = dev.outbox[:size]
            if not batch:
                return
            if fault == "crash":
                before = self._state()
                with suppress(Crash):
                    self._push(d, batch, crash=True)
                assert self._state() == before, "a crash before commit leaves no trace"
                return
            response = self._push(d, batch)
            if fault == "lost":
                return  # committed, but the device never hears of it
            self._learn(batch, response)
            self._prune(dev, response)

        def _prune(self, dev: Dev, response: PushResponse) -> None:
            """Drop exactly the entries whose outcome arrived (all have seq <= last_seq)."""
            answered = {r.seq for r in response.results if r.seq <= response.last_seq}
            dev.outbox = [m for m in dev.outbox if m.seq not in answered]
            dev.done |= answered

        @rule(d=st.integers(0, 2))
        def push_with_gap(self, d: int) -> None:
            dev = self.devs[d]
            last = self.store.device_last_seq(dev.actor.device_id)
            assert last is not None
            later = [m for m in dev.outbox if m.seq > last + 1]
            if not later:
                return
            before = self._state()
            with pytest.raises(SyncError) as err:
                self._push(d, later[:3])
            assert (err.value.code, err.value.context["expected_seq"]) == ("sync.seq_gap", last + 1)
            assert self._state() == before

        @rule(d=st.integers(0, 2), start=st.integers(0, 30), length=st.integers(1, 4), tamper=st.booleans())
        def replay_old(self, d: int, start: int, length: int, tamper: bool) -> None:
            dev = self.devs[d]
            last = self.store.device_last_seq(dev.actor.device_id) or 0
            if last == 0:
                return
            first = start % last
            batch = dev.created[first : min(first + length, last)]
            if tamper:
                before = self._state()
                forged = batch[0].model_copy(update={"args": {**batch[0].args, "forged": True}})
                with pytest.raises(SyncError, match="other content") as err:
                    self._push(d, [forged, *batch[1:]])
                assert err.value.code == "sync.id_reused"
                assert self._state() == before
                return
            response = self._push(d, batch)
            assert all(r.outcome == Status.duplicate for r in response.results)
            self._learn(batch, response)

        @rule(d=st.integers(0, 2), limit=st.integers(1, 6), pages=st.integers(1, 4))
        def pull(self, d: int, limit: int, pages: int) -> None:
            dev = self.devs[d]
            for _ in range(pages):
                request = PullRequest(protocol=1, device_id=dev.actor.device_id, cursor=dev.cursor, limit=limit)
                page = self.engine.pull(self.store, dev.actor, request)
                assert page.cursor >= dev.cursor, "the cursor only moves forward"
                for c in page.changes:
                    held = dev.view.setdefault(c.entity, {}).get(c.id)
                    if held is None or held["version"] < c.version:
                        dev.view[c.entity][c.id] = c.data or {}
                dev.cursor = page.cursor
                if not page.more:
                    _event("full pull")
                    assert dev.view == self.store.visible(dev.actor), "a full pull converges to the server"
                    return

        # --- invariants ------------------------------------------------------------------------------------
        @invariant()
        def nothing_lost_and_order_kept(self) -> None:
            records = self.store.applied_records()
            firsts = self.store.first_applications()
            assert len(firsts) == len(set(firsts)) == len(records), "each mutation consumed exactly once"
            by_id = {r.mutation_id: r for r in records}
            for dev in self.devs:
                last = self.store.device_last_seq(dev.actor.device_id) or 0
                seqs = [by_id[i].seq for i in firsts if by_id[i].device_id == dev.actor.device_id]
                assert seqs == list(range(1, last + 1)), "applied seqs are 1..last_seq, in order"
                assert last <= len(dev.created)
                kept = [m.seq for m in dev.outbox]
                assert kept == list(range(len(dev.done) + 1, len(dev.created) + 1)), "outbox = the unanswered tail"
                assert dev.done == set(range(1, len(dev.done) + 1)) and len(dev.done) <= last, "no entry lost"
                for m in dev.created[:last]:
                    assert by_id[m.id].fingerprint == m.fingerprint()

        def teardown(self) -> None:
            self._drain_and_compare()

        def _drain_and_compare(self) -> None:
            for d, dev in enumerate(self.devs):
                while dev.outbox:
                    batch = dev.outbox[:8]
                    response = self._push(d, batch)
                    self._learn(batch, response)
                    self._prune(dev, response)
            for d in range(3):
                self.pull(d, 1000, 100)
            self._replay_reference()

        def _replay_reference(self) -> None:
            """Apply each consumed mutation once, in the server's order, to a fresh store: same result."""
            fresh, registry = factory()
            engine = Engine(registry)
            by_id = {m.id: (d, m) for d, dev in enumerate(self.devs) for m in dev.created}
            actors = [fresh.register_device(dev.actor.device_id, *USERS[d]) for d, dev in enumerate(self.devs)]
            verified = list(self.verified_at)
            for n, mutation_id in enumerate(self.store.first_applications()):
                while verified and verified[0][0] <= n:
                    fresh.verify_blob(verified.pop(0)[1])
                d, m = by_id[mutation_id]
                with fresh.transaction() as tx:
                    request = PushRequest(protocol=1, device_id=actors[d].device_id, mutations=[m])
                    result = engine.push(tx, actors[d], request).results[0]
                assert result.final() == self.outcomes[mutation_id]
            assert fresh.snapshot() == self.store.snapshot(), "replaying each mutation once gives the same state"

    return SyncMachine


def _event(text: str) -> None:
    with suppress(InvalidArgument):  # a rule called directly, outside Hypothesis
        event(text)
