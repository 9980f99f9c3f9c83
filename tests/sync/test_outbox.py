"""The device outbox in SQLite: durable across close/reopen, seqs monotonic, pruned only when answered."""

import multiprocessing
import os
import threading
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.outbox import Outbox, OutboxCorrupt
from sync.protocol import Change, MutationResult, Op, Status


def result(m, outcome: Status = Status.applied) -> MutationResult:
    return MutationResult(id=m.id, seq=m.seq, outcome=outcome, server_version=m.seq)


def test_device_id_is_created_once_and_kept(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "d.sqlite")
    device = box.device_id
    box.close()
    again = Outbox(tmp_path / "d.sqlite")
    assert again.device_id == device and device.version == 7
    with pytest.raises(ValueError):
        Outbox(tmp_path / "d.sqlite", device_id=UUID(int=1))


def test_reopen_loses_nothing_and_continues_the_sequence(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    box = Outbox(path)
    made = [box.enqueue("finding.note", {"n": i}) for i in range(5)]
    box.close()
    box = Outbox(path)
    assert [(m.id, m.seq, m.args) for m in box.pending()] == [(m.id, m.seq, m.args) for m in made]
    assert box.enqueue("finding.note", {"n": 5}).seq == 6
    box.check()


def test_acknowledge_drops_only_answered_entries_up_to_last_seq(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "d.sqlite")
    ms = [box.enqueue("finding.note", {"n": i}) for i in range(5)]
    # the server consumed 1..3 but its answer covers only 1..2 (3 came from a lost response)
    assert box.acknowledge(3, [result(ms[0]), result(ms[1], Status.rejected)]) == 2
    assert [m.seq for m in box.pending()] == [3, 4, 5]
    assert [(r.seq, r.outcome) for r in box.outcomes()] == [(1, Status.applied), (2, Status.rejected)]
    assert box.acknowledge(3, [result(ms[3])]) == 0, "seq 4 is beyond last_seq: kept"
    box.check()
    with pytest.raises(OutboxCorrupt):
        box.acknowledge(9, [])
    with pytest.raises(OutboxCorrupt):
        box.acknowledge(3, [MutationResult(id=ms[4].id, seq=3, outcome=Status.applied)])
    assert [m.seq for m in box.pending()] == [3, 4, 5]
    with pytest.raises(OutboxCorrupt):  # a good answer before a bad one in the same response: nothing is written
        box.acknowledge(4, [result(ms[2]), MutationResult(id=ms[2].id, seq=4, outcome=Status.applied)])
    assert [m.seq for m in box.pending()] == [3, 4, 5] and box.acked_seq == 3 and len(box.outcomes()) == 2
    assert box.acknowledge(4, [result(ms[2]), result(ms[2]), result(ms[3])]) == 2, "an answer repeated: counted once"
    assert [m.seq for m in box.pending()] == [5] and [r.seq for r in box.outcomes()] == [1, 2, 3, 4]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "\ud83d half an emoji", "nul \x00 inside", {"\x00": 1}])
def test_args_canonical_json_cannot_carry_are_refused_before_they_are_queued(tmp_path: Path, value) -> None:
    # Queued, NaN would be sent as null, a lone surrogate would stop every push of this client, and a NUL character
    # would be rejected by the server (PostgreSQL stores none): the user's input lost after the fact.
    box = Outbox(tmp_path / "d.sqlite")
    with pytest.raises(ValueError):
        box.enqueue("finding.note", {"text": value})
    assert box.pending() == [] and box.next_seq == 1
    assert box.enqueue("finding.note", {"text": "fine"}).seq == 1


def test_check_detects_a_hole(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "d.sqlite")
    for i in range(3):
        box.enqueue("finding.note", {"n": i})
    box._db.execute("DELETE FROM outbox WHERE seq = 2")
    with pytest.raises(OutboxCorrupt):
        box.check()


