"""Faults during sync against the real backend (SYNC.md §3.5, §5.7 item 13): a 503, an expired or revoked device
token, two tabs syncing at once, and a photo upload cut mid-blob. Each ends with the server holding every
mutation exactly once and an empty outbox. Also the protocol fields the tablet now sends (inspection type,
workers affected, interviews) and the downscaled photo copy.
"""

import hashlib
import json
import random
import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.flows import IDLE, OUTBOX_EMPTY, SYNCED, answer, shown_items, wait_until
from tests.e2e.realbackend import (
    CHECKLIST,
    ESTABLISHMENT,
    INSPECTOR,
    NON_COMPLIANT,
    PASSWORD,
    db_rows,
    register,
    run_backend,
    tablet,
)

ADMIN = "admin@test.example"
CHUNK = 1024 * 1024


@pytest.fixture(scope="module")
def backend(tmp_path_factory, dist) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("backend-faults")
    for url in run_backend(tmp, dist):
        yield url, tmp


def _hex(uuid: str) -> str:
    return uuid.replace("-", "")


def _device(page: Page) -> dict:
    [row] = [r for r in page.evaluate("window.__li.dump('meta')") if r["key"] == "device"]
    return row["value"]


def _start(page: Page, kind: str = "Planned") -> str:
    page.get_by_role("link", name="Establishments", exact=True).first.click()
    page.get_by_test_id("est-search").fill(ESTABLISHMENT)
    page.get_by_role("link", name=ESTABLISHMENT).first.click()
    page.get_by_test_id("start-inspection").click()
    page.get_by_role("radio", name=kind, exact=True).check()
    page.get_by_label(CHECKLIST).check()
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("progress")).to_be_visible()
    return page.url.rsplit("/", 1)[-1]


def _outbox(page: Page) -> list[dict]:
    return sorted(page.evaluate("window.__li.dump('outbox')"), key=lambda e: e["seq"])


def _settle(page: Page) -> None:
    """Let the sync that follows the last local edit (debounced 1.5 s) run and fail offline before routing."""
    page.wait_for_timeout(2_000)
    wait_until(page, IDLE)


def _sync_until_empty(page: Page, extra: str = "() => true", timeout_s: float = 40) -> None:
    """Press "Sync now" (through the debug hook) whenever sync is idle, until the outbox is empty."""
    deadline = time.monotonic() + timeout_s
    while not (page.evaluate(OUTBOX_EMPTY) and page.evaluate(extra)):
        assert time.monotonic() < deadline, f"outbox not empty after {timeout_s} s: {_outbox(page)[:3]}"
        if page.evaluate(IDLE):
            page.evaluate("() => { window.__li.syncNow(); }")
        page.wait_for_timeout(300)
    wait_until(page, IDLE)


def _applied(db: Path, ids: list[str]) -> dict[str, tuple[str, str]]:
    """mutation id -> (device id, final outcome) for the given mutation ids, as the server holds them."""
    out: dict[str, tuple[str, str]] = {}
    for mid in ids:
        rows = db_rows(
            db, "SELECT device_id, outcome FROM applied_mutation WHERE replace(mutation_id, '-', '') = ?", _hex(mid)
        )
        assert len(rows) <= 1
        if rows:
            out[mid] = (_hex(str(rows[0][0])), json.loads(rows[0][1])["outcome"])
    return out


def _record(db: Path, entity: str, key: str) -> dict:
    [(data,)] = db_rows(
        db, "SELECT data FROM sync_record WHERE entity = ? AND replace(key, '-', '') = ?", entity, _hex(key)
    )
    return json.loads(data)


def _assert_exactly_once(page: Page, db: Path, entries: list[dict]) -> None:
    applied = _applied(db, [e["id"] for e in entries])
    missing = [(e["seq"], e["name"]) for e in entries if e["id"] not in applied]
    assert missing == [], missing
    refused = {e["name"]: applied[e["id"]][1] for e in entries if applied[e["id"]][1] != "applied"}
    assert refused == {}, refused
    assert page.evaluate(OUTBOX_EMPTY)
    assert page.evaluate("window.__li.invariant()") is None


