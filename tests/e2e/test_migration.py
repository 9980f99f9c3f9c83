"""IndexedDB schema migration from a populated version-1 database keeps every record and the outbox."""

import base64
import hashlib
import json

from playwright.sync_api import expect

from tests.e2e.fakeapi import EMAIL, HARBOUR, PASSWORD, USER_ID, basic_checklist, establishments
from tests.e2e.flows import unlock
from tests.e2e.test_real_wipe import RAW

INSPECTION = "0193a5e1-0000-7000-8000-000000000001"

# The version-1 schema exactly as shipped (MIGRATIONS[0] in pwa/src/db.ts), filled with a device's data.
CREATE_V1 = """async (data) => {
  await new Promise((resolve, reject) => {
    const r = indexedDB.open('labour-inspection', 1);
    r.onupgradeneeded = () => {
      const db = r.result;
      db.createObjectStore('meta', { keyPath: 'key' });
      db.createObjectStore('outbox', { keyPath: 'seq' });
      db.createObjectStore('outcomes', { keyPath: 'seq' });
      db.createObjectStore('inspections', { keyPath: 'id' });
      db.createObjectStore('findings', { keyPath: 'key' }).createIndex('inspection', 'inspection_id');
      db.createObjectStore('notes', { keyPath: 'id' }).createIndex('inspection', 'inspection_id');
      db.createObjectStore('photos', { keyPath: 'id' }).createIndex('inspection', 'inspection_id');
      db.createObjectStore('chunks', { keyPath: ['sha256', 'index'] });
      db.createObjectStore('checklists', { keyPath: 'ref' });
      db.createObjectStore('establishments', { keyPath: 'id' });
      db.createObjectStore('conflicts', { keyPath: 'id' });
      db.createObjectStore('actions', { keyPath: 'id' }).createIndex('inspection', 'inspection_id');
    };
    r.onsuccess = () => {
      const db = r.result;
      const tx = db.transaction(Object.keys(data), 'readwrite');
      for (const [store, rows] of Object.entries(data)) for (const row of rows) tx.objectStore(store).put(row);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    r.onerror = () => reject(r.error);
  });
}"""


def _password_record() -> dict:
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt, 1000, 32)
    return {"salt": base64.b64encode(salt).decode(), "iterations": 1000, "hash": base64.b64encode(digest).decode()}


def _v1_data() -> dict:
    user = {"id": USER_ID, "email": EMAIL, "name": "Amina Chen", "role": "inspector", "org_unit_ids": []}
    device = {
        "id": "0193a5e0-7c00-7000-8000-00000000000a",
        "token": "device-token-v1",
        "name": "tablet",
        "user": user,
        "password": _password_record(),
        "registered_at": "2026-03-01T08:00:00Z",
    }
    header = {"visit_date": "2026-03-02", "location": {"lat": None, "lon": None, "accuracy_m": None}}
    inspection = {  # version 1 had no "type" field
        "id": INSPECTION,
        "establishment_id": HARBOUR,
        "checklist": "e2e-basic@1",
        "team": [USER_ID],
        "lead": USER_ID,
        "status": "draft",
        "header": header,
        "version": 0,
        "gps_start": {"lat": None, "lon": None, "accuracy_m": None, "at": "2026-03-02T08:00:00Z"},
        "interviews": [],
        "created_at": "2026-03-02T08:00:00Z",
        "updated_at": "2026-03-02T08:00:00Z",
    }
    finding = {
        "key": f"{INSPECTION}/basic.01",
        "inspection_id": INSPECTION,
        "item_id": "basic.01",
        "fields": {"status": "non_compliant"},
        "version": 0,
        "workers": {"men": 2, "women": 1, "under_18": 0},
        "updated_at": "2026-03-02T08:05:00Z",
    }
    outbox = [
        {
            "seq": 1,
            "id": "0193a5e2-0000-7000-8000-000000000001",
            "name": "inspection.create",
            "v": 1,
            "client_ts": "2026-03-02T08:00:00Z",
            "args": {
                "inspection_id": INSPECTION,
                "establishment_id": HARBOUR,
                "checklist": "e2e-basic@1",
                "team": [USER_ID],
                "header": header,
            },
            "attempts": 3,
            "last_error": "network",
        },
        {
            "seq": 2,
            "id": "0193a5e2-0000-7000-8000-000000000002",
            "name": "finding.record",
            "v": 1,
            "client_ts": "2026-03-02T08:05:00Z",
            "args": {
                "inspection_id": INSPECTION,
                "item_id": "basic.01",
                "base_version": 0,
                "fields": {"status": "non_compliant"},
            },
            "attempts": 0,
            "last_error": None,
        },
    ]
    checklist = basic_checklist()
    establishment = {k: v for k, v in establishments(1)[0].items()}
    return {
        "meta": [
            {"key": "device", "value": device},
            {"key": "seq", "value": {"next_seq": 3, "acked_seq": 0}},
            {"key": "reference_at", "value": 4102444800000},
        ],
        "outbox": outbox,
        "inspections": [inspection],
        "findings": [finding],
        "establishments": [establishment],
        "checklists": [
            {
                "ref": "e2e-basic@1",
                "key": "e2e-basic",
                "version": 1,
                "sha256": "0" * 64,
                "title": checklist["title"],
                "definition": checklist,
            }
        ],
    }


def test_upgrade_from_a_populated_version_1_database(tablet, api):
    api.offline = True  # the upgraded app starts offline: only what is on the device counts
    context = tablet()
    page = context.new_page()
    page.goto("/manifest.webmanifest")  # same origin, without the app
    data = _v1_data()
    page.evaluate(CREATE_V1, data)

    page.goto("/")
    unlock(page)
    expect(page.get_by_test_id("drafts").get_by_text("Harbour Garments Ltd")).to_be_visible()
    assert page.evaluate("indexedDB.databases().then(d => d.find(x => x.name === 'labour-inspection').version)") == 3
    # 2 -> 3 added the stores of notices issued offline, empty until the device reserves a block.
    assert page.evaluate("window.__li.dump('notice_blocks')") == []
    assert page.evaluate("window.__li.dump('notices')") == []

    outbox = page.evaluate("window.__li.dump('outbox')")
    assert [(m["seq"], m["id"], m["args"]) for m in outbox] == [
        (m["seq"], m["id"], m["args"]) for m in data["outbox"]
    ], "the outbox must survive the upgrade unchanged"
    assert page.evaluate("window.__li.invariant()") is None
    [inspection] = page.evaluate("window.__li.dump('inspections')")
    assert inspection["type"] == "planned"
    [establishment] = page.evaluate("window.__li.dump('establishments')")
    assert establishment["search"] == "harbour garments ltd 91350102ma2xyz0001 12 harbour road, gulou district"
    [finding] = page.evaluate("window.__li.dump('findings')")
    assert finding["workers"] == {"men": 2, "women": 1, "under_18": 0}
    # The first unlock after the update sealed what the older version held in the clear (issue 21, seal.ts).
    raw = page.evaluate(RAW)["databases"]["labour-inspection"]
    for store in ("outbox", "inspections", "findings", "establishments", "checklists"):
        assert raw[store] and all("sealed" in row for row in raw[store]), store
    assert "Harbour Garments" not in json.dumps(raw, ensure_ascii=False)

    page.get_by_test_id("drafts").get_by_role("link").first.click()
    card = page.locator('[data-item="basic.01"]')
    expect(card.get_by_role("button", name="Non-compliant", exact=True)).to_have_attribute("aria-pressed", "true")
