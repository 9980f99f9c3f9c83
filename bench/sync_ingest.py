"""Sync ingest figures against a real uvicorn, on SQLite and on a throwaway PostgreSQL: prints, does not assert.

* push throughput: 4 simulated devices (threads, the reference client ``sync/client.py`` with its outbox)
  push batches of 200 ``finding.record`` mutations at once (each batch: 10 inspections x 20 items, every one a
  new finding), end to end over HTTP, in findings/s;
* beside it the raw insert rate of the same rows into the same database in the same run: copies of the five
  rows the push wrote for each finding (``applied_mutation``, the ``sync_record`` finding row, the domain
  ``finding``, and its two audit events: the mutation's and the domain change's), inserted with SQLAlchemy Core
  ``executemany``, one transaction per 200, 4 threads, new keys made as the push makes them (UUIDv7: random
  UUIDs would scatter over the indexes and slow the baseline as the tables grow); and the ratio push/raw
  (target >= 0.5). Push and raw
  alternate for 11 rounds (this machine's speed drifts by 10-20 % from one second to the next, and a round
  lasts a few seconds); the figures are the medians of the rounds, with the ratio's quartiles and each
  round's pair;
* pull bootstrap: a district with 500 establishments and every published checklist, a newly registered
  device pulls from cursor 0 to the end (limit 1000): milliseconds, bytes of JSON and the same gzipped.

``--profile`` adds a cProfile of the push path in-process (engine + SQL store + handlers, no HTTP).

Run: .venv/bin/python bench/sync_ingest.py [--quick] [--profile] [--only sqlite|postgresql] [--rounds N]
"""

import argparse
import cProfile
import gzip
import hashlib
import io
import pstats
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import event, func, insert, select  # noqa: E402

from sync.client import SyncClient  # noqa: E402
from sync.ids import uuid7  # noqa: E402
from sync.outbox import Outbox  # noqa: E402
from tests.backend.syncserver import INSPECTOR, SyncServer  # noqa: E402
from tests.pgcluster import start_cluster  # noqa: E402

DEVICES = 4
BATCH = 200
INSPECTIONS_PER_BATCH, ITEMS_PER_INSPECTION = 10, 20
CHECKLIST = "general-administration"
ESTABLISHMENTS = 500

EXTRA_SEED = f"""
from backend import changes
from backend.orgs.models import Establishment, EstablishmentCreate
from tests.backend.world import uscc
for n in range({ESTABLISHMENTS} - 2):  # the world already has two in the district
    data = EstablishmentCreate(name=f"Bench Workshop {{n}}", registration_number=uscc(1000 + n),
                               district_id=world.district.id, isic="1410", address=f"{{n}} Bench Road",
                               workers_total=20 + n % 300, workers_women=10)
    row = Establishment.model_validate(data)
    session.add(row)
    changes.record(session, changes.EstablishmentChanged(row.id))
session.flush()
"""


def bootstrap(server: SyncServer) -> tuple[dict[str, Any], dict[str, float]]:
    """A new device pulls everything from cursor 0; returns the held rows and the figures."""
    device_id, token = server.device(INSPECTOR, name="bootstrap")
    held: dict[str, dict[str, Any]] = {}
    cursor, more, pages, raw, zipped = 0, True, 0, 0, 0
    with httpx.Client(base_url=f"{server.url}/api/v1", headers={"Authorization": f"Bearer {token}"}) as http:
        started = time.perf_counter()
        while more:
            r = http.post("/sync/pull", json={"protocol": 1, "device_id": device_id, "cursor": cursor, "limit": 1000})
            r.raise_for_status()
            page = r.json()
            for c in page["changes"]:
                held.setdefault(c["entity"], {})[c["id"]] = c["data"]
            raw += len(r.content)
            zipped += len(gzip.compress(r.content, 6))
            pages += 1
            cursor, more = page["cursor"], page["more"]
        ms = (time.perf_counter() - started) * 1000
    counts = {e: len(rows) for e, rows in held.items()}
    return held, {"ms": ms, "pages": pages, "bytes": raw, "gzipped": zipped, **counts}


