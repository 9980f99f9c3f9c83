"""Simulated tablets against a running server: ``python -m backend.cli simulate-devices N``.

Each tablet is a thread with its own registered device (signed in as the given inspector), its own durable
outbox in a temporary directory and the reference sync client (``sync.client``). It pulls the reference data,
then carries out whole inspections offline-first, exactly as a device does: ``inspection.create``, an answer
for every checklist item (so the inspection can be submitted), ``findings`` of them non-compliant with a photo
(a small generated PNG, uploaded through the resumable blob protocol), a push, a pull, and
``inspection.submit`` with the content hash of the pulled rows (PROTOCOL.md §7). A summary of what was pushed
and the outcomes is returned for printing.
"""

import hashlib
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx

from backend.config import settings
from backend.pngmaker import flat_png
from sync.attested import content_hash_v2
from sync.client import SyncClient
from sync.ids import uuid7
from sync.outbox import Outbox

PREFIX = "/api/v1"


@dataclass
class Report:
    """What all tablets did together."""

    devices: int = 0
    mutations: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    inspections: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    findings: int = 0
    photos: int = 0
    photo_bytes: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def summary(self) -> str:
        rate = self.mutations / self.seconds if self.seconds else 0.0
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.outcomes.items())) or "none"
        lines = [
            f"devices: {self.devices}",
            f"inspections: {len(self.inspections)} created, {len(self.submitted)} submitted",
            f"findings recorded: {self.findings}; photos uploaded: {self.photos} ({self.photo_bytes} bytes)",
            f"mutations pushed: {self.mutations} in {self.seconds:.2f} s ({rate:.1f}/s)",
            f"outcomes: {kinds}",
        ]
        if self.reasons:
            lines.append("reasons: " + ", ".join(f"{k} {n}" for k, n in sorted(self.reasons.items())))
        lines += [f"error: {e}" for e in self.errors]
        return "\n".join(lines)


def register_device(url: str, email: str, password: str, name: str) -> tuple[str, str]:
    """Sign in and register a device: ``(device_id, device_token)``."""
    base = url.rstrip("/") + PREFIX
    signed = httpx.post(f"{base}/auth/token", data={"username": email, "password": password}, timeout=30)
    if signed.status_code != 200:
        raise RuntimeError(f"sign-in as {email} failed: {signed.status_code} {signed.text[:200]}")
    auth = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    device = httpx.post(f"{base}/devices", json={"name": name, "platform": "simulated"}, headers=auth, timeout=30)
    if device.status_code != 201:
        raise RuntimeError(f"registering a device failed: {device.status_code} {device.text[:200]}")
    return str(device.json()["id"]), str(device.json()["token"])


def photo(seed: str) -> bytes:
    """A small PNG unique to ``seed`` (its colour and width come from the seed's hash)."""
    digest = hashlib.sha256(seed.encode()).digest()
    return flat_png(16 + digest[3] % 48, 16 + digest[4] % 48, (digest[0], digest[1], digest[2]))


def answer(item: dict[str, Any], non_compliant: bool, remark: str) -> dict[str, Any]:
    """The fields a tablet records for one checklist item."""
    if non_compliant:
        return {"status": "non_compliant", "remark": remark}
    if item.get("answer_type") == "number":
        return {"status": "compliant", "value": 1}
    if item.get("answer_type") == "choice" and item.get("choices"):
        return {"status": "compliant", "value": item["choices"][0]["en"]}
    return {"status": "compliant"}