def test_pulled_pages_and_cursor_are_stored_together(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    box = Outbox(path)
    box.apply_changes([Change(version=3, entity="note", id="n1", op=Op.upsert, data={"text": "new"})], 3)
    box.apply_changes([Change(version=2, entity="note", id="n1", op=Op.upsert, data={"text": "old"})], 2)
    box.close()
    box = Outbox(path)
    assert box.cursor == 3, "the cursor never moves back"
    assert box.replica() == {"note": {"n1": {"text": "new"}}}, "an older version never overwrites a newer"
    box.apply_changes([Change(version=4, entity="note", id="n1", op=Op.delete)], 4)
    assert box.replica() == {}


OPS = st.lists(st.sampled_from(["enqueue", "enqueue", "ack_some", "reopen"]), max_size=30)


def test_a_deleted_inspection_takes_the_rows_of_its_record_along(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "d.sqlite")
    rows = [
        ("inspection", "i1", {"status": "draft"}), ("finding", "i1/a", {"inspection_id": "i1", "item_id": "a"}),
        ("note", "n1", {"inspection_id": "i1", "text": "x"}), ("photo", "p1", {"inspection_id": "i1"}),
        ("finding", "i2/a", {"inspection_id": "i2", "item_id": "a"}), ("action", "o1", {"inspection_id": "i1"}),
    ]  # fmt: skip
    box.apply_changes(
        [Change(version=n + 1, entity=e, id=k, op=Op.upsert, data=d) for n, (e, k, d) in enumerate(rows)], 6
    )
    box.apply_changes([Change(version=7, entity="inspection", id="i1", op=Op.delete)], 7)
    held = box.replica()
    assert {e: sorted(r) for e, r in held.items()} == {"finding": ["i2/a"], "action": ["o1"]}  # orders: own delete


@settings(max_examples=25, deadline=None)
@given(ops=OPS, data=st.data())
def test_random_use_with_reopens_keeps_the_invariant(tmp_path_factory, ops: list[str], data) -> None:
    path = tmp_path_factory.mktemp("box") / "d.sqlite"
    box = Outbox(path)
    created: list[int] = []
    answered: set[int] = set()
    for op in ops:
        if op == "enqueue":
            created.append(box.enqueue("finding.note", {"i": len(created)}).seq)
        elif op == "ack_some" and box.pending():
            pending = box.pending()
            n = data.draw(st.integers(1, len(pending)))
            box.acknowledge(pending[n - 1].seq, [result(m) for m in pending[:n]])
            answered |= {m.seq for m in pending[:n]}
        elif op == "reopen":
            box.close()
            box = Outbox(path)
        box.check()
    assert created == list(range(1, len(created) + 1)), "seqs are 1, 2, 3 … with no reuse"
    assert {m.seq for m in box.pending()} | answered == set(created), "nothing lost"
    box.close()


def test_concurrent_writers_never_share_a_seq(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    Outbox(path).close()
    boxes = [Outbox(path) for _ in range(4)]
    threads = [threading.Thread(target=lambda b=b: [b.enqueue("finding.note", {}) for _ in range(25)]) for b in boxes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seqs = [m.seq for m in boxes[0].pending()]
    assert seqs == list(range(1, 101))


def _enqueue_then_die(path: str, count: int) -> None:
    box = Outbox(path)
    for i in range(count):
        box.enqueue("finding.note", {"i": i})
    os._exit(0)  # no close(), no clean shutdown


def test_entries_survive_a_process_that_dies_without_closing(tmp_path: Path) -> None:
    path = str(tmp_path / "d.sqlite")
    Outbox(path).close()
    process = multiprocessing.get_context("spawn").Process(target=_enqueue_then_die, args=(path, 20))
    process.start()
    process.join(30)
    assert process.exitcode == 0
    box = Outbox(path)
    assert [m.seq for m in box.pending()] == list(range(1, 21))
    box.check()