class Device:
    def __init__(self, server: SyncServer, tmp: Path, n: int) -> None:
        self.device_id, token = server.device(INSPECTOR, name=f"bench {n}")
        self.outbox = Outbox(tmp / f"device-{n}.db", uuid.UUID(self.device_id))
        self.client = SyncClient(server.url, token, self.outbox, batch_size=BATCH, timeout=120)
        self.results: list[Any] = []

    def prepare(self, est: str, ref: str, items: list[str], batches: int) -> None:
        """Create the inspections (pushed now, untimed) and queue ``batches`` x 200 ``finding.record``."""
        inspections = []
        for _ in range(batches * INSPECTIONS_PER_BATCH):
            iid = str(uuid7())
            inspections.append(iid)
            args = {"inspection_id": iid, "establishment_id": est, "checklist": ref, "team": [], "header": {}}
            self.outbox.enqueue("inspection.create", args)
        self.client.push()
        for iid in inspections:
            for item in items[:ITEMS_PER_INSPECTION]:
                fields = {"status": "compliant", "remark": f"bench remark for {item}"}
                self.outbox.enqueue(
                    "finding.record", {"inspection_id": iid, "item_id": item, "base_version": 0, "fields": fields}
                )

    def push(self) -> None:
        self.results = self.client.push().results