def test_a_503_backs_off_retries_and_lands_once_with_the_new_protocol_fields(browser: Browser, backend):
    url, tmp = backend
    db = tmp / "e2e.db"
    context = tablet(browser, url)
    try:
        page = context.new_page()
        device_id = register(page)
        context.set_offline(True)
        inspection_id = _start(page, "Complaint")
        items = shown_items(page)
        answer(page, NON_COMPLIANT, "Non-compliant")  # opens the item's details
        card = page.locator(f'[data-item="{NON_COMPLIANT}"]')
        for label, n in (("Men", "3"), ("Women", "2"), ("Under 18", "1")):
            card.get_by_label(label, exact=True).fill(n)
            card.get_by_label(label, exact=True).blur()
        for item in [i for i in items if i != NON_COMPLIANT][:2]:
            answer(page, item, "Compliant")
        page.get_by_role("link", name="Worker interviews").click()
        expect(page.get_by_role("heading", name="Worker interviews")).to_be_visible()  # not the card's fields
        page.get_by_label("Men", exact=True).fill("1")
        page.get_by_label("Women", exact=True).fill("2")
        page.get_by_label("Anonymous note (no names)").fill("Overtime unpaid since March")
        page.get_by_role("button", name="Save interview").click()
        expect(page.get_by_text("1 men, 2 women, 0 under 18")).to_be_visible()
        entries = _outbox(page)
        names = [e["name"] for e in entries]
        assert names.count("interview.record") == 1 and names.count("finding.record") == 6, names
        create = next(e for e in entries if e["name"] == "inspection.create")
        assert create["args"]["type"] == "complaint"

        statuses: list[int] = []
        maintenance = [True]  # the server answers 503 until the test has seen the tablet report it

        def push_during_maintenance(route: Route) -> None:
            if maintenance[0]:
                statuses.append(503)
                route.fulfill(status=503, content_type="text/plain", body="maintenance")
                return
            response = route.fetch()
            statuses.append(response.status)
            route.fulfill(response=response)

        _settle(page)
        context.route("**/api/v1/sync/push", push_during_maintenance)
        page.get_by_role("link", name="Sync", exact=True).click()
        context.set_offline(False)  # the `online` event starts a sync; its push gets the 503
        # Under load the first attempt can still meet the network coming up; a backoff retry then gets the 503.
        expect(page.get_by_test_id("last-error")).to_contain_text("http.503", timeout=30_000)
        expect(page.get_by_test_id("last-error")).to_contain_text("trying again automatically")
        assert page.evaluate("window.__li.outboxSize()") == len(entries)  # kept as it was
        maintenance[0] = False
        # No click: the backoff timer retries the same batch.
        wait_until(page, OUTBOX_EMPTY, timeout_ms=60_000)
        wait_until(page, SYNCED)
        expect(page.get_by_test_id("last-error")).to_have_text("—")
        first_ok = statuses.index(200)
        assert first_ok > 0 and set(statuses[:first_ok]) == {503} and set(statuses[first_ok:]) == {200}, statuses
        _assert_exactly_once(page, db, entries)
        assert {d for d, _ in _applied(db, [e["id"] for e in entries]).values()} == {_hex(device_id)}

        # The fields that used to stay on the tablet are on the server now.
        assert _record(db, "inspection", inspection_id)["type"] == "complaint"
        finding = _record(db, "finding", f"{inspection_id}/{NON_COMPLIANT}")
        assert finding["fields"]["workers_affected"] == {"men": 3, "women": 2, "under_18": 1}
        interview = next(e for e in entries if e["name"] == "interview.record")
        data = _record(db, "interview", interview["args"]["interview_id"])
        assert (data["men"], data["women"], data["under_18"], data["note"]) == (1, 2, 0, "Overtime unpaid since March")
    finally:
        context.close()


NEW_PASSWORD = "a changed password for b1"