class Tablet:
    """One simulated device: registered, with its own outbox file and sync client."""

    def __init__(self, index: int, url: str, email: str, password: str, workdir: Path, report: Report) -> None:
        self.index, self.report = index, report
        self.device_id, token = register_device(url, email, password, f"simulated tablet {index}")
        self.outbox = Outbox(workdir / f"tablet-{index}.db", UUID(self.device_id))
        self.client = SyncClient(url, token, self.outbox, batch_size=200)

    def close(self) -> None:
        self.client.close()
        self.outbox.close()

    def push(self) -> None:
        pushed = self.client.push()
        with self.report.lock:
            self.report.mutations += pushed.sent
            for r in pushed.results:
                final = r.original if r.outcome.value == "duplicate" and r.original else r
                self.report.outcomes[r.outcome.value] += 1
                if final.outcome.value != "applied":
                    self.report.reasons[f"{final.outcome.value}:{final.reason}"] += 1

    def reference(self, checklist_key: str) -> tuple[list[str], str, list[dict[str, Any]]]:
        """Pull; the establishments held (by id), the newest ``key@version`` of the checklist and its items."""
        self.client.pull()
        held = self.outbox.replica()
        establishments = sorted(held.get("establishment", {}))
        refs = [k for k in held.get("checklist", {}) if k.startswith(f"{checklist_key}@")]
        if not establishments or not refs:
            raise RuntimeError(f"the device holds no establishment or no published {checklist_key} checklist")
        ref = max(refs, key=lambda k: int(k.rpartition("@")[2]))
        items = [i for s in held["checklist"][ref]["definition"]["sections"] for i in s["items"]]
        return establishments, ref, items

    def inspect(self, establishment: str, checklist: str, items: list[dict[str, Any]], findings: int) -> None:
        """One whole inspection: create, answer every item, photograph the non-compliances, push, submit."""
        iid = str(uuid7())
        # The local date (LI_DEFAULT_TIMEZONE), as the app dates a visit: the server corrects a UTC date to it.
        today = datetime.now(ZoneInfo(settings.default_timezone)).date().isoformat()
        header = {"visit_date": today, "location": f"Workshop {self.index}"}
        self.outbox.enqueue(
            "inspection.create",
            {"inspection_id": iid, "establishment_id": establishment, "checklist": checklist, "team": [],
             "header": header},
        )  # fmt: skip
        photos: list[bytes] = []
        for n, item in enumerate(items):
            bad = n < findings
            fields = answer(item, bad, f"simulated non-compliance {n + 1}")
            self.outbox.enqueue(
                "finding.record", {"inspection_id": iid, "item_id": item["id"], "base_version": 0, "fields": fields}
            )
            if bad:
                photo_id = str(uuid7())
                data = photo(photo_id)
                photos.append(data)
                self.outbox.enqueue(
                    "photo.attach",
                    {"photo_id": photo_id, "inspection_id": iid, "item_id": item["id"],
                     "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "mime": "image/png"},
                )  # fmt: skip
        self.push()  # the photos' metadata may precede their bytes
        for data in photos:
            self.client.upload_blob(data, "image/png")
        self.client.pull()
        digest = content_hash_v2(self.outbox.replica(), iid)  # hash_version 2 (PROTOCOL.md §7.2)
        submit = self.outbox.enqueue("inspection.submit", {"inspection_id": iid, "content_hash": digest})
        self.push()
        outcome = next((o for o in self.outbox.outcomes() if o.id == submit.id), None)
        with self.report.lock:
            self.report.inspections.append(iid)
            self.report.findings += len(items)
            self.report.photos += len(photos)
            self.report.photo_bytes += sum(map(len, photos))
            if outcome is not None and outcome.outcome.value == "applied":
                self.report.submitted.append(iid)


def run(
    url: str,
    email: str,
    password: str,
    devices: int,
    inspections_per_device: int = 1,
    findings: int = 3,
    checklist: str = "general-administration",
) -> Report:
    """Drive ``devices`` tablets in parallel threads; returns the report (``errors`` lists what failed)."""
    report = Report(devices=devices)
    with tempfile.TemporaryDirectory(prefix="li-tablets-") as workdir:

        def work(index: int) -> None:
            try:
                tablet = Tablet(index, url, email, password, Path(workdir), report)
            except Exception as err:  # reported in the summary, never swallowed
                with report.lock:
                    report.errors.append(f"tablet {index}: {err}")
                return
            try:
                establishments, ref, items = tablet.reference(checklist)
                for n in range(inspections_per_device):
                    establishment = establishments[(index + n) % len(establishments)]
                    tablet.inspect(establishment, ref, items, min(findings, len(items)))
            except Exception as err:
                with report.lock:
                    report.errors.append(f"tablet {index}: {type(err).__name__}: {err}")
            finally:
                tablet.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=work, args=(i,), name=f"tablet-{i}") for i in range(devices)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        report.seconds = time.perf_counter() - started
    return report