def run_threads(target: Any, args: list[tuple[Any, ...]]) -> float:
    threads = [threading.Thread(target=target, args=a) for a in args]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def raw_inserts(server: SyncServer, devices: list[Device], batches: int) -> float:
    """Insert copies of the rows the pushes wrote (same tables, same shapes), 4 threads, 200 per transaction."""
    from backend.audit.models import AuditEvent
    from backend.device_sync.models import AppliedMutation, SyncRecord
    from backend.inspections.models import Finding

    am, sr, fi, ae = AppliedMutation.__table__, SyncRecord.__table__, Finding.__table__, AuditEvent.__table__
    engine = server.engine
    with engine.connect() as conn:
        top_version = conn.execute(select(func.max(sr.c.version))).scalar() or 0
        top_audit = conn.execute(select(func.max(ae.c.seq))).scalar() or 0
        top_seq = conn.execute(select(func.max(am.c.seq))).scalar() or 0
        muts = [dict(r) for r in conn.execute(select(am).where(am.c.name == "finding.record")).mappings()]
        recs = [dict(r) for r in conn.execute(select(sr).where(sr.c.entity == "finding")).mappings()]
        # the findings this round pushed (UUIDv7 ids: the newest), so the copies go to its new inspections too
        newest = select(fi).order_by(fi.c.id.desc()).limit(len(devices) * batches * BATCH)
        fins = [dict(r) for r in conn.execute(newest).mappings()]
        audits = [
            {k: v for k, v in r.items() if k != "id"}
            for r in conn.execute(select(ae).where(ae.c.action.in_(["sync.mutation", "finding.record"]))).mappings()
        ]
    per_device = batches * BATCH
    lock = threading.Lock()
    counter = {"version": top_version + 1_000_000, "seq": top_seq + 1_000_000, "audit": top_audit + 10_000_000}

    def work(n: int) -> None:
        for b in range(batches):
            rows_m, rows_r, rows_f, rows_a = [], [], [], []
            inspections = [uuid7() for _ in range(INSPECTIONS_PER_BATCH)]
            for i in range(b * BATCH, (b + 1) * BATCH):
                with lock:
                    counter["version"] += 1
                    counter["seq"] += 1
                    counter["audit"] += 2
                    version, seq, audit = counter["version"], counter["seq"], counter["audit"]
                # Keys made as the push makes them, so both meet their indexes alike: UUIDv7 ids (time-ordered, at
                # the end of the indexes; random ones would land all over them, slower as the tables grow), a new
                # inspection every 20 findings, random audit hashes (SHA-256).
                tag = uuid7()
                inspection = inspections[(i - b * BATCH) // ITEMS_PER_INSPECTION]
                k = n * per_device + i  # each thread copies other rows
                rows_m.append({**muts[k % len(muts)], "mutation_id": tag, "seq": seq})
                rec = recs[k % len(recs)]
                rows_r.append({**rec, "key": f"{inspection}/{tag}", "inspection_id": inspection, "version": version})
                fin = fins[k % len(fins)]  # (``finding`` needs an inspection that exists: one this round created)
                rows_f.append({**fin, "id": uuid7(), "item_id": str(tag)})
                for e in range(2):
                    copied = audits[(2 * k + e) % len(audits)]
                    digest = hashlib.sha256(tag.bytes + bytes([e])).hexdigest()
                    rows_a.append({**copied, "seq": audit - e, "hash": digest})
            with engine.begin() as conn:
                conn.execute(insert(am), rows_m)
                conn.execute(insert(sr), rows_r)
                conn.execute(insert(fi), rows_f)
                conn.execute(insert(ae), rows_a)

    seconds = run_threads(work, [(n,) for n in range(len(devices))])
    return len(devices) * per_device / seconds


def profile_push(server: SyncServer, est: str, ref: str, items: list[str]) -> str:
    """cProfile of one 200-mutation push in-process (parse, engine, SQL store, handlers, commit; no HTTP)."""

    from backend.auth.models import Device as DeviceRow
    from backend.auth.models import User
    from backend.db import AppSession
    from backend.device_sync.batch import push as batched_push
    from backend.device_sync.routes import engine as sync_engine
    from sync.engine import parse_push
    from sync.store import Actor

    device_id, _ = server.device(INSPECTOR, name="profile")
    with AppSession(server.engine) as session:
        row = session.get(DeviceRow, uuid.UUID(device_id))
        assert row is not None
        user = session.get(User, row.user_id)
        assert user is not None
        actor = Actor(str(user.id), user.role.value, row.id)
    seq = 0

    def push(mutations: list[dict[str, Any]]) -> None:
        with AppSession(server.engine, expire_on_commit=False) as session, session.begin():
            request = parse_push({"protocol": 1, "device_id": device_id, "mutations": mutations})
            batched_push(sync_engine, session, actor, request).model_dump(mode="json")

    def mutation(name: str, args: dict[str, Any]) -> dict[str, Any]:
        nonlocal seq
        seq += 1
        return {"id": str(uuid7()), "seq": seq, "name": name, "v": 1, "args": args}

    def batch() -> list[dict[str, Any]]:
        iids = [str(uuid7()) for _ in range(INSPECTIONS_PER_BATCH)]
        push([mutation("inspection.create", {"inspection_id": i, "establishment_id": est, "checklist": ref,
                                             "team": [], "header": {}}) for i in iids])  # fmt: skip
        return [
            mutation("finding.record", {"inspection_id": i, "item_id": item, "base_version": 0,
                                        "fields": {"status": "compliant", "remark": "profiled"}})
            for i in iids for item in items[:ITEMS_PER_INSPECTION]
        ]  # fmt: skip

    statements = [0]
    kinds: dict[str, int] = {}

    def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        statements[0] += 1
        words = sql.split()
        kind = (
            " ".join(words[:4])
            if words[0] == "INSERT"
            else " ".join(words[:1] + words[words.index("FROM") + 1 :][:1])
            if "FROM" in words
            else " ".join(words[:2])
        )
        kinds[kind] = kinds.get(kind, 0) + 1

    plain = batch()
    event.listen(server.engine, "before_cursor_execute", count)
    started = time.perf_counter()
    push(plain)
    seconds = time.perf_counter() - started
    event.remove(server.engine, "before_cursor_execute", count)
    profiled = batch()
    profiler = cProfile.Profile()
    profiler.runcall(push, profiled)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(45)
    return (
        f"in-process push of 200 finding.record (no HTTP, no profiler): {seconds:.2f} s = {200 / seconds:.0f}/s, "
        f"{statements[0]} SQL statements ({statements[0] / 200:.0f} per mutation): "
        f"{', '.join(f'{n} x {k}' for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))}\n{out.getvalue()}"
    )


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def bench(kind: str, batches: int, rounds: int, profile: bool) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix=f"li-bench-{kind}-"))
    cluster = start_cluster() if kind == "postgresql" else None
    url = cluster.create_database("bench") if cluster else None
    server = SyncServer(tmp, url, extra_seed=EXTRA_SEED, access_log=False).start()
    try:
        held, pull = bootstrap(server)
        est = next(k for k, v in held["establishment"].items() if v["name"] == "Riverside Garments")
        ref = max((k for k in held["checklist"] if k.startswith(f"{CHECKLIST}@")), key=lambda k: int(k.split("@")[1]))
        items = [i["id"] for s in held["checklist"][ref]["definition"]["sections"] for i in s["items"]]
        devices = [Device(server, tmp, n) for n in range(DEVICES)]
        findings = DEVICES * batches * BATCH
        pairs: list[tuple[float, float]] = []
        for _ in range(rounds):
            run_threads(lambda d: d.prepare(est, ref, items, batches), [(d,) for d in devices])
            seconds = run_threads(Device.push, [(d,) for d in devices])
            outcomes = {r.outcome.value for d in devices for r in d.results}
            assert outcomes == {"applied"}, outcomes
            before = int(server.scalar("SELECT count(*) FROM finding"))
            raw = raw_inserts(server, devices, batches)
            assert int(server.scalar("SELECT count(*) FROM finding")) == before + findings
            pairs.append((findings / seconds, raw))
        result = {
            "kind": kind, "findings": findings, "pairs": pairs, "push": median([p for p, _ in pairs]),
            "raw": median([r for _, r in pairs]), "ratio": median([p / r for p, r in pairs]), "pull": pull,
        }  # fmt: skip
        if profile:
            result["profile"] = profile_push(server, est, ref, items)
        return result
    finally:
        server.stop()
        if cluster:
            cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 batch per device instead of 4")
    parser.add_argument("--profile", action="store_true", help="also cProfile the push path in-process")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--rounds", type=int, help="push/raw rounds, medians reported (default 11; --quick: 1)")
    opts = parser.parse_args()
    batches = 1 if opts.quick else 4
    rounds = opts.rounds or (1 if opts.quick else 11)
    print(f"sync ingest: {DEVICES} devices x {batches} batch(es) of {BATCH} finding.record per round, {rounds} "
          "round(s), real uvicorn over HTTP")  # fmt: skip
    for kind in [opts.only] if opts.only else ["sqlite", "postgresql"]:
        r = bench(kind, batches, rounds, opts.profile)
        p = r["pull"]
        print(f"\n[{kind}]")
        print(f"  push end to end : {r['push']:8.0f} findings/s  (median of {rounds} rounds of {r['findings']})")
        print(
            f"  raw inserts     : {r['raw']:8.0f} findings/s  (the same 5 rows per finding: applied_mutation, "
            "sync_record, finding, 2 audit_event; batched executemany)"
        )
        ratios = sorted(a / b for a, b in r["pairs"])
        quartiles = f"quartiles {ratios[len(ratios) // 4]:.3f}-{ratios[(3 * len(ratios)) // 4]:.3f}; "
        print(f"  ratio push/raw  : {r['ratio']:8.3f}   (median of the rounds' ratios; {quartiles}target >= 0.5)")
        print("  rounds          : " + ", ".join(f"{a:.0f}/{b:.0f}={a / b:.3f}" for a, b in r["pairs"]))
        entities = ", ".join(f"{k} {v}" for k, v in p.items() if k not in ("ms", "pages", "bytes", "gzipped"))
        print(f"  pull bootstrap  : {p['ms']:8.0f} ms, {p['pages']} pages, {p['bytes']} bytes JSON, "
              f"{p['gzipped']} bytes gzipped ({entities})")  # fmt: skip
        if "profile" in r:
            print(r["profile"])


if __name__ == "__main__":
    main()