def _set_password(url: str, password: str) -> None:
    """An admin sets the inspector's password: every device token of the account is unset (401
    ``auth.device_revoked``: sign in again — not a revocation, which would tell the tablet to wipe, issue 21)."""
    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": ADMIN, "password": PASSWORD}).json()
    api = httpx.Client(base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {token['access_token']}"})
    [me] = [u for u in api.get("/users").json() if u["email"] == INSPECTOR]
    response = api.patch(f"/users/{me['id']}", json={"password": password})
    assert response.status_code == 200, response.text


def test_b1_refused_token_sign_in_again_hands_the_outbox_to_a_new_registration(browser: Browser, backend):
    """The first push is applied but its answer is lost; then the token is refused (401: the password was changed).
    The outbox stays; "Sign in again" cannot renew the device's token (here a server that no longer knows the
    device: 404 — a revoked device never gets here, it is told to wipe, test_real_wipe.py), so it registers the
    tablet anew and hands the queued mutations over; the ones the old registration already delivered are
    recognised, none is applied twice."""
    url, tmp = backend
    db = tmp / "e2e.db"
    context = tablet(browser, url)
    try:
        page = context.new_page()
        old_device = register(page)
        context.set_offline(True)
        _start(page)
        items = shown_items(page)
        for item in items[:3]:
            answer(page, item, "Compliant")
        first = _outbox(page)

        pushes: list[tuple[int, list[str]]] = []

        def lose_answer_then_revoke(route: Route) -> None:
            ids = [m["id"] for m in route.request.post_data_json["mutations"]]
            response = route.fetch()
            pushes.append((response.status, ids))
            if len(pushes) == 1:
                _set_password(url, NEW_PASSWORD)
                route.abort("connectionreset")
            else:
                route.fulfill(response=response)

        renewals: list[int] = []

        def watch_renewal(route: Route) -> None:
            renewals.append(404)  # a server restored from before this device's registration, say
            body = {"status": 404, "code": "device.not_found", "detail": "No such device."}
            route.fulfill(status=404, content_type="application/problem+json", body=json.dumps(body))

        _settle(page)
        context.route("**/api/v1/sync/push", lose_answer_then_revoke)
        context.route(f"**/api/v1/devices/{old_device}/token", watch_renewal)
        page.get_by_role("link", name="Sync", exact=True).click()
        context.set_offline(False)
        reauth = page.get_by_test_id("reauth")
        deadline = time.monotonic() + 30
        while not reauth.is_visible():
            assert time.monotonic() < deadline, "no 'Sign in again' after the device was revoked"
            if page.evaluate(IDLE):
                page.evaluate("() => { window.__li.syncNow(); }")
            page.wait_for_timeout(300)
        expect(reauth).to_contain_text("Sign in again.")
        for target in (reauth.get_by_label("Password"), reauth.get_by_role("button", name="Sign in again")):
            box = target.bounding_box()
            assert box and box["height"] >= 48 and box["width"] >= 48, box  # touch targets
        assert [s for s, _ in pushes][:1] == [200]
        assert page.evaluate("window.__li.syncState().blocked") == "auth.expired"
        assert [e["id"] for e in _outbox(page)] == [e["id"] for e in first]  # nothing dropped
        page.get_by_test_id("lang").click()
        expect(reauth).to_contain_text("请重新登录")
        page.get_by_test_id("lang").click()
        expect(reauth).to_contain_text("Sign in again.")

        # Work goes on while blocked; this edit is queued behind the others.
        page.go_back()
        answer(page, items[3], "Compliant")
        everything = _outbox(page)
        assert len(everything) == len(first) + 1
        page.get_by_role("link", name="Sync", exact=True).click()

        reauth.get_by_label("Password").fill(NEW_PASSWORD)
        reauth.get_by_role("button", name="Sign in again").click()
        expect(reauth).to_be_hidden()
        _sync_until_empty(page)
        new_device = _device(page)["id"]
        assert new_device != old_device
        assert renewals == [404]  # the same device cannot continue, so it registered anew
        _assert_exactly_once(page, db, everything)
        applied = _applied(db, [e["id"] for e in everything])
        assert {applied[e["id"]][0] for e in first} == {_hex(old_device)}  # delivered once, by the old registration
        assert applied[everything[-1]["id"]][0] == _hex(new_device)
        assert page.evaluate("window.__li.syncState().last_error") is None
        [(last_seq,)] = db_rows(
            db, "SELECT last_seq FROM device_sync_state WHERE replace(device_id, '-', '') = ?", _hex(new_device)
        )
        assert last_seq == 1  # the new registration numbered only what it sent itself
    finally:
        context.close()
        _set_password(url, PASSWORD)  # the other tests of this module sign in with it


def _access_token(url: str, email: str = INSPECTOR) -> str:
    response = httpx.post(f"{url}/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def test_b2_expired_token_sign_in_again_keeps_the_device_and_resends_the_same_batch(browser: Browser, backend):
    """A 401 on the first push; after "Sign in again" the same device gets a fresh token from the real
    POST /devices/{id}/token (the old token stops working) and the same batch is sent again, applied once."""
    url, tmp = backend
    db = tmp / "e2e.db"
    context = tablet(browser, url)
    try:
        page = context.new_page()
        device_id = register(page)
        token = _device(page)["token"]
        context.set_offline(True)
        _start(page)
        for item in shown_items(page)[:2]:
            answer(page, item, "Compliant")
        entries = _outbox(page)

        pushes: list[tuple[int, list[str]]] = []
        renewals: list[tuple[str, int]] = []

        def expire_first(route: Route) -> None:
            body = route.request.post_data_json
            ids = [m["id"] for m in body["mutations"]]
            assert body["device_id"] == device_id
            if not pushes:
                pushes.append((401, ids))
                problem = {"type": "about:blank", "title": "Unauthorized", "status": 401, "code": "auth.token_expired",
                           "detail": "The device token has expired; sign in again."}  # fmt: skip
                route.fulfill(status=401, content_type="application/problem+json", body=json.dumps(problem))
                return
            response = route.fetch()
            pushes.append((response.status, ids))
            route.fulfill(response=response)

        def renew(route: Route) -> None:  # the real endpoint answers; only watched
            response = route.fetch()
            renewals.append((route.request.headers.get("authorization", ""), response.status))
            route.fulfill(response=response)

        _settle(page)
        context.route("**/api/v1/sync/push", expire_first)
        context.route(f"**/api/v1/devices/{device_id}/token", renew)
        page.get_by_role("link", name="Sync", exact=True).click()
        context.set_offline(False)
        reauth = page.get_by_test_id("reauth")
        expect(reauth).to_be_visible()
        assert len(_outbox(page)) == len(entries)
        reauth.get_by_label("Password").fill("not the password")
        reauth.get_by_role("button", name="Sign in again").click()
        expect(reauth).to_contain_text("Wrong e-mail or password.")  # refused; still blocked, outbox intact
        assert len(_outbox(page)) == len(entries) and renewals == []
        reauth.get_by_label("Password").fill(PASSWORD)
        reauth.get_by_role("button", name="Sign in again").click()
        expect(reauth).to_be_hidden()
        _sync_until_empty(page)
        assert len(renewals) == 1 and renewals[0][1] == 200, renewals
        assert renewals[0][0].startswith("Bearer ") and token not in renewals[0][0]  # a user access token
        renewed = _device(page)
        assert renewed["id"] == device_id and renewed["token"] != token
        assert pushes[0][0] == 401 and pushes[1] == (200, pushes[0][1]), pushes  # the same batch, again
        _assert_exactly_once(page, db, entries)
        assert {d for d, _ in _applied(db, [e["id"] for e in entries]).values()} == {_hex(device_id)}

        # Server side: still one registration of this tablet, not revoked; the old token is refused.
        access = _access_token(url)
        devices = httpx.get(f"{url}/api/v1/devices", headers={"Authorization": f"Bearer {access}"}).json()
        [mine] = [d for d in devices if _hex(d["id"]) == _hex(device_id)]
        assert mine["revoked_at"] is None
        pull = {"protocol": 1, "device_id": device_id, "cursor": 0, "limit": 1}
        old = httpx.post(f"{url}/api/v1/sync/pull", json=pull, headers={"Authorization": f"Bearer {token}"})
        assert old.status_code == 401, old.text
        new = httpx.post(f"{url}/api/v1/sync/pull", json=pull, headers={"Authorization": f"Bearer {renewed['token']}"})
        assert new.status_code == 200, new.text
        # A device token cannot renew itself: a password sign-in is needed.
        again = httpx.post(
            f"{url}/api/v1/devices/{device_id}/token", json={}, headers={"Authorization": f"Bearer {renewed['token']}"}
        )
        assert again.status_code == 403 and again.json()["code"] == "auth.password_sign_in_required", again.text
    finally:
        context.close()


def test_c_two_tabs_syncing_at_once_use_one_runner(browser: Browser, backend):
    url, tmp = backend
    db = tmp / "e2e.db"
    context = tablet(browser, url)
    try:
        one = context.new_page()
        device_id = register(one)
        two = context.new_page()
        two.goto("/")
        two.get_by_label("Password").fill(PASSWORD)
        two.get_by_role("button", name="Unlock").click()
        expect(two.get_by_role("heading", name="Hello, Inspector")).to_be_visible()
        wait_until(two, SYNCED)
        one.bring_to_front()  # a background tab runs its timers slowly
        context.set_offline(True)
        _start(one)
        for item in shown_items(one)[:6]:
            answer(one, item, "Compliant")
        entries = _outbox(one)

        pushes: list[tuple[int, list[int]]] = []

        def slow_push(route: Route) -> None:
            time.sleep(0.3)  # widen the race
            response = route.fetch()
            pushes.append((response.status, [m["seq"] for m in route.request.post_data_json["mutations"]]))
            route.fulfill(response=response)

        _settle(one)
        context.route("**/api/v1/sync/push", slow_push)
        for page in (one, two):
            page.get_by_role("link", name="Sync", exact=True).click()
        context.set_offline(False)  # `online` in both tabs
        for page in (one, two):  # and "Sync now" in both, at once
            page.evaluate("() => { window.__li.syncNow(); }")
        # While one tab pushes (each push held 300 ms), the other tab is not running: it found the lock taken.
        runner = """async () => window.__li.syncState().running &&
            (await navigator.locks.query()).held.some((l) => l.name === 'li-sync')"""
        deadline = time.monotonic() + 10
        while not (one.evaluate(runner) or two.evaluate(runner)):
            assert time.monotonic() < deadline, "no tab started syncing"
            one.wait_for_timeout(20)
        running, waiting = (one, two) if one.evaluate(runner) else (two, one)
        waiting.evaluate("() => { window.__li.syncNow(); }")
        assert waiting.evaluate(IDLE) and running.evaluate(runner)
        wait_until(one, OUTBOX_EMPTY, timeout_ms=30_000)
        for page in (one, two):
            page.get_by_test_id("sync-now").click()
        wait_until(one, IDLE)
        wait_until(two, IDLE)
        assert pushes and {s for s, _ in pushes} == {200}, pushes  # no 409 seq_gap / push_in_progress
        sent = [seq for _, seqs in pushes for seq in seqs]
        assert sorted(sent) == [e["seq"] for e in entries], pushes  # every mutation pushed once, by one runner
        _assert_exactly_once(one, db, entries)
        assert {d for d, _ in _applied(db, [e["id"] for e in entries]).values()} == {_hex(device_id)}
        for page in (one, two):
            assert page.evaluate("window.__li.syncState().last_error") is None
            assert page.evaluate("window.__li.syncState().blocked") is None
    finally:
        context.close()


def _noise_png(width: int, height: int, seed: int) -> bytes:
    """A photo-sized PNG of random pixels: it does not compress, so it spans several upload chunks."""
    rng = random.Random(seed)
    row = 1 + width * 3
    raw = bytearray(rng.randbytes(row * height))
    raw[::row] = bytes(height)  # filter byte 0 on every row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(bytes(raw), 1)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's start-of-frame marker."""
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    raise AssertionError("no SOF marker")


def test_d_photo_derivative_first_and_an_upload_cut_mid_photo_resumes(browser: Browser, backend):
    url, tmp = backend
    db = tmp / "e2e.db"
    photo = _noise_png(2400, 400, seed=11)
    sha = hashlib.sha256(photo).hexdigest()
    assert len(photo) > 2 * CHUNK
    context = tablet(browser, url)
    try:
        page = context.new_page()
        register(page)
        blob_requests: list[tuple[str, str, str | None]] = []  # (method, sha, Upload-Offset)
        cut: list[str] = []

        def watch_blobs(route: Route) -> None:
            request = route.request
            target = request.url.rsplit("/", 1)[-1]
            blob_requests.append((request.method, target, request.headers.get("upload-offset")))
            patches = [r for r in blob_requests if r[0] == "PATCH" and r[1] == sha]
            if request.method == "PATCH" and target == sha and len(patches) == 2 and not cut:
                cut.append(request.headers["upload-offset"])
                route.abort("connectionreset")  # the line drops in the middle of the photo
                return
            route.continue_()

        context.route("**/api/v1/blobs/*", watch_blobs)
        context.set_offline(True)
        inspection_id = _start(page)
        answer(page, NON_COMPLIANT, "Non-compliant")
        card = page.locator(f'[data-item="{NON_COMPLIANT}"]')
        card.locator("input[type=file]").set_input_files({"name": "p.png", "mimeType": "image/png", "buffer": photo})
        expect(card.get_by_test_id("photo")).to_be_visible()
        expect(card.locator("img")).to_be_visible()  # the preview renders (from the derivative)
        [record] = [p for p in page.evaluate("window.__li.dump('photos')") if p["inspection_id"] == inspection_id]
        assert record["sha256"] == sha and record["bytes"] == len(photo)  # the original is the evidence
        preview = record["preview_sha256"]
        assert preview and preview != sha and record["preview_mime"] == "image/jpeg"
        assert 0 < record["preview_bytes"] < len(photo)
        [attach] = [e for e in _outbox(page) if e["name"] == "photo.attach"]
        assert attach["args"]["sha256"] == sha
        assert attach["args"]["preview"] == {"sha256": preview, "bytes": record["preview_bytes"], "mime": "image/jpeg"}
        entries = _outbox(page)

        page.get_by_role("link", name="Sync", exact=True).click()
        context.set_offline(False)
        uploaded = (
            "async () => (await window.__li.dump('photos')).every(p => p.uploaded && p.preview_uploaded !== false)"
        )
        _sync_until_empty(page, uploaded)

        # The derivative went first; the original was cut at its second chunk and resumed from the server's offset.
        posts = [r[1] for r in blob_requests if r[0] == "POST"]
        assert posts.index(preview) < posts.index(sha), blob_requests
        assert posts.count(sha) == 1, blob_requests  # resumed, not re-created
        offsets = [int(r[2] or -1) for r in blob_requests if r[0] == "PATCH" and r[1] == sha]
        assert cut == [str(CHUNK)] and offsets[:3] == [0, CHUNK, CHUNK], offsets
        assert offsets == sorted(offsets) and offsets.count(0) == 1, offsets
        after_cut = blob_requests[[i for i, r in enumerate(blob_requests) if r[0] == "PATCH" and r[1] == sha][1] + 1 :]
        assert after_cut[0][:2] == ("HEAD", sha), after_cut[:3]

        for digest, size in ((sha, len(photo)), (preview, record["preview_bytes"])):
            [(verified_at, nbytes)] = db_rows(db, "SELECT verified_at, bytes FROM blob WHERE sha256 = ?", digest)
            assert verified_at is not None and nbytes == size
            stored = (tmp / "attachments" / "blobs" / digest[:2] / digest).read_bytes()
            assert hashlib.sha256(stored).hexdigest() == digest
        derivative = (tmp / "attachments" / "blobs" / preview[:2] / preview).read_bytes()
        assert max(_jpeg_size(derivative)) == 2048  # downscaled to 2048 px on the longest side
        _assert_exactly_once(page, db, entries)
        data = _record(db, "photo", attach["args"]["photo_id"])
        assert data["sha256"] == sha and data["preview"]["sha256"] == preview
    finally:
        context.close()
